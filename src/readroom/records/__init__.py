"""What the service layer hands to the CLI and the TUI: plain data, no ORM objects, one record per thing, by
subject (papers.py, arxiv.py, cards.py), so a command imports only the records it shows."""
