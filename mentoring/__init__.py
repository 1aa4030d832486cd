"""The program's rules, Slack-free, in feature packages (see docs/architecture.md).

core (audit log, outbox, errors, words, read models, members, actors) < program (settings,
taxonomy, workspaces) < asks (the lifecycle every ask shares) | directory (search, match score)
< recommendations < meetings | offers | relationships < profiles < requests < routing <
home | reports | sweep. ``make lint`` checks these layers with import-linter.
"""
