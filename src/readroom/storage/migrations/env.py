"""Alembic runs migrations on the connection readroom hands it (see storage/db.py)."""

from alembic import context
from sqlmodel import SQLModel

from readroom.storage import models  # noqa: F401  (registers the tables on the metadata)

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` command line, for writing new revisions against a scratch database
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("alembic: the ini file names no sqlalchemy.url (a scratch database) to migrate")
    connection = create_engine(url).connect()

# Batch mode: SQLite cannot ALTER most things, so Alembic copies tables instead.
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
