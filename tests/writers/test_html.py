"""HTML review report: content (every cell, merges, findings, forms), self-containment,
escaping, page images, the index page of ``jixiao convert --to html``, and, in headless
Chromium, real layout: spans as drawn, the finding highlight visible, a screenshot.

The Chromium check runs once per session: a harness page holds the reports in ``srcdoc``
iframes (same origin, so its script can measure them), measures every grid cell against the
row and column boundaries, checks the highlighted cell and the page image, and writes JSON
into ``<pre id="result">``; ``--dump-dom`` returns it and ``--screenshot`` keeps a picture of
the first frame (the PDF report scrolled to the table with the error finding).
"""

from __future__ import annotations

import base64
import html
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.schemas import Cell, CellRef, Document, Finding, Form, Source, Table
from jixiao.writers import WRITERS, parse_formats
from jixiao.writers.html import render
from jixiao.writers.html.common import cell_anchor
from jixiao.writers.html.images import png_grey
from tests.conftest import ROOT, SEEDS

ERROR_CELL = "cell-t7-10-4"  # 办案经费: 成本指标 专项资金 1.6万元 over the budget of 1.28
ARTIFACTS = ROOT / "test-artifacts"
VIEW = (1400, 1400)  # browser window, and the size of each report frame


@pytest.fixture(scope="session")
def pdf_document() -> Document:
    from jixiao import convert

    return convert(SEEDS / "yuanjiang-2024.pdf")


@pytest.fixture(scope="session")
def docx_document(seed_documents: dict[str, Document]) -> Document:
    return seed_documents["yuanjiang-2024"]


def parse(data: bytes) -> Any:
    return lxml.html.document_fromstring(data.decode("utf-8"))


def synthetic(
    text: str = "x", finding: str = "问题", confidence: float | None = None, **source: Any
) -> Document:
    """A 4 × 4 grid of one-line cells: (0,0) spans 2 rows, (0,1) 2 columns, (2,2) 2 × 2
    (with an error finding: its mark's extra line fits in its two rows)."""
    spans = {(0, 0): (2, 1), (0, 1): (1, 2), (2, 2): (2, 2)}
    covered = {(1, 0), (0, 2), (2, 3), (3, 2), (3, 3)}
    cells = [
        Cell(row=r, col=c, row_span=spans.get((r, c), (1, 1))[0],
             col_span=spans.get((r, c), (1, 1))[1], text=text if (r, c) == (1, 1) else f"{r}{c}",
             confidence=confidence if (r, c) == (3, 0) else None)
        for r in range(4) for c in range(4) if (r, c) not in covered
    ]
    src = {"path": "nowhere/s.pdf", "sha256": "0" * 64, "format": "pdf", "size": 1} | source
    return Document(
        source=Source(**src), tables=[Table(id="t0", n_rows=4, n_cols=4, cells=cells)],
        forms=[Form(id="f0", kind="project_goals", title=text, table_ids=["t0"])],
        findings=[Finding(rule="x.y", severity="error", message=finding, form="f0",
                          cell=CellRef(table="t0", row=2, col=2), value=text)],
    )


# --- content ---------------------------------------------------------------------------


def test_registered() -> None:
    assert "html" in WRITERS
    assert parse_formats("json,html") == ["json", "html"]


