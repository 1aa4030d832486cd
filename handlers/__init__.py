"""Bolt listeners by feature, thin: ack, parse, one mentoring call, render, one Slack call."""
