"""roastbot: satirical role roasts for Discord, Slack and the terminal."""
