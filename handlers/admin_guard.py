"""The admin check every admin listener repeats on the server, whatever a button says."""

from __future__ import annotations

REFUSAL = "Sorry, `/mentor-admin` is only for the mentoring program's admins."
