"""What every kind of ask shows alike (the decline form)."""
