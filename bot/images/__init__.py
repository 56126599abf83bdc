"""The file-record picture of a dossier: Noto faces with glyph fallback, fitted text, a PNG."""
