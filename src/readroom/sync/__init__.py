"""Two-way sync with the user's own Anki sync server (`readroom sync`), through a companion Anki collection."""
