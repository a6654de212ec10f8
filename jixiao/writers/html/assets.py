"""The report's inline style sheet and script: no file, font or network is ever fetched."""

from __future__ import annotations

CSS = """
:root { --err: #ffd6d6; --err-line: #c62828; --warn: #fff0b3; --warn-line: #e08a00;
  --info: #dcebff; --info-line: #1e63c4; --low: #7b3fa0; --line: #8a8f98; --muted: #5f6670; }
* { box-sizing: border-box; }
body { margin: 0; padding: 0 24px 48px; color: #1d2129; background: #fff;
  font: 14px/1.5 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 22px; margin: 20px 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #d0d4da; }
h3 { font-size: 16px; margin: 24px 0 6px; }
h4 { font-size: 14px; margin: 14px 0 4px; }
.en { color: var(--muted); font-weight: normal; font-size: 0.86em; margin-left: 0.3em; }
.muted, .note { color: var(--muted); }
a { color: #1e63c4; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; }
nav.toc { position: sticky; top: 0; z-index: 5; background: #f5f6f8; padding: 6px 10px;
  border-bottom: 1px solid #d0d4da; margin: 0 -24px; }
nav.toc a { margin-right: 16px; text-decoration: none; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.counts span { display: inline-block; margin: 2px 8px 2px 0; padding: 1px 8px;
  border-radius: 10px; background: #eef0f3; }
.counts .sev-error { background: var(--err); } .counts .sev-warning { background: var(--warn); }
.counts .sev-info { background: var(--info); }
table.list { border-collapse: collapse; margin: 6px 0 12px; }
table.list th, table.list td { border: 1px solid #cfd3d9; padding: 3px 7px; vertical-align: top;
  text-align: left; }
table.list th { background: #f0f2f5; font-weight: 600; white-space: nowrap; }
tr.sev-error td.sev { background: var(--err); } tr.sev-warning td.sev { background: var(--warn); }
tr.sev-info td.sev { background: var(--info); }
table.findings { width: 100%; }
table.findings td:nth-child(-n+5) { white-space: nowrap; }
table.findings code { word-break: normal; }
.filters label { margin-right: 14px; }
body.hide-error .sev-error.row, body.hide-warning .sev-warning.row,
body.hide-info .sev-info.row { display: none; }
.table-view { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 44%); gap: 20px;
  align-items: start; margin: 8px 0 28px; }
.table-view.no-pages { grid-template-columns: minmax(0, 1fr); }
@media (max-width: 1000px) { .table-view { grid-template-columns: minmax(0, 1fr); } }
.grid-wrap { overflow-x: auto; }
table.grid { border-collapse: collapse; table-layout: auto; width: 100%; background: #fff; }
table.grid td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: middle;
  position: relative; min-width: 2.5em; }
table.grid td.hdr { background: #f0f2f5; font-weight: 600; }
table.grid td.blank { background: #fafafa; }
.ct { white-space: pre-wrap; overflow-wrap: anywhere; }
td.finding-info { background: var(--info); box-shadow: inset 0 0 0 2px var(--info-line); }
td.finding-warning { background: var(--warn); box-shadow: inset 0 0 0 2px var(--warn-line); }
td.finding-error { background: var(--err); box-shadow: inset 0 0 0 3px var(--err-line); }
a.fmark { display: inline-block; margin: 0 2px; padding: 0 5px; border-radius: 8px;
  font-size: 11px; line-height: 16px; color: #fff; text-decoration: none; vertical-align: top; }
a.fmark.sev-error { background: var(--err-line); }
a.fmark.sev-warning { background: var(--warn-line); }
a.fmark.sev-info { background: var(--info-line); }
td.low-confidence { outline: 2px dashed var(--low); outline-offset: -3px; }
.conf { display: block; font-size: 11px; color: var(--low); }
td.corrected { outline: 2px dotted var(--low); outline-offset: -3px; }
.read-as { display: block; font-size: 11px; color: var(--low); text-decoration: line-through; }
section, td, tr, .page { scroll-margin-top: 48px; }
:target { outline: 3px solid #111 !important; outline-offset: 1px; }
figure.pages { margin: 0; }
.page { margin: 0 0 12px; border: 1px solid #cfd3d9; }
.sheet { position: relative; line-height: 0; }
.page img { display: block; width: 100%; height: auto; cursor: zoom-in; }
.page figcaption { line-height: 1.5; padding: 2px 6px; background: #f5f6f8; font-size: 12px; }
.page a.box { position: absolute; display: block; border: 2px solid; }
.page a.box.sev-error { border-color: var(--err-line); background: rgba(198, 40, 40, .16); }
.page a.box.sev-warning { border-color: var(--warn-line); background: rgba(224, 138, 0, .14); }
.page a.box.sev-info { border-color: var(--info-line); background: rgba(30, 99, 196, .12); }
figure.pages.zoom { position: fixed; inset: 0; z-index: 10; overflow: auto; background: #fff;
  padding: 12px; }
figure.pages.zoom .page img { cursor: zoom-out; }
tr.empty td { color: var(--muted); font-style: italic; }
tr.na td { color: var(--muted); }
.finding-cell-error { background: var(--err); } .finding-cell-warning { background: var(--warn); }
.finding-cell-info { background: var(--info); }
details { margin: 8px 0; } summary { cursor: pointer; }
.block-heading { font-weight: 600; }
@media print { nav.toc, .filters { display: none; } .table-view { display: block; } }
"""

# Severity filters for the findings list, and a click on a page image to see it full size.
JS = """
(function () {
  document.querySelectorAll('.filters input[data-sev]').forEach(function (box) {
    box.addEventListener('change', function () {
      document.body.classList.toggle('hide-' + box.dataset.sev, !box.checked);
    });
  });
  document.querySelectorAll('figure.pages img').forEach(function (img) {
    img.addEventListener('click', function () {
      img.closest('figure').classList.toggle('zoom');
    });
  });
})();
"""
