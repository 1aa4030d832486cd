"""Flash mentoring on screen: the request form and the mentor's card (``forms``), the notices
(``notices``) and the App Home sections (``home``)."""
