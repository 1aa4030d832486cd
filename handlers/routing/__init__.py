"""Listeners for admin-routed matching: the mentee's preferences and the admins' queue."""
