"""Pure functions from read models to Block Kit, by feature (no database, no Bolt)."""
