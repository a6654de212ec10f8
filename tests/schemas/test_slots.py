"""The one dense view of a table (``Table.slots``) that the mapping and every writer use."""

from __future__ import annotations

from jixiao.schemas import Cell, Table


def test_merged_cells_cover_their_slots_and_misfits_are_stray() -> None:
    cells = [Cell(row=0, col=0, row_span=2, col_span=2, text="项目"),
             Cell(row=0, col=2, text="金额"),
             Cell(row=1, col=1, text="overlaps the merge"),  # a slot already covered
             Cell(row=1, col=2, col_span=3, text="spans past the edge"),  # clipped
             Cell(row=5, col=0, text="outside")]
    grid = Table(id="t0", n_rows=2, n_cols=3, cells=cells).slots()
    assert {slot: c.text for slot, c in grid.covering.items()} == {
        (0, 0): "项目", (0, 1): "项目", (1, 0): "项目", (1, 1): "项目",
        (0, 2): "金额", (1, 2): "spans past the edge"}
    assert [c.text for c in grid.stray] == ["overlaps the merge", "outside"]
    assert grid.is_top_left(0, 0) and not grid.is_top_left(1, 1)
    assert grid.at(3, 3) is None


def test_cells_out_of_reading_order_are_taken_in_reading_order() -> None:
    cells = [Cell(row=1, col=0, text="b"), Cell(row=0, col=0, row_span=2, text="a")]
    grid = Table(id="t0", n_rows=2, n_cols=1, cells=cells).slots()
    assert grid.at(1, 0) is not None and grid.at(1, 0).text == "a"
    assert [c.text for c in grid.stray] == ["b"]
