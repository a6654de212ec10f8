"""One self-contained review page per document: findings, tables beside their page images,
forms, the text around the tables, and conversion errors."""

from __future__ import annotations

from pathlib import PurePath

from jixiao.locate import table_number
from jixiao.schemas import SEVERITIES, BBox, Document, Table, severity_counts
from jixiao.writers.html.assets import CSS, JS
from jixiao.writers.html.common import (
    SEVERITY_LABELS,
    cell_anchor,
    counts_html,
    esc,
    finding_anchor,
    form_anchor,
    label,
    page_shell,
    pair_label,
    ref_anchor,
    ref_text,
    table_anchor,
    worst,
)
from jixiao.writers.html.forms import render_form
from jixiao.writers.html.grid import Context, render_grid
from jixiao.writers.html.images import PageImage, page_images

Box = tuple[str, str, str, BBox]  # anchor, severity, messages, bbox


def render(document: Document) -> bytes:
    ctx = Context.of(document)
    top = [t for t in document.tables if not _nested_in_place(t, ctx)]
    images, image_note = page_images(document, (p for t in top for p in _pages(t)))
    tables_html = _tables(top, ctx, images, image_note, _boxes(document, ctx))
    leftover = [t for t in document.tables if t.id not in ctx.rendered]  # nesting cycles
    if leftover:
        tables_html += _tables(leftover, ctx, images, "", {})
    name = PurePath(document.source.path).name or document.source.path
    body = "\n".join([
        _header(document, name),
        _nav(document),
        _findings(document, ctx),
        f'<section id="tables"><h2>{label("表格", "tables")} ({len(document.tables)})</h2>'
        f"\n{tables_html}</section>",
        f'<section id="forms"><h2>{label("表单", "forms")} ({len(document.forms)})</h2>\n'
        + "\n".join(render_form(f, ctx) for f in document.forms) + "</section>",
        _blocks(document),
        _errors(document),
        _footer(document),
    ])
    return page_shell(f"{name} · 绩效审阅 review", body, CSS, JS)


def _nested_in_place(table: Table, ctx: Context) -> bool:
    """A nested table drawn inside its parent's cell (not again at the top level)."""
    parent = table.parent
    if parent is None or parent.table == table.id or parent.table not in ctx.tables:
        return False
    return any(table.id in c.nested_tables for c in ctx.tables[parent.table].cells)


def _pages(table: Table) -> list[int]:
    if table.pages:
        return table.pages
    page = table.provenance.page if table.provenance else None
    return [page] if page else []


def _header(document: Document, name: str) -> str:
    src = document.source
    rows = [
        (label("源文件", "source"), f"<code>{esc(src.path)}</code>"),
        (label("格式", "format"), esc(src.format)),
        (label("大小", "size"), f"{src.size:,} B"),
        ("SHA-256", f"<code>{esc(src.sha256)}</code>"),
    ]
    if src.converted_by:
        rows.append((label("预转换", "converted by"), esc(src.converted_by)))
    if document.ocr_pages:
        rows.append((label("OCR 识别页", "OCR pages"),
                     esc(", ".join(str(p) for p in document.ocr_pages))))
    meta = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    counts = (
        f'<span>{label("表单", "forms")} {len(document.forms)}</span>'
        f'<span>{label("表格", "tables")} {len(document.tables)}</span>'
        + counts_html(severity_counts(document.findings))
        + f'<span>{label("转换错误", "conversion errors")} {len(document.errors)}</span>'
    )
    return (f"<header><h1>{label('绩效表审阅报告', 'performance table review')}</h1>"
            f"<p><strong>{esc(name)}</strong></p>"
            f'<dl class="meta">{meta}</dl><p class="counts">{counts}</p></header>')


def _nav(document: Document) -> str:
    links = [("findings", "问题", "findings", len(document.findings)),
             ("tables", "表格", "tables", len(document.tables)),
             ("forms", "表单", "forms", len(document.forms)),
             ("text", "正文", "text", len(document.blocks)),
             ("errors", "错误", "errors", len(document.errors))]
    return '<nav class="toc">' + "".join(
        f'<a href="#{a}">{label(zh, en)} ({n})</a>' for a, zh, en, n in links) + "</nav>"


