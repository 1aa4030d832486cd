"""The background work: the sweep and delivery jobs, and rendering what the outbox holds."""
