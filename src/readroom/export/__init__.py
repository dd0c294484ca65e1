"""Export: Anki decks (apkg.py, through genanki; anki_collection.py, through the optional `anki` backend) and BibTeX
(bibtex.py, pure Python). The only package that imports genanki or anki."""
