"""The lifecycle every ask shares: requests, offers, meeting requests, submissions' preferences.

``kinds`` says, as data, what differs between them (who asks whom, words, events, notices);
``lifecycle`` moves one guarded; ``moves`` sends, declines and withdraws; ``followups``
reminds, expires and closes; ``reminders`` and ``auto_close`` are the timing rules; ``sweep``
moves every due ask in bulk; ``messages`` is the one length rule for the message an ask carries.
See docs/architecture.md.
"""
