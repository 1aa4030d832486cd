"""Listeners for profiles: the enrollment form (``editing``) and viewing one (``viewing``)."""
