"""The public web pages: the taxonomy, one file record per role, and its picture."""
