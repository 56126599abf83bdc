"""What every part runs on: settings, logs, metrics, lifecycle, the HTTP site, Context and start-up."""
