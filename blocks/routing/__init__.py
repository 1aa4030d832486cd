"""Admin-routed matching on screen: the mentee's preferences (``preferences``) and the admins'
queue (``queue``)."""
