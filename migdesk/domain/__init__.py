"""Pure-Python values, rules and errors of circular labour migration (no database, no Qt)."""
