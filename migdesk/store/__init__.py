"""SQLAlchemy 2 mapping, database opening and Alembic migrations (no Qt)."""
