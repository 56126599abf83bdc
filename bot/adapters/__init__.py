"""Platform adapters: translate events into `Invocation`s and `Reply`s into platform calls."""
