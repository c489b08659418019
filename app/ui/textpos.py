"""Code points (Python, the engine's offsets) to UTF-16 code units (Qt's text positions) and back.

Every character outside the Basic Multilingual Plane (emoji, some CJK, maths letters) is one code
point in Python but two code units in a QTextDocument. Offsets cross the boundary only here.
"""

from __future__ import annotations

from bisect import bisect_left


class Utf16Index:
    """Position conversions for one text. Cheap when the text has no astral characters."""

    __slots__ = ("_astral_cp", "_astral_qt", "_length")

    def __init__(self, text: str) -> None:
        self._length = len(text)
        # Code-point offsets of astral characters, and where each starts in UTF-16.
        self._astral_cp = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral_qt = [cp + n for n, cp in enumerate(self._astral_cp)]

    @property
    def length(self) -> int:
        """Length of the text in code points."""
        return self._length

    @property
    def utf16_length(self) -> int:
        return self._length + len(self._astral_cp)

    def to_qt(self, offset: int) -> int:
        """Code-point offset -> UTF-16 position."""
        offset = max(0, min(offset, self._length))
        if not self._astral_cp:
            return offset
        return offset + bisect_left(self._astral_cp, offset)

    def to_py(self, position: int) -> int:
        """UTF-16 position -> code-point offset; inside a surrogate pair, its start."""
        position = max(0, min(position, self.utf16_length))
        if not self._astral_qt:
            return position
        # Astral characters starting before `position` each took one extra code unit; one that
        # starts at position - 1 is cut in half, and counting it maps us to its start.
        return position - bisect_left(self._astral_qt, position)


def to_utf16(text: str, offset: int) -> int:
    return Utf16Index(text).to_qt(offset)


def from_utf16(text: str, position: int) -> int:
    return Utf16Index(text).to_py(position)
