"""Recommendations admins push to mentees: the operation and the recommendations-only rule
(``service``), the read phase (``reading``) and the choice (``plan``, with ``mentor_pool``
finding each mentee's best candidates), the spread over mentors' open slots (``spreading``)
and the short write batches (``apply``)."""
