"""Discover: a local arXiv-Sanity. An index of recent arXiv papers (index.py), kept fresh by sync.py from the
listings in sources/listings.py, turned into tf-idf features (features.py) and ranked for this user (rank.py)
from the library's tags, reading decisions and dismissals (signals.py).

The only package that imports scikit-learn; it does so inside functions, so importing this is cheap.
"""
