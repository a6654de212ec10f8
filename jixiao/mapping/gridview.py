"""A read-only dense view over a sparse span-exact table, for mapping."""

from __future__ import annotations

from jixiao.schemas import Cell, CellRef, Table


class GridView:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.n_rows = table.n_rows
        self.n_cols = table.n_cols
        self._slots = table.slots().covering
        self._refs: dict[int, CellRef] = {}
        self._rows: dict[int, tuple[Cell, ...]] = {}

    def at(self, row: int, col: int) -> Cell | None:
        """The cell covering slot (row, col), merged or not."""
        return self._slots.get((row, col))

    def row(self, row: int) -> tuple[Cell, ...]:
        """Distinct cells covering ``row``, left to right (computed once per row: mapping
        asks for the same rows many times)."""
        found = self._rows.get(row)
        if found is None:
            out: list[Cell] = []
            for c in range(self.n_cols):
                cell = self._slots.get((row, c))
                if cell is not None and (not out or out[-1] is not cell):
                    out.append(cell)
            found = self._rows[row] = tuple(out)
        return found

    def alone(self, row: int) -> Cell | None:
        """The only non-empty cell covering ``row``, when it starts there (a label or a text
        alone on its row), else None."""
        filled = [c for c in self.row(row) if c.text.strip()]
        return filled[0] if len(filled) == 1 and filled[0].row == row else None

    def ref(self, cell: Cell) -> CellRef:
        """The cell's reference (one shared object per cell: references are read-only).

        ``page``: for a PDF table (it has ``pages``), the page the cell is on, its own (a
        table stitched across pages has cells on several), else the table's only page; a
        workbook's cells carry their sheet's number as ``provenance.page``, which is no page.
        """
        ref = self._refs.get(id(cell))
        if ref is None:
            pages = self.table.pages
            page = cell.provenance.page if pages and cell.provenance is not None else None
            if page is None and len(pages) == 1:
                page = pages[0]
            ref = self._refs[id(cell)] = CellRef(
                table=self.table.id, row=cell.row, col=cell.col,
                a1=self.table.a1(cell.row, cell.col), page=page,
            )
        return ref


def text(cell: Cell | None) -> str:
    """Cell text with outer white space removed (inner layout kept)."""
    return cell.text.strip() if cell is not None else ""
