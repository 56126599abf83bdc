"""Check that a request to the interactions endpoint was signed by Discord just now.

Discord signs `X-Signature-Timestamp` + body with the application's Ed25519 key and sends
the signature, hex-encoded, in `X-Signature-Ed25519`; the application's public key (the
Developer Portal's "Public Key", `DISCORD_PUBLIC_KEY`) verifies it. A timestamp further than
`MAX_SKEW` seconds from now is refused too, so a recorded request cannot be replayed later;
`FirstSeen` refuses it while its timestamp is still fresh (Discord sends each interaction
once).
"""

from __future__ import annotations

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

MAX_SKEW = 300.0
SIGNATURE_HEX = 128
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


class SignatureCheck:
    """Verifies Discord's request signatures against one application's public key."""

    def __init__(self, public_key_hex: str, max_skew: float = MAX_SKEW) -> None:
        self._key = VerifyKey(bytes.fromhex(public_key_hex))
        self._max_skew = max_skew

    def well_formed(self, signature: str | None, timestamp: str | None) -> bool:
        """Whether both headers are there and look as Discord sends them (read before the body)."""
        return (
            signature is not None
            and len(signature) == SIGNATURE_HEX
            and HEX_DIGITS.issuperset(signature)
            and timestamp is not None
            and 0 < len(timestamp) <= 12
            and timestamp.isascii()
            and timestamp.isdigit()
        )

    def verify(self, signature: str, timestamp: str, body: bytes, now: float) -> bool:
        """Whether `signature` signs `timestamp` + `body` and `timestamp` is close to `now`.

        Call `well_formed` first: `signature` must be 128 hex digits, `timestamp` digits.
        """
        if abs(now - int(timestamp)) > self._max_skew:
            return False
        try:
            self._key.verify(timestamp.encode() + body, bytes.fromhex(signature))
        except BadSignatureError:
            return False
        return True


class FirstSeen:
    """The interaction ids this endpoint received while their signatures could still pass.

    A request is accepted at most `MAX_SKEW` seconds from its timestamp, and so is a copy
    of it; an id is kept twice that long after it arrived, so every copy that would still
    verify is refused, and the ids kept are only those of the last ten minutes.
    """

    def __init__(self, max_skew: float = MAX_SKEW) -> None:
        self._kept_for = 2 * max_skew
        self._seen: dict[str, float] = {}  # in order of arrival

    def first(self, interaction_id: str, now: float) -> bool:
        """Whether this is the first time `interaction_id` arrives (remembered from now on)."""
        while self._seen:
            oldest = next(iter(self._seen))
            if now - self._seen[oldest] <= self._kept_for:
                break
            del self._seen[oldest]
        if interaction_id in self._seen:
            return False
        self._seen[interaction_id] = now
        return True
