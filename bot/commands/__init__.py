"""Command families. Each module exposes `async def run(context, invocation) -> Reply`.

`COMMANDS` below is the one place a command is registered.
"""
