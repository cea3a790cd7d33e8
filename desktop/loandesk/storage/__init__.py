"""The only package that speaks SQL: opening the encrypted store, migrations, repositories, search."""

from .store import Store, open_store

__all__ = ["Store", "open_store"]
