"""The query code (查询码): format, normalisation and check symbol.

16 symbols of Crockford Base32 (``0-9A-Z`` without ``I L O U``) shown as four
groups of four joined by ``-``; the last symbol is a Luhn mod 32 check symbol
over the first 15 (the registry's contract). People type codes with or without
dashes, in any case, and confuse ``O``/``0``, ``I``/``1`` and ``L``/``1``;
:func:`normalise` forgives all of that, :func:`is_valid` then checks the sum.

Luhn mod N is a dozen lines and no maintained Python package implements it
over Crockford's alphabet, hence written here.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
N = len(ALPHABET)  # 32
_VALUE = {symbol: i for i, symbol in enumerate(ALPHABET)}
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")
SHAPE = r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}"
"""A code as printed, four groups of four; unanchored, to find codes inside a text."""
PATTERN = re.compile(f"^{SHAPE}$")


# A symbol's contribution when doubled (Luhn mod N: the two base-N digits of 2v summed).
_DOUBLED = {symbol: (2 * v) // N + (2 * v) % N for symbol, v in _VALUE.items()}


def _luhn_sum(symbols: str, double_first: bool) -> int:
    """Sum of the Luhn mod N addends, from the rightmost symbol leftwards."""
    reverse = symbols[::-1]
    doubled, plain = (
        (reverse[0::2], reverse[1::2]) if double_first else (reverse[1::2], reverse[0::2])
    )
    return sum(_DOUBLED[s] for s in doubled) + sum(_VALUE[s] for s in plain)


def check_symbol(payload: str) -> str:
    """The check symbol for 15 payload symbols."""
    return ALPHABET[(N - _luhn_sum(payload, double_first=True) % N) % N]


def normalise(typed: str) -> str | None:
    """The canonical ``XXXX-XXXX-XXXX-XXXX`` form of what was typed, or None if malformed.

    Malformed means: not 16 symbols of the alphabet once separators are dropped
    and confusable letters mapped. The check symbol is not checked here.
    """
    compact = _SEPARATORS.sub("", typed.strip()).upper().translate(_CONFUSABLE)
    if len(compact) != 16 or any(symbol not in _VALUE for symbol in compact):
        return None
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


def is_valid(code: str) -> bool:
    """True when ``code`` (canonical form) has the right shape and check symbol."""
    if not PATTERN.match(code):
        return False
    return _luhn_sum(code.replace("-", ""), double_first=False) % N == 0


def make_code(payload: str) -> str:
    """A canonical code from 15 payload symbols, with its check symbol appended."""
    if len(payload) != 15 or any(symbol not in _VALUE for symbol in payload):
        raise ValueError("a query code payload is 15 Crockford Base32 symbols")
    compact = payload + check_symbol(payload)
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))
