"""The only package that imports sqlmodel / sqlalchemy / alembic.

`schema.HEAD_REVISION` names the newest migration; the database is brought up to it on open.
"""