def _findings(document: Document, ctx: Context) -> str:
    head = f'<section id="findings"><h2>{label("问题", "findings")} ({len(document.findings)})</h2>'
    if not document.findings:
        return head + f'<p class="muted">{label("未发现问题", "no findings")}</p></section>'
    filters = '<p class="filters">' + "".join(
        f'<label><input type="checkbox" data-sev="{s}" checked> '
        f"{pair_label(SEVERITY_LABELS[s])}</label>" for s in SEVERITIES) + "</p>"
    names = {form.id: form.project.name or form.title or form.id for form in document.forms}
    rows = []
    for n, f in enumerate(document.findings, start=1):
        cell = ""
        if f.cell is not None:
            text = f"<code>{esc(ref_text(f.cell))}</code>"
            cell = (f'<a href="#{ref_anchor(f.cell)}">{text}</a>'
                    if ctx.cell_exists(f.cell.table, f.cell.row, f.cell.col) else text)
        form = (f'<a href="#{form_anchor(f.form)}" title="{esc(f.form)}">'
                f"{esc(names.get(f.form, f.form))}</a>" if f.form else "")
        rows.append(
            f'<tr id="{finding_anchor(n)}" class="sev-{f.severity} row"><td>{n}</td>'
            f'<td class="sev">{pair_label(SEVERITY_LABELS[f.severity])}</td>'
            f"<td><code>{esc(f.rule)}</code></td><td>{form}</td><td>{cell}</td>"
            f'<td class="ct">{esc(f.message)}</td><td class="ct">{esc(f.value or "")}</td></tr>'
        )
    heads = "".join(f"<th>{label(zh, en)}</th>" for zh, en in (
        ("级别", "severity"), ("规则", "rule"), ("表单", "form"), ("位置", "location"),
        ("说明", "message"), ("原文", "value")))
    return (f'{head}{filters}<table class="list findings"><thead><tr><th>#</th>{heads}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table></section>")


def _boxes(document: Document, ctx: Context) -> dict[int, list[Box]]:
    """Per page, the cells findings point to, to outline on the page image."""
    out: dict[int, list[Box]] = {}
    for (table_id, row, col), found in sorted(ctx.by_cell.items()):
        table = ctx.tables.get(table_id)
        cell = next((c for c in table.cells if c.row == row and c.col == col), None) \
            if table else None
        prov = cell.provenance if cell else None
        if prov is None or prov.page is None or not prov.bbox or len(prov.bbox) != 4:
            continue
        messages = "\n".join(f.message for _, f in found)
        out.setdefault(prov.page, []).append(
            (cell_anchor(table_id, row, col), worst(f for _, f in found), messages, prov.bbox))
    return out


def _tables(tables: list[Table], ctx: Context, images: dict[int, PageImage], note: str,
            boxes: dict[int, list[Box]]) -> str:
    shown: set[int] = set()
    out = []
    for table in tables:
        pages = _pages(table)
        figure = []
        for page in pages:
            image = images.get(page)
            if image is None:
                continue
            if page in shown:
                figure.append(f'<p class="note"><a href="#page-{page}">第 {page} 页图像见上'
                              f'<span class="en">page {page} image above</span></a></p>')
                continue
            shown.add(page)
            figure.append(_page_figure(image, boxes.get(page, [])))
        if note and pages:
            figure.append(f'<p class="note">{esc(note)}</p>')
        forms = ", ".join(f'<a href="#{form_anchor(f)}">{esc(f)}</a>'
                          for f in ctx.forms_by_table.get(table.id, []))
        info = [f"{table.n_rows} × {table.n_cols}"]
        if pages:
            info.append(f"{label('页', 'page')} {esc(', '.join(map(str, pages)))}")
        if forms:
            info.append(f"{label('表单', 'form')} {forms}")
        cls = "table-view" if figure else "table-view no-pages"
        pane = f'<figure class="pages">{"".join(figure)}</figure>' if figure else ""
        out.append(
            f'<section class="table" id="{table_anchor(table.id)}">'
            f"<h3>{label('表格', 'table')} {esc(table_number(table.id))} ({esc(table.id)}) "
            f'<span class="muted">{" · ".join(info)}</span></h3>'
            f'<div class="{cls}"><div class="grid-wrap">{render_grid(table, ctx)}</div>'
            f"{pane}</div></section>"
        )
    return "\n".join(out)


def _page_figure(image: PageImage, boxes: list[Box]) -> str:
    marks = []
    if not image.rotated and image.width > 0 and image.height > 0:
        for anchor, severity, messages, (x0, top, x1, bottom) in boxes:
            left = _pct(x0 - image.left, image.width)
            right = _pct(x1 - image.left, image.width)
            upper = _pct(top - image.top, image.height)
            lower = _pct(bottom - image.top, image.height)
            if right <= left or lower <= upper:
                continue
            marks.append(
                f'<a class="box sev-{severity}" href="#{anchor}" title="{esc(messages)}" '
                f'style="left:{left:.2f}%;top:{upper:.2f}%;width:{right - left:.2f}%;'
                f'height:{lower - upper:.2f}%"></a>'
            )
    alt = f"第 {image.page} 页 page {image.page}"
    caption = label(f"第 {image.page} 页", "source page")
    return (f'<div class="page" id="page-{image.page}"><div class="sheet">'
            f'<img src="{image.uri}" alt="{alt}">{"".join(marks)}</div>'
            f"<figcaption>{caption}</figcaption></div>")


def _pct(value: float, whole: float) -> float:
    return min(max(value / whole * 100, 0.0), 100.0)


def _blocks(document: Document) -> str:
    items = "".join(
        f'<p id="{esc(b.id)}" class="block-{b.kind} ct">{esc(b.text)}</p>' for b in document.blocks
    )
    return (f'<section id="text"><h2>{label("正文", "text outside tables")} '
            f"({len(document.blocks)})</h2><details><summary>{label('展开', 'show')}</summary>"
            f"{items}</details></section>")


def _errors(document: Document) -> str:
    items = "".join(f"<li><code>{esc(e.stage)}</code> {esc(e.message)}</li>"
                    for e in document.errors)
    body = f"<ul>{items}</ul>" if items else f'<p class="muted">{label("无", "none")}</p>'
    return f'<section id="errors"><h2>{label("转换错误", "conversion errors")}</h2>{body}</section>'


def _footer(document: Document) -> str:
    from jixiao import __version__

    return (f'<footer class="muted"><p>jixiao {esc(__version__)} · schema '
            f"{esc(document.schema_version)}</p></footer>")
