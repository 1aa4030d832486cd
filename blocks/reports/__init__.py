"""The admins' surfaces: the dashboard (``dashboard``, ``rows``, ``meeting_rows``), the health
report (``health``) and the digest and escalation messages (``digest``)."""
