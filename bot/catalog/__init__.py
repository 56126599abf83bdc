"""The catalog: the dossier model, the loader that validates a folder of dossiers, and lookup."""
