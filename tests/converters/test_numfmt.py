"""Numbers shown as Excel shows them under their number format (expected values are what
Excel displays for these formats)."""

from __future__ import annotations

import pytest

from jixiao.converters.numfmt import format_number


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (3000, "#,##0.00_);(#,##0.00)", "3,000.00"),
    (-3000, "#,##0.00_);(#,##0.00)", "(3,000.00)"),
    (-3000, "#,##0.00", "-3,000.00"),
    (5, "0.00", "5.00"),
    (0.256, "0.0%", "25.6%"),
    (12.5, '0.00"万元"', "12.50万元"),
    (1234.5, "#,##0", "1,235"),
    (2.675, "0.00", "2.68"),
    (0.5, "#.00", ".50"),
    (42, "General", "42"),
    (0.1, "General", "0.1"),
    (3.0, "General", "3"),
    (3, "[Red]0.0", "3.0"),
    (0, '0.00;-0.00;"-"', "-"),
    (5, "\\¥#,##0.00", "¥5.00"),
    (5, '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)', "5.00"),
    (0, '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)', "-"),
    (1.5e-7, "0.00E+00", "0.00000015"),  # scientific: the plain decimal instead
    (7, "@", "7"),
])
def test_numbers_as_excel_shows_them(value: float, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown
