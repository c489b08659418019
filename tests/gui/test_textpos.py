"""Code points <-> UTF-16: the one boundary between the engine's offsets and Qt's."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from app.ui.textpos import Utf16Index, from_utf16, to_utf16

TEXT = "“Quote” 👍 said 🇺🇦 Kyiv — 14,000 𝔘 end"


def test_plain_text_is_identity() -> None:
    idx = Utf16Index("curly “quotes” and dashes — are BMP")
    assert [idx.to_qt(i) for i in range(5)] == list(range(5))
    assert idx.to_py(12) == 12


def test_astral_characters_take_two_code_units() -> None:
    idx = Utf16Index(TEXT)
    thumb = TEXT.index("👍")
    assert idx.to_qt(thumb) == thumb
    assert idx.to_qt(thumb + 1) == thumb + 2
    flag = TEXT.index("🇺🇦")  # two regional indicators, each astral
    assert idx.to_qt(flag) == flag + 1
    assert idx.to_qt(flag + 2) == flag + 5
    assert idx.utf16_length == len(TEXT.encode("utf-16-le")) // 2


def test_round_trip_and_surrogate_halves() -> None:
    idx = Utf16Index(TEXT)
    for cp in range(len(TEXT) + 1):
        assert idx.to_py(idx.to_qt(cp)) == cp
    thumb_qt = idx.to_qt(TEXT.index("👍"))
    # Inside the surrogate pair: rounds down to the emoji's start.
    assert idx.to_py(thumb_qt + 1) == TEXT.index("👍")
    assert to_utf16(TEXT, len(TEXT)) == idx.utf16_length
    assert from_utf16(TEXT, idx.utf16_length) == len(TEXT)


@pytest.mark.parametrize("needle", ["14,000", "Kyiv", "“Quote”", "end", "𝔘"])
def test_matches_qt_document_positions(qapp, needle: str) -> None:
    doc = QTextDocument()
    doc.setPlainText(TEXT)
    idx = Utf16Index(TEXT)
    start = TEXT.index(needle)
    cursor = QTextCursor(doc)
    cursor.setPosition(idx.to_qt(start))
    cursor.setPosition(idx.to_qt(start + len(needle)), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == needle


def test_out_of_range_is_clamped() -> None:
    idx = Utf16Index(TEXT)
    assert idx.to_qt(-3) == 0
    assert idx.to_qt(10_000) == idx.utf16_length
    assert idx.to_py(10_000) == len(TEXT)
