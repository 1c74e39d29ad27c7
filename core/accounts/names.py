"""People's names compared as people read them (the separation-of-duties checks).

"甲\u200b", "甲 ", full-width "ＡＢ" and "AB" are the same person to a reader, so they are the
same person to the self-approval check: NFKC, no zero-width or control characters, no spaces,
case folded.
"""

from __future__ import annotations

import unicodedata


def clean_name(name: str) -> str:
    """``name`` without invisible characters (zero-width, bidi marks, controls) and outer spaces."""
    if name.isprintable():  # none of them (checked in C): the common case, a bulk import's every cell
        return name.strip()
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


def person_key(name: str | None) -> str:
    """The form in which two names are compared: equal keys are the same person."""
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(clean_name(text).split()).casefold()


def same_person(a: str | None, b: str | None) -> bool:
    return bool(person_key(a)) and person_key(a) == person_key(b)
