"""readroom: read papers in three passes and remember them."""

__version__ = "0.1.0"
