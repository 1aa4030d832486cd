"""What admins read and do from ``/mentor-admin``: the dashboard of asks (``dashboard``, with
meeting rows in ``meeting_rows`` and remind now / close in ``admin_moves``), the health report
(``health``, with ``people``), the weekly digest and escalations (``digest``), CSV exports
(``export``) and notifications Slack refused (``undelivered``)."""
