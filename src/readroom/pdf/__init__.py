"""PDF handling: open a paper with PyMuPDF and recover its structure (outline, captions, references)."""
