"""The three-pass reader: the screen, and the pieces it is built from."""
