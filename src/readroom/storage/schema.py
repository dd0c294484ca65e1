"""Facts about the schema that are cheap to import (no SQLAlchemy): the newest migration's id."""

HEAD_REVISION = "0013_i15_big"
