"""Everything a member's App Home shows, gathered in one read (``app_home``)."""
