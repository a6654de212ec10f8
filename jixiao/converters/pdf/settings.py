"""The PDF converter's tolerances in one typed, frozen object, as pdfplumber's
``TableSettings``: ``PdfSettings``.

The defaults were tuned on the seed and real documents. A PDF from another program (rules
drawn as thicker bars, a table's lines drawn a little apart, a faint scan) may need one of
them changed, without editing code: ``jixiao.convert(path, pdf=PdfSettings(snap=3.0))``,
``PdfSettings.from_pairs(["snap=3"])`` or ``jixiao convert --pdf-setting snap=3``.

Only the values a user could reasonably tune are settings: distances in points (pt,
1/72 inch) or pixels, counts and shares. Ratios to the font size and the other choices of
the algorithms stay constants next to the code that uses them. Each field's metadata holds
its unit, what it does and its range (``describe``; the README's table is checked against
it). The object is small, frozen and picklable: it travels to the guarded child processes
of ``jixiao convert`` and to a batch's workers with each file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import Field, dataclass, field, fields
from typing import Any, cast

from jixiao.exceptions import UsageError


def _setting(
    default: float, unit: str, doc: str, low: float = 0.0, high: float | None = None
) -> Any:
    """A field with its unit, meaning and allowed range (``low`` ≤ value ≤ ``high``)."""
    return field(default=default, metadata={"unit": unit, "doc": doc, "low": low, "high": high})


@dataclass(frozen=True, slots=True)
class PdfSettings:
    """Tolerances of the PDF table finder, scan detection and scan reading (see module)."""

    # --- ruling lines and grids (digital pages; scans use scan_snap instead of snap) ----
    snap: float = _setting(
        2.0, "pt", "ruling lines whose positions differ by less than this are one line, and "
        "lines this close touch (one table)")
    thin_line: float = _setting(
        2.0, "pt", "a rectangle or path piece no thicker than this is a drawn line, not a box")
    min_line_length: float = _setting(
        3.0, "pt", "shorter pieces are glyph strokes or the ends of thin rectangles, "
        "not ruling lines")
    max_rule_width: float = _setting(
        4.0, "pt", "a filled bar up to this thick (and 4 times as long) is a rule, not shading")
    border_reach: float = _setting(
        1.0, "pt", "a line separates two cells only when it runs to within this of the middle "
        "of their shared side (a stub does not)")
    # --- the borderless first row and page stitching ----------------------------------
    column_start: float = _setting(
        3.0, "pt", "a piece of a borderless first row (填报单位：…  单位：万元) starts its own "
        "cell only when it starts within this of a column boundary")
    row_overhang: float = _setting(
        2.0, "pt", "a text line right above a table is its borderless first row only when it "
        "sticks out past the table's sides by no more than this")
    stitch_tolerance: float = _setting(
        2.0, "pt", "a table continues on the next page only when the column boundaries there "
        "are its own within this")
    # --- which pages are scans --------------------------------------------------------
    min_text_chars: int = _setting(
        10, "characters", "a page with fewer characters than this, covered by images, is a "
        "scan (read by OCR)")
    min_image_cover: float = _setting(
        0.3, "share of the page, 0 to 1", "how much of such a page its images must cover "
        "for it to be a scan", high=1.0)
    # --- scanned pages ----------------------------------------------------------------
    scan_dpi: int = _setting(
        150, "dpi", "resolution scans are rendered at for OCR, 50 to 600 (the OCR models and "
        "the pixel settings are tuned for 150; memory grows with its square)", 50, 600)
    scan_snap: float = _setting(
        3.0, "pt", "snap for the ruling lines found in a scan (rougher than drawn ones)")
    scan_bridge: int = _setting(
        9, "px", "gaps this long in a scanned ruling line (pinholes, JPEG blocks) are closed",
        low=1)
    scan_max_break: float = _setting(
        30.0, "pt", "a longer gap in a scanned ruling line is never bridged (a shorter one is "
        "when no line crosses at either end)")
    scan_crossing: float = _setting(
        0.5, "pt", "OCR'd text set solid across a column border by more than this on both "
        "sides shows the border is noise (a glyph touching a line)")
    low_confidence: float = _setting(
        0.8, "OCR confidence, 0 to 1", "OCR'd cells read with a lower confidence become "
        "ocr.low_confidence findings", high=1.0)

    def __post_init__(self) -> None:
        """Check each value's type and range (a negative tolerance is a mistake, not a
        setting); an int given for a float field is stored as a float."""
        for f in fields(self):
            value, default = getattr(self, f.name), _default(f)
            if isinstance(default, float) and isinstance(value, int) and not isinstance(
                value, bool
            ):
                value = float(value)
                object.__setattr__(self, f.name, value)
            if type(value) is not type(default):
                raise UsageError(f"PDF setting {f.name}: {value!r} is not {_kind(default)}")
            _check_range(f.name, value, f.metadata)

    def with_overrides(self, values: Mapping[str, str | int | float]) -> PdfSettings:
        """These settings with ``values`` (key → value, a string parsed to the key's type)
        in place; raises ``UsageError`` naming the key for an unknown key (listing the
        valid ones), a value that does not parse, or one out of range."""
        by_name = {f.name: f for f in fields(self)}
        changed: dict[str, Any] = {}
        for key, raw in values.items():
            name = key.strip()
            f = by_name.get(name)
            if f is None:
                raise UsageError(f"unknown PDF setting {name!r}; valid keys: {', '.join(KEYS)}")
            changed[name] = _parse(name, raw, _default(f)) if isinstance(raw, str) else raw
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        return PdfSettings(**{**current, **changed})

    @classmethod
    def from_pairs(cls, pairs: Iterable[str]) -> PdfSettings:
        """The defaults with ``KEY=VALUE`` strings (``--pdf-setting``) in place, the last of
        a key repeated winning; raises ``UsageError`` as ``with_overrides`` does."""
        values: dict[str, str] = {}
        for pair in pairs:
            key, sep, value = pair.partition("=")
            if not sep:
                raise UsageError(
                    f"PDF setting {pair!r}: expected KEY=VALUE; valid keys: {', '.join(KEYS)}")
            values[key.strip()] = value
        return cls().with_overrides(values)

    def overrides(self) -> dict[str, int | float]:
        """The settings that differ from the defaults (empty for the defaults): what a
        batch records with each output, so that a rerun with other settings redoes it."""
        out: dict[str, int | float] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value != _default(f):
                out[f.name] = value
        return out


def _default(f: Field[Any]) -> int | float:
    """A setting's default (every field has one: ``_setting``)."""
    return cast("int | float", f.default)


def _kind(default: float) -> str:
    return "an integer" if isinstance(default, int) else "a number"


def _parse(name: str, raw: str, default: float) -> int | float:
    text = raw.strip()
    try:
        value: int | float = int(text) if isinstance(default, int) else float(text)
    except ValueError:
        raise UsageError(
            f"PDF setting {name}: {raw!r} is not {_kind(default)} "
            f"(default {default})") from None
    if not math.isfinite(value):
        raise UsageError(f"PDF setting {name}: {raw!r} is not a finite number")
    return value


def _check_range(name: str, value: float, meta: Mapping[str, Any]) -> None:
    low, high = meta["low"], meta["high"]
    if not math.isfinite(value) or value < low or (high is not None and value > high):
        allowed = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
        raise UsageError(f"PDF setting {name}: {value!r} is out of range ({allowed} "
                         f"{meta['unit']})")


def describe() -> list[tuple[str, str, str, str]]:
    """(key, default, unit, meaning) of every setting, in order: the README's table and
    ``--pdf-setting help``."""
    return [
        (f.name, str(f.default), f.metadata["unit"], f.metadata["doc"])
        for f in fields(PdfSettings)
    ]


KEYS: tuple[str, ...] = tuple(f.name for f in fields(PdfSettings))
DEFAULTS = PdfSettings()
