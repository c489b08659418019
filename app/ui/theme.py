"""Colours and text formats for highlights, light and dark, colour-blind safe.

Semantic colours come from the Okabe-Ito palette (safe for the common colour-vision
deficiencies): agreement is blue, conflicts vermillion with a wavy underline (so colour is never
the only cue), passages only one source has are a pale yellow with a dotted underline.
Article identity colours (the stripe above each column) use Paul Tol's "muted" scheme, which
stays distinguishable from the semantic colours.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextCharFormat, QTextFormat

OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

ARTICLE_COLOURS: tuple[str, ...] = (
    "#332288", "#117733", "#CC6677", "#44AA99", "#882255",
    "#999933", "#AA4499", "#88CCEE", "#DDCC77", "#6699CC",
)


# Char-format property on text several articles copy from one agency text. Invisible by itself:
# the article view paints a grey bar in the margin beside it (it must not hide the match and
# conflict colours, which most copied text also carries).
COPY_PROPERTY = int(QTextFormat.Property.UserProperty) + 1


def article_colour(index: int) -> QColor:
    return QColor(ARTICLE_COLOURS[index % len(ARTICLE_COLOURS)])


def system_is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = max(0.0, min(1.0, t))
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


@dataclass(frozen=True)
class Theme:
    dark: bool
    # Agreement heat scale: `heat_lo` for two sources, `heat_hi` when every source agrees.
    heat_lo: QColor
    heat_hi: QColor
    conflict_bg: QColor
    conflict_line: QColor
    unique_bg: QColor
    unique_line: QColor
    boilerplate_fg: QColor
    current_bg: QColor
    flash_bg: QColor
    text_fg: QColor
    muted_fg: QColor
    # Text selected with the mouse or keyboard: neutral and strong, so it cannot be mistaken
    # for the darkest agreement blue (the platform's selection colour is a blue too).
    selection_bg: QColor
    selection_fg: QColor
    # One claimant's updated figure: a dashed underline, calmer than a conflict's wave.
    update_line: QColor
    # Agency copy: a thin bar in the left margin beside the copied lines.
    copy_bar: QColor

    @classmethod
    def for_mode(cls, dark: bool) -> Theme:
        if dark:
            return cls(
                dark=True,
                heat_lo=QColor("#1C3346"),
                heat_hi=QColor("#2E74AE"),
                conflict_bg=QColor("#5B2A0E"),
                conflict_line=QColor("#FF8F45"),
                unique_bg=QColor("#3A3519"),
                unique_line=QColor("#B8A94A"),
                boilerplate_fg=QColor("#7C7C7C"),
                current_bg=QColor("#6B6420"),
                flash_bg=QColor("#9C8F1E"),
                text_fg=QColor("#E6E6E6"),
                muted_fg=QColor("#A0A0A0"),
                selection_bg=QColor("#E8E4EE"),
                selection_fg=QColor("#141414"),
                update_line=QColor(OKABE_ITO["sky"]),
                copy_bar=QColor("#6E6E6E"),
            )
        return cls(
            dark=False,
            heat_lo=QColor("#E2EEF9"),
            heat_hi=QColor("#6AAEE0"),
            conflict_bg=QColor("#FAD9C4"),
            conflict_line=QColor(OKABE_ITO["vermillion"]),
            unique_bg=QColor("#FBF5D6"),
            unique_line=QColor("#B59A1E"),
            boilerplate_fg=QColor("#A0A0A0"),
            current_bg=QColor("#F6EE8C"),
            flash_bg=QColor(OKABE_ITO["yellow"]),
            text_fg=QColor("#1E1E1E"),
            muted_fg=QColor("#666666"),
            selection_bg=QColor("#3D3846"),
            selection_fg=QColor("#FFFFFF"),
            update_line=QColor(OKABE_ITO["blue"]),
            copy_bar=QColor("#BDBDBD"),
        )

    @classmethod
    def system(cls) -> Theme:
        return cls.for_mode(system_is_dark())

    def heat(self, agreeing: int, total: int) -> QColor:
        """Background for a passage that `agreeing` of `total` sources share (agreeing >= 2)."""
        if total <= 2:
            return self.heat_lo
        return _mix(self.heat_lo, self.heat_hi, (agreeing - 2) / (total - 2))

    # Formats merged onto the article text ------------------------------------------------

    def match_format(self, agreeing: int, total: int) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(self.heat(agreeing, total))
        return fmt

    def conflict_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(self.conflict_bg)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(self.conflict_line)
        return fmt

    def update_format(self) -> QTextCharFormat:
        """A figure one claimant has since updated (or the update itself): not a conflict."""
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(self.update_line)
        return fmt

    def dispute_format(self) -> QTextCharFormat:
        """Two claimants one article quotes: the conflict colour, but no background (the article
        itself reports the disagreement)."""
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashDotLine)
        fmt.setUnderlineColor(self.conflict_line)
        return fmt

    def copy_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setProperty(COPY_PROPERTY, True)
        return fmt

    def unique_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(self.unique_bg)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(self.unique_line)
        return fmt

    def boilerplate_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(self.boilerplate_fg)
        fmt.setFontItalic(True)
        return fmt
