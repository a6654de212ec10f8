"""Each form as read: its fields, money, plan, goals, duties and indicators, linked to cells."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from jixiao.schemas import Amount, CellRef, Form, Indicator, Target, severity_counts
from jixiao.writers.html.common import (
    FORM_KINDS,
    HORIZONS,
    VALUE_KINDS,
    counts_html,
    esc,
    form_anchor,
    label,
    number,
    pair_label,
    ref_anchor,
    ref_text,
    table_anchor,
    worst,
)
from jixiao.writers.html.grid import Context


def render_form(form: Form, ctx: Context) -> str:
    meta: list[tuple[str, str]] = [
        (label("类型", "kind"), pair_label(FORM_KINDS.get(form.kind, (form.kind, form.kind)))),
        (label("表格", "tables"), ", ".join(
            f'<a href="#{table_anchor(t)}">{esc(t)}</a>' for t in form.table_ids)),
    ]
    project = form.project
    for value, zh, en in (
        (project.name, "项目名称", "project"), (project.code, "项目编码", "project code"),
        (project.department, "主管部门", "department"),
        (project.department_code, "部门编码", "department code"),
        (project.implementer, "实施单位", "implementer"),
        (project.period, "实施期", "period"), (form.header_note, "表头", "header note"),
        (form.footer_note, "表尾", "footer note"),
        (form.budget.unit, "金额单位", "money unit"),
        (form.spending_plan_label, "支出计划标签", "plan label"),
        (form.total_score, "总分", "total score"),
    ):
        if value:
            meta.append((label(zh, en), esc(value)))
    if form.budget.total is not None:
        meta.append((label("预算总额", "budget total"), _amount(form.budget.total, ctx)))
    if form.coverage is not None:
        meta.append((label("覆盖率", "coverage"), esc(
            f"{form.coverage:.0%} · {len(form.unmapped)} "
            + label("个单元格未映射", "cells unmapped"))))
    found = [f for f in ctx.findings if f.form == form.id]
    meta.append((label("问题", "findings"), f'<span class="counts">'
                 f"{counts_html(severity_counts(found))}</span>"))
    title = esc(form.title) if form.title else ""
    out = [
        f'<section class="form" id="{form_anchor(form.id)}">',
        f"<h3>{label('表单', 'form')} {esc(form.id)} · {title}</h3>",
        '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta) + "</dl>",
    ]
    if form.unmapped:
        out.append(_list("未映射单元格", "unmapped cells", ["单元格 cell", "内容 text"], [
            [_link(ref, ctx), f'<span class="ct">{esc(ctx.cell_text(ref))}</span>']
            for ref in form.unmapped
        ]))
    if form.fields:
        out.append(_list("字段", "fields", ["标签 label", "内容 value", "单元格 cell"], [
            [esc(f.label), f'<span class="ct">{esc(f.value)}</span>', _link(f.cell, ctx)]
            for f in form.fields
        ]))
    if form.budget.parts:
        out.append(_list("预算构成", "budget parts", ["项目 part", "金额 amount"], [
            [esc(p.label), _amount(p.amount, ctx)] for p in form.budget.parts
        ]))
    if form.budget.execution:
        out.append(_list(
            "资金执行", "budget execution",
            ["项目 line", "年初预算数 planned", "全年预算数 adjusted", "全年执行数 executed",
             "分值 weight", "执行率 rate", "得分 score"],
            [[esc(e.label), _amount(e.planned, ctx), _amount(e.adjusted, ctx),
              _amount(e.executed, ctx), esc(e.weight or ""), esc(e.rate or ""),
              esc(e.score or "")] for e in form.budget.execution],
        ))
    if form.spending_plan:
        out.append(_list("资金支出计划", "spending plan", ["时点 by", "金额 amount"], [
            [esc(p.by), _amount(p.amount, ctx)] for p in form.spending_plan
        ]))
    goals = [(v, zh, en) for v, zh, en in (
        (form.goals.long_term, "实施期目标", "long-term goals"),
        (form.goals.annual, "年度目标", "annual goals"),
        (form.goals.achieved, "实际完成情况", "achieved"),
    ) if v]
    if goals:
        out.append(f"<h4>{label('绩效目标', 'goals')}</h4><dl class=\"meta\">" + "".join(
            f'<dt>{label(zh, en)}</dt><dd class="ct">{esc(v)}</dd>' for v, zh, en in goals
        ) + "</dl>")
    if form.duties:
        out.append(_list(
            "部门职责", "duties",
            ["部门职能 function", "年度目标任务 task", "主要内容 content", "支出项目 item",
             "预算金额 amount"],
            [[esc(d.function or ""), esc(d.task or ""), esc(d.content or ""), esc(d.item or ""),
              _amount(d.amount, ctx)] for d in form.duties],
        ))
    if form.indicators:
        out.append(_indicators(form.indicators, ctx))
    out.append("</section>")
    return "\n".join(out)


def _indicators(indicators: Sequence[Indicator], ctx: Context) -> str:
    columns: list[tuple[str, Callable[[Indicator], str]]] = [
        ("一级指标 level 1", lambda i: esc(i.level1)),
        ("二级指标 level 2", lambda i: esc(i.level2)),
        ("三级指标 level 3", lambda i: esc(i.level3)),
    ]
    optional: list[tuple[str, Callable[[Indicator], str], Callable[[Indicator], object]]] = [
        ("指标解释 description", lambda i: esc(i.description or ""), lambda i: i.description),
        ("长期/年度 horizon", lambda i: pair_label(HORIZONS[i.horizon]) if i.horizon else "",
         lambda i: i.horizon),
        ("分值(组) group weight", lambda i: esc(i.group_weight or ""), lambda i: i.group_weight),
    ]
    columns += [(h, f) for h, f, has in optional[:3] if any(has(i) for i in indicators)]
    columns += [
        ("指标值 target (原文 raw)", lambda i: _raw(i.target, i.cell, ctx)),
        ("解析 parsed", lambda i: _parsed(i.target)),
        ("类型 kind", lambda i: pair_label(VALUE_KINDS.get(i.target.kind, (i.target.kind,) * 2))),
    ]
    more: list[tuple[str, Callable[[Indicator], str], Callable[[Indicator], object]]] = [
        ("实际完成值 actual", lambda i: _actual(i.actual), lambda i: i.actual),
        ("分值 weight", lambda i: esc(i.weight or ""), lambda i: i.weight),
        ("得分 score", lambda i: esc(i.score or ""), lambda i: i.score),
        ("偏差原因 deviation", lambda i: esc(i.deviation or ""), lambda i: i.deviation),
        ("依据 basis", lambda i: esc(i.basis or ""), lambda i: i.basis),
    ]
    columns += [(h, f) for h, f, has in more if any(has(i) for i in indicators)]
    columns.append(("单元格 cell", lambda i: _link(i.cell, ctx)))
    head = "".join(f"<th>{_head(h)}</th>" for h, _ in columns)
    body = []
    for n, ind in enumerate(indicators, start=1):
        cls = ' class="empty"' if ind.empty else (' class="na"' if ind.not_applicable else "")
        tds = "".join(f"<td>{render(ind)}</td>" for _, render in columns)
        body.append(f"<tr{cls}><td>{n}</td>{tds}</tr>")
    return (f"<h4>{label('绩效指标', 'indicators')} ({len(indicators)})</h4>"
            f'<table class="list indicators"><thead><tr><th>#</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _raw(target: Target, cell: CellRef | None, ctx: Context) -> str:
    text = f'<span class="ct">{esc(target.raw)}</span>' if target.raw else \
        '<span class="muted">(空 blank)</span>'
    if cell is not None:
        found = ctx.by_cell.get((cell.table, cell.row, cell.col))
        if found:
            sev = worst(f for _, f in found)
            messages = esc("\n".join(f.message for _, f in found))
            return f'<span class="finding-cell-{sev}" title="{messages}">{text}</span>'
    return text


def _parsed(target: Target) -> str:
    """The normalized reading: ``≥ 90 %``, ``= 16000 元``, ``≤ 2024-12-31``, ``A → B``."""
    if target.op is None:
        return '<span class="muted">—</span>'
    lines = []
    if target.value is not None:
        shown = number(target.value)
        if target.op == "range":
            shown += f"–{number(target.value_max)}"
        else:
            shown = f"{target.op} {shown}"
        lines.append(f"{shown} {target.unit or ''}".strip())
    if target.yuan is not None:
        lines.append(f"= {number(target.yuan)} 元")
    if target.start or target.end:
        span = f"{target.start} → {target.end}" if target.start and target.end else \
            target.end or target.start or ""
        lines.append(span if lines or target.op == "range" else f"{target.op} {span}")
    return "<br>".join(esc(line) for line in lines or [target.op])


def _actual(target: Target | None) -> str:
    if target is None:
        return ""
    return (f'<span class="ct">{esc(target.raw)}</span><br>'
            f'<span class="muted">{_parsed(target)}</span>')


def _amount(amount: Amount | None, ctx: Context) -> str:
    if amount is None:
        return ""
    text = f'<span class="ct">{esc(amount.raw)}</span>'
    if amount.value is not None:
        text += f' <span class="muted">= {esc(number(amount.value))} {esc(amount.unit or "")}'
        if amount.yuan is not None:
            text += f" ({esc(number(amount.yuan))} 元)"
        text += "</span>"
    if amount.cell is not None:
        text += " " + _link(amount.cell, ctx)
    return text


def _link(ref: CellRef | None, ctx: Context) -> str:
    if ref is None:
        return ""
    if not ctx.cell_exists(ref.table, ref.row, ref.col):
        return f'<code>{esc(ref_text(ref))}</code>'
    return f'<a href="#{ref_anchor(ref)}"><code>{esc(ref_text(ref))}</code></a>'


def _head(text: str) -> str:
    zh, _, en = text.partition(" ")
    return label(zh, en) if en else esc(zh)


def _list(zh: str, en: str, headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_head(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows)
    return (f"<h4>{label(zh, en)}</h4><table class=\"list\"><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")
