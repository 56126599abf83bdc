"""Operations: signals, logs, metrics, backup, quote export and import, deploy files."""
