"""Listeners for ``/mentor-admin``'s reports: the dashboard, the health report, the export."""
