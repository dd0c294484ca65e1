"""The reading room: the Textual face of readroom. The only package that imports textual.

Everything here talks to readroom.library and readroom.reading; nothing in tui/ touches the database.
"""
