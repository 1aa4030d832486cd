"""The periodic sweep: every due ask of every kind moved in one list (``sweep``), and what the
program admins are told (``admins``: escalations and the weekly digest)."""
