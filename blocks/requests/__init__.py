"""Requests and offers on screen: the request form and the answerer's card (``cards``), and
the direct messages about them (``notices``)."""
