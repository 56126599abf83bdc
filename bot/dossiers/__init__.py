"""Dossiers: the model of one role's file record, and the loader that validates a folder of them."""
