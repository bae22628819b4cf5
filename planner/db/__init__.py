"""Persistence: the SQLModel tables, the engine and its Alembic migrations, and the store that
turns rows into the solver's problem and back.
"""
