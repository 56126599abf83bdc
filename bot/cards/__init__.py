"""Neutral cards: the Card/Reply/Action types every renderer reads, and the roast cards."""
