"""Block Kit for relationships after the match: goals, check-ins, terms, closure feedback,
ending, the admins' oversight view and the notices about people who come and go."""