@pytest.mark.parametrize("which", ["docx", "pdf"])
def test_every_cell_with_its_spans(which: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(f"{which}_document")
    root = parse(render(doc))
    tds = root.xpath("//table[@class='grid']//td[@data-row]")
    assert len(tds) == sum(len(t.cells) for t in doc.tables)
    for table in doc.tables:
        for cell in table.cells:
            td = root.get_element_by_id(cell_anchor(table.id, cell.row, cell.col))
            assert td.tag == "td"
            assert (td.get("data-row"), td.get("data-col")) == (str(cell.row), str(cell.col))
            assert int(td.get("rowspan", 1)) == cell.row_span
            assert int(td.get("colspan", 1)) == cell.col_span
            assert td.find_class("ct")[0].text_content() == cell.text
    text = root.text_content()
    assert "本年度\n绩效指标" in text and "1.6万元" in text


def test_findings_highlighted_and_linked(docx_document: Document) -> None:
    root = parse(render(docx_document))
    td = root.get_element_by_id(ERROR_CELL)
    assert "finding-error" in td.get("class").split()
    assert "成本指标“专项资金”为1.6万元，超过本表预算1.28万元。" in td.get("title")
    rows = root.xpath("//section[@id='findings']//tr[contains(@class, 'sev-')]")
    assert len(rows) == len(docx_document.findings)
    number = next(i for i, f in enumerate(docx_document.findings, 1) if f.severity == "error")
    row = root.get_element_by_id(f"finding-{number}")
    (link,) = row.xpath(f".//a[@href='#{ERROR_CELL}']")  # list → cell
    assert link.text_content() == "table 8 row 11 col 5"  # t7 r10 c4, where a person looks
    assert td.xpath(f".//a[@href='#finding-{number}']")  # cell → list
    finding = docx_document.findings[number - 1]
    form = next(f for f in docx_document.forms if f.id == finding.form)
    (named,) = row.xpath(f".//a[@href='#form-{form.id}']")  # the form by its project
    assert named.text_content() == form.project.name and named.get("title") == form.id
    warned = root.get_element_by_id("cell-t7-9-4")  # 905 under a rate: two warnings
    assert "finding-warning" in warned.get("class").split()
    assert len(warned.find_class("fmark")) == 2


def test_forms_fields_and_indicators(docx_document: Document) -> None:
    root = parse(render(docx_document))
    form = root.get_element_by_id("form-f7")
    text = form.text_content()
    assert "办案经费" in text and "1.28" in text
    rows = form.xpath(".//table[contains(@class, 'indicators')]/tbody/tr")
    assert len(rows) == 9
    heads = [th.text_content() for th in form.xpath(".//table[contains(@class, 'indicators')]//th")]
    cost = next(r for r in rows if "专项资金" in r.text_content())
    cells = dict(zip(heads, [td.text_content() for td in cost.xpath("./td")], strict=True))
    assert [cells[f"{n}级指标level {i}"] for i, n in enumerate("一二三", 1)] == [
        "产出指标", "成本指标", "专项资金"]
    assert cells["指标值target (原文 raw)"] == "1.6万元"
    assert cells["解析parsed"] == "= 1.6 万元= 16000 元"  # two lines
    assert cells["类型kind"] == "金额money" and cells["单元格cell"] == "table 8 row 11 col 5"
    assert cost.xpath(".//*[contains(@class, 'finding-cell-error')]")
    dated = parse(render(docx_document)).get_element_by_id("form-f0").text_content()
    assert "≤ 2024-12-31" in dated and "≥ 95 %" in dated


def test_pdf_findings_show_the_page(pdf_document: Document) -> None:
    root = parse(render(pdf_document))
    number = next(i for i, f in enumerate(pdf_document.findings, 1) if f.severity == "error")
    (link,) = root.get_element_by_id(f"finding-{number}").xpath(f".//a[@href='#{ERROR_CELL}']")
    assert link.text_content() == "p.9 table 8 row 11 col 5"  # test_validate checks page 9
    heading = root.get_element_by_id("table-t7").xpath(".//h3")[0].text_content()
    assert heading.startswith("表格table 8 (t7)")


def test_self_contained_and_deterministic(pdf_document: Document) -> None:
    data = render(pdf_document)
    assert data == render(pdf_document)
    root = parse(data)
    assert not root.xpath("//link | //iframe | //object | //embed | //script[@src]")
    assert all(src.startswith("data:image/") for src in root.xpath("//@src"))
    assert all(href.startswith("#") for href in root.xpath("//@href"))
    assert b"http://" not in data and b"https://" not in data


def test_pdf_page_image_beside_its_table(pdf_document: Document) -> None:
    root = parse(render(pdf_document))
    section = root.get_element_by_id("table-t7")
    (img,) = section.xpath(".//figure[@class='pages']//img")
    png = base64.b64decode(img.get("src").removeprefix("data:image/png;base64,"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (893, 1263)  # A4 at scale 1.5
    boxes = section.xpath(".//a[contains(@class, 'box')]")
    assert f"#{ERROR_CELL}" in [b.get("href") for b in boxes]
    assert len(root.xpath("//figure[@class='pages']//img")) == 10  # one per page, never twice


def test_missing_or_changed_pdf_is_omitted_gracefully(tmp_path: Path) -> None:
    for doc, words in [
        (synthetic(), "source PDF not found"),
        (synthetic(path=str(SEEDS / "yuanjiang-2024.pdf")), "source PDF changed"),
    ]:
        doc.tables[0].pages = [1]
        root = parse(render(doc))
        assert not root.xpath("//img")
        assert words in root.get_element_by_id("table-t0").text_content()


def test_text_is_escaped() -> None:
    evil = '<script>alert("x")</script> & <b>bold</b> \' "q"'
    root = parse(render(synthetic(text=evil, finding=evil)))
    assert len(root.xpath("//script")) == 1 and not root.xpath("//b")
    assert root.get_element_by_id("cell-t0-1-1").find_class("ct")[0].text_content() == evil
    assert root.get_element_by_id("cell-t0-2-2").get("title") == evil


def test_low_confidence_cell_shows_its_confidence() -> None:
    td = parse(render(synthetic(confidence=0.42))).get_element_by_id("cell-t0-3-0")
    assert "low-confidence" in td.get("class").split()
    assert "置信度 0.42" in td.text_content()


def test_corrected_cell_shows_what_was_read() -> None:
    doc = synthetic()
    cell = doc.tables[0].cells[-1]
    cell.text, cell.read_as = "“雪亮工程”", "“雪亮工程“"
    td = parse(render(doc)).get_element_by_id(f"cell-t0-{cell.row}-{cell.col}")
    assert "corrected" in td.get("class").split()
    assert td.find_class("ct")[0].text_content() == "“雪亮工程”"
    assert td.find_class("read-as")[0].text_content() == "识别为 “雪亮工程“"
    assert "read as: “雪亮工程“" in td.get("title")


def test_png_encoder_round_trip() -> None:
    np = pytest.importorskip("numpy")
    image = pytest.importorskip("PIL.Image")
    import io

    pixels = (np.arange(35 * 17, dtype=np.uint32) % 251).astype(np.uint8).reshape(17, 35)
    decoded = image.open(io.BytesIO(png_grey(pixels)))
    assert decoded.size == (35, 17) and np.array_equal(np.asarray(decoded), pixels)


# --- index page of a run ---------------------------------------------------------------


def test_index_page_links_every_file(tmp_path: Path, docx_document: Document) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "yuanjiang-2024.docx", src / "沅江 #1.docx")
    shutil.copy(SEEDS / "laoting-2024.docx", src / "laoting.docx")
    (src / "broken.docx").write_bytes(b"not a document")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["convert", str(src), "-o", str(out), "--to", "html,json"])
    assert result.exit_code == 1  # broken.docx
    assert {p.name for p in out.iterdir()} >= {"index.html", "沅江 #1.docx.html",
                                               "laoting.docx.html"}
    root = parse((out / "index.html").read_bytes())
    rows = root.xpath("//tbody/tr")
    assert [r.get("data-status") for r in rows] == ["failed", "ok", "ok"]
    assert "broken.docx" in rows[0].text_content() and not rows[0].xpath(".//a")
    (link,) = rows[2].xpath(".//a")
    assert link.get("href") == "%E6%B2%85%E6%B1%9F%20%231.docx.html"  # relative, quoted
    counts = [td.text_content() for td in rows[2].xpath("./td[contains(@class, 'num')]")]
    doc = docx_document  # the same file: 9 forms, 9 tables, an error, warnings, infos
    expected = [len(doc.forms), len(doc.tables),
                *(sum(f.severity == s for f in doc.findings) for s in ("error", "warning", "info")),
                len(doc.errors)]
    assert counts == [str(n) for n in expected] and expected[:3] == [9, 9, 1]


def test_index_page_never_overwrites_a_report(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "laoting-2024.docx", src / "index")  # a Word file without a suffix
    shutil.copy(SEEDS / "yuanjiang-2024.docx", src / "other.docx")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index-2.html").write_text("a page of the user's own")
    result = CliRunner().invoke(
        app, ["convert", str(src / "index"), str(src / "other.docx"), "-o", str(out),
              "--to", "html"])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").read_bytes().startswith(b"<!DOCTYPE html>")  # the report
    assert (out / "index-2.html").read_text() == "a page of the user's own"
    assert "index.html" in (out / "index-3.html").read_text("utf-8")  # the run's index
    again = CliRunner().invoke(
        app, ["convert", str(src / "index"), str(src / "other.docx"), "-o", str(out),
              "--to", "html"])
    assert again.exit_code == 0 and not (out / "index-4.html").exists()  # its own replaced
    single = tmp_path / "single"
    CliRunner().invoke(app, ["convert", str(src / "other.docx"), "-o", str(single),
                             "--to", "html"])
    assert [p.name for p in single.glob("*.html")] == ["other.docx.html"]  # no index page


# --- headless Chromium -----------------------------------------------------------------

MEASURE = r"""
function rect(el) { const b = el.getBoundingClientRect();
  return {left: b.left, top: b.top, right: b.right, bottom: b.bottom, w: b.width, h: b.height}; }
function measure(frame) {
  const doc = frame.contentDocument, win = frame.contentWindow, tables = {};
  for (const table of doc.querySelectorAll('table.grid')) {
    const body = table.tBodies[0], probe = doc.createElement('tr');
    for (let i = 0; i < +table.dataset.cols; i++) probe.appendChild(doc.createElement('td'));
    body.appendChild(probe);  // one single cell per column: the column boundaries
    const cells = [];
    for (const td of table.querySelectorAll('td[data-row]')) {
      if (td.closest('table') !== table) continue;
      cells.push({row: +td.dataset.row, col: +td.dataset.col, rs: td.rowSpan, cs: td.colSpan,
                  ...rect(td)});
    }
    tables[table.dataset.table] = {
      rows: [...body.rows].slice(0, -1).map(rect), cols: [...probe.cells].map(rect), cells};
    probe.remove();
  }
  return tables;
}
function highlight(frame, anchor, section) {
  // Show the section at the top of the window without scrolling (a scrolled page shoots
  // blank in headless Chromium): the frame as tall as its page, shifted up.
  const doc = frame.contentDocument, win = frame.contentWindow;
  const shift = doc.getElementById(section).getBoundingClientRect().top;
  frame.style.height = doc.documentElement.scrollHeight + 'px';
  frame.style.marginTop = -shift + 'px';
  const td = doc.getElementById(anchor), box = rect(td), style = win.getComputedStyle(td);
  const plain = [...doc.querySelectorAll('table.grid td[data-row]')].find(t => !t.className);
  const hit = doc.elementFromPoint(box.left + box.w / 2, box.top + box.h / 2);
  const out = {cls: td.className, title: td.title, box, bg: style.backgroundColor,
    plainBg: win.getComputedStyle(plain).backgroundColor, shadow: style.boxShadow,
    visibility: style.visibility, display: style.display, opacity: style.opacity,
    hit: !!hit && td.contains(hit), viewH: win.innerHeight, viewW: win.innerWidth, shift,
    listed: !!doc.querySelector('#findings a[href="#' + anchor + '"]')};
  const sec = doc.getElementById(section), img = sec.querySelector('figure.pages img');
  if (img) {
    const mark = sec.querySelector('a.box[href="#' + anchor + '"]'), m = rect(mark);
    const top = doc.elementFromPoint(m.left + m.w / 2, m.top + m.h / 2);
    Object.assign(out, {img: rect(img), natural: [img.naturalWidth, img.naturalHeight],
      complete: img.complete, grid: rect(sec.querySelector('table.grid')), mark: m,
      markOnTop: top === mark});
  }
  return out;
}
window.addEventListener('load', function () {
  const result = {};
  try {
    for (const frame of document.querySelectorAll('iframe')) {
      result[frame.id] = {tables: measure(frame)};
      if (frame.dataset.anchor)
        result[frame.id].highlight = highlight(frame, frame.dataset.anchor, frame.dataset.section);
    }
  } catch (e) { result.error = String(e) + '\n' + e.stack; }
  document.getElementById('result').textContent = JSON.stringify(result);
});
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("JIXIAO_SKIP_BROWSER"):
        pytest.skip("no Chromium (JIXIAO_SKIP_BROWSER set)")
    pytest.fail("Chromium not found: run scripts/system-deps.sh (or set JIXIAO_SKIP_BROWSER=1)")


@pytest.fixture(scope="session")
def browser(pdf_document: Document, docx_document: Document,
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One Chromium run: the measurements, and the screenshot's path."""
    binary = chromium()
    tmp = tmp_path_factory.mktemp("chromium")
    frames = [("pdf", pdf_document, "table-t7", ERROR_CELL),
              ("docx", docx_document, "table-t7", ERROR_CELL),
              ("synthetic", synthetic(), "table-t0", "cell-t0-2-2")]
    iframes = "".join(
        f'<iframe id="{name}" data-section="{section}" data-anchor="{anchor}" '
        f'style="display:block;border:0;width:{VIEW[0]}px;height:{VIEW[1]}px" '
        f'srcdoc="{html.escape(render(doc).decode("utf-8"))}"></iframe>'
        for name, doc, section, anchor in frames
    )
    harness = tmp / "harness.html"
    harness.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}</style></head>'
        f'<body>{iframes}<pre id="result"></pre><script>{MEASURE}</script></body></html>',
        "utf-8",
    )
    for name, doc, _, _ in frames:  # the reports themselves, to open by hand
        (tmp / f"{name}.html").write_bytes(render(doc))
    shot = tmp / "yuanjiang-2024.pdf.png"
    run = subprocess.run(
        [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions",
         "--disable-background-networking", "--force-device-scale-factor=1",
         f"--user-data-dir={tmp / 'profile'}", f"--window-size={VIEW[0]},{VIEW[1]}",
         f"--screenshot={shot}", "--dump-dom", harness.as_uri()],
        capture_output=True, timeout=180, check=False,
    )
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")[-2000:]
    dom = lxml.html.document_fromstring(run.stdout.decode("utf-8"))
    result: dict[str, Any] = json.loads(dom.get_element_by_id("result").text_content())
    assert "error" not in result, result.get("error")
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / shot.name)
    result["screenshot"] = shot
    return result


