"""Where papers come from: arXiv, the classics catalogue, local PDFs, direct URLs.

The only package that imports arxiv and httpx.
"""
