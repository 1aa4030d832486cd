"""Console mode: the whole product in a terminal, against an in-process fake Slack."""
