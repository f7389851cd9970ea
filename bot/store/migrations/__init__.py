"""Alembic migrations, shipped inside the package; ``Database.open()`` applies them."""
