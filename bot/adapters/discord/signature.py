"""Check that a request to the interactions endpoint was signed by Discord just now.

Discord signs `X-Signature-Timestamp` + body with the application's Ed25519 key and sends
the signature, hex-encoded, in `X-Signature-Ed25519`; the application's public key (the
Developer Portal's "Public Key", `DISCORD_PUBLIC_KEY`) verifies it. A timestamp further than
`MAX_SKEW` seconds from now is refused too, so a recorded request cannot be replayed later.
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