def close(a: float, b: float, tolerance: float = 2.0) -> bool:
    return abs(a - b) <= tolerance


@pytest.mark.parametrize("frame", ["pdf", "docx", "synthetic"])
def test_browser_draws_every_merge(
    frame: str, browser: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    doc = synthetic() if frame == "synthetic" else request.getfixturevalue(f"{frame}_document")
    measured = browser[frame]["tables"]
    assert set(measured) == {t.id for t in doc.tables}
    for table in doc.tables:
        drawn = {(c["row"], c["col"]): c for c in measured[table.id]["cells"]}
        rows, cols = measured[table.id]["rows"], measured[table.id]["cols"]
        assert len(rows) == table.n_rows and len(cols) == table.n_cols
        assert len(drawn) == len(table.cells)
        for cell in table.cells:
            box = drawn[(cell.row, cell.col)]
            where = f"{table.id} r{cell.row} c{cell.col}"
            assert (box["rs"], box["cs"]) == (cell.row_span, cell.col_span), where
            last_row, last_col = cell.row + cell.row_span - 1, cell.col + cell.col_span - 1
            # the cell covers exactly its rows and columns, edge to edge
            assert close(box["top"], rows[cell.row]["top"]), where
            assert close(box["bottom"], rows[last_row]["bottom"]), where
            assert close(box["left"], cols[cell.col]["left"]), where
            assert close(box["right"], cols[last_col]["right"]), where
            span_height = sum(rows[r]["h"] for r in range(cell.row, last_row + 1))
            assert close(box["h"], span_height, 1.0 + cell.row_span), where


def test_browser_row_span_two_is_twice_a_row(browser: dict[str, Any]) -> None:
    cells = {(c["row"], c["col"]): c for c in browser["synthetic"]["tables"]["t0"]["cells"]}
    single = cells[(0, 3)]["h"]
    assert single > 10
    assert abs(cells[(0, 0)]["h"] - 2 * single) <= 3  # rowspan 2
    assert abs(cells[(2, 2)]["h"] - 2 * single) <= 3  # 2 × 2
    assert cells[(0, 1)]["w"] > 1.8 * cells[(1, 1)]["w"]  # colspan 2, same text length


@pytest.mark.parametrize("frame", ["pdf", "docx", "synthetic"])
def test_browser_finding_highlight_is_visible(frame: str, browser: dict[str, Any]) -> None:
    seen = browser[frame]["highlight"]
    assert "finding-error" in seen["cls"].split()
    assert seen["bg"] != seen["plainBg"] and seen["bg"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert seen["shadow"] != "none"
    assert (seen["visibility"], seen["display"], seen["opacity"]) == ("visible", "table-cell", "1")
    box = seen["box"]
    assert box["w"] > 20 and box["h"] > 10
    assert box["top"] >= 0 and box["bottom"] <= seen["viewH"] and box["right"] <= seen["viewW"]
    on_screen = (box["top"] - seen["shift"], box["bottom"] - seen["shift"])
    assert on_screen[0] >= 0 and on_screen[1] <= VIEW[1]  # in the window, above the fold
    assert seen["hit"], "another element covers the highlighted cell"
    assert seen["listed"] and seen["title"]


def test_browser_pdf_page_image_beside_table(
    browser: dict[str, Any], pdf_document: Document
) -> None:
    seen = browser["pdf"]["highlight"]
    img, grid, mark, cell = seen["img"], seen["grid"], seen["mark"], seen["box"]
    assert seen["complete"] and seen["natural"] == [893, 1263]
    assert img["left"] >= grid["right"] and img["w"] > 400  # beside, readable
    assert img["top"] < grid["bottom"] and grid["top"] < img["bottom"]
    assert img["left"] <= mark["left"] and mark["right"] <= img["right"]
    assert seen["markOnTop"]
    # the outline sits where the cell is on the page (A4: 595 × 842 points)
    (cell_bbox,) = [c.provenance.bbox for c in pdf_document.tables[7].cells
                    if (c.row, c.col) == (10, 4) and c.provenance]
    assert cell_bbox is not None
    assert close((mark["top"] - img["top"]) / img["h"], cell_bbox[1] / 841.89, 0.005)
    assert close((mark["left"] - img["left"]) / img["w"], cell_bbox[0] / 595.30, 0.005)
    assert cell["top"] > grid["top"]


def test_browser_screenshot_shows_the_highlight(browser: dict[str, Any]) -> None:
    image = pytest.importorskip("PIL.Image")
    np = pytest.importorskip("numpy")
    shot = image.open(browser["screenshot"]).convert("RGB")
    assert shot.size == VIEW
    seen = browser["pdf"]["highlight"]
    left, right = int(seen["box"]["left"]), int(seen["box"]["right"])
    top, bottom = (int(seen["box"][k] - seen["shift"]) for k in ("top", "bottom"))
    inner = np.asarray(shot.crop((left + 4, top + 4, right - 4, bottom - 4))).astype(int)
    r, g, b = inner[..., 0], inner[..., 1], inner[..., 2]
    pink = (r > 245) & (abs(g - 214) <= 10) & (abs(b - 214) <= 10)
    assert pink.mean() > 0.5  # the error background (#ffd6d6), as painted on screen
    border = np.asarray(shot.crop((left, top + 4, left + 3, bottom - 4))).astype(int)
    assert (abs(border - [198, 40, 40]).sum(axis=-1) < 60).mean() > 0.5  # the red outline
    assert (ARTIFACTS / browser["screenshot"].name).exists()
