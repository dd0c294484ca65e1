"""The app's screens, one module each; Textual-free models they use sit beside them (library_rows, add_request)."""
