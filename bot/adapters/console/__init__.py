"""The console adapter: the bot in a terminal, against the same core and store."""
