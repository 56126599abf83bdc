"""Command families. Each module exposes `async def run(context, invocation) -> Reply`.

`COMMANDS` in `bot/commands/registry.py` is the one place a command is registered.
"""
