"""What every feature shares: the audit log and outbox (``audit``, ``outbox``), domain errors
and the program's words for its roles (``errors``, ``wording``), read models (``views``),
looking up and locking members (``members``), who acts (``actors``), input field types
(``fields``) and report figures (``figures``)."""
