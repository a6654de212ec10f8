"""``jixiao batch --to html``: OUT/index.html lists every document of the batch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lxml import html

from tests.batch.archive import jixiao
from tests.conftest import SEEDS

CLEAN = SEEDS.parent / "variants" / "clean-project.docx"


def rows(page: Path) -> dict[str, tuple[str | None, str]]:
    """source → (link, status) of each row of an index page."""
    tree = html.parse(str(page))
    found = {}
    for tr in tree.xpath("//tr[@data-status]"):
        cell = tr.xpath("./td")[1]
        links = cell.xpath(".//a/@href")
        found[cell.text_content().strip()] = (links[0] if links else None, tr.get("data-status"))
    return found


def test_the_index_links_each_report_and_lists_failures_on_every_run(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    (archive / "sub").mkdir(parents=True)
    shutil.copyfile(SEEDS / "yuanjiang-2024.docx", archive / "sub" / "a.docx")
    shutil.copyfile(CLEAN, archive / "index.docx")  # its report is index.docx.html
    shutil.copyfile(CLEAN, archive / "index")  # a Word file without a suffix: index.html
    (archive / "broken.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    (archive / "notes.txt").write_text("not a document")
    out = tmp_path / "out"

    for run in (1, 2):  # the second run converts nothing: all resumed, same index
        result = jixiao("batch", archive, "-o", out, "--to", "html,json", "--workers", "1")
        assert result.returncode == 1, result.stderr  # broken.docx failed
        page = out / "index-2.html"  # index.html is the report of "index"
        assert page.is_file() and (out / "index.html").is_file(), run
        got = rows(page)
        assert set(got) == {"sub/a.docx", "index.docx", "index", "broken.docx"}
        assert got["sub/a.docx"] == ("sub/a.docx.html", "ok")
        assert got["index.docx"] == ("index.docx.html", "ok")
        assert got["index"] == ("index.html", "ok")
        assert got["broken.docx"] == (None, "failed")
        for link, _ in got.values():
            assert link is None or (out / link).is_file()
        report = {f["rel"]: f for f in json.loads((out / "_report.json").read_text())["files"]}
        assert report["sub/a.docx"]["resumed"] is (run == 2)
        document = json.loads((out / "sub" / "a.docx.json").read_text())
        assert report["sub/a.docx"]["tables"] == len(document["tables"])
        assert report["sub/a.docx"]["conversion_errors"] == len(document["errors"])
        text = page.read_text("utf-8")
        assert str(report["sub/a.docx"]["forms"]) in text
