"""The mentor directory: search with filters (``search``), the ranking that bounds work
(``ranking``), the explained match score (``matching``), fit and open slots for admin tools
(``fit``), and the figures shown beside each mentor (``stats``)."""
