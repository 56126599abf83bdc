"""The buttons of the card last printed on the terminal, which a typed number presses."""

from __future__ import annotations

from bot.cards.model import Action, Reply


class Board:
    """What the numbers on the terminal press: the buttons of the reply printed last.

    Shared by the console session and the console poster, so a daily post printed while the
    prompt waits can be voted on by typing its button's number, as a command's reply can.
    """

    def __init__(self) -> None:
        self._actions: list[Action] = []

    def show(self, reply: Reply) -> None:
        """A reply was printed: its buttons, numbered across its cards, are the ones to press."""
        self._actions = [button.action for card in reply.cards for button in card.buttons]

    def pressed(self, number: int) -> Action | None:
        """The action of button `number` (from 1), or None when there is no such button."""
        return self._actions[number - 1] if 1 <= number <= len(self._actions) else None
