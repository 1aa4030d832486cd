"""Outbox rows rendered into Slack messages at send time: ``dispatch`` routes each kind to its
renderer (``meetings``, ``routing``, requests in ``dispatch`` itself); ``outgoing`` is what a
renderer returns."""
