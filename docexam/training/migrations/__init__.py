"""Alembic revisions of the training database (see ARCHITECTURE.md, "Changing the training database").

``env.py`` runs them; ``versions/`` holds one file per revision, each frozen
once it has landed on ``main``.
"""
