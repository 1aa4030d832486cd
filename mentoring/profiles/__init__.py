"""Enrolling and editing a profile, capacity and pausing (``editing``), and the full profile
one member sees of another (``page``)."""
