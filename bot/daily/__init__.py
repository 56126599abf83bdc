"""The specimen of the day: choosing it, local-time rules and the scheduler that posts it."""
