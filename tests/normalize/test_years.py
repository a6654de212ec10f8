"""The budget year: one place for both readings (``normalize.form_year``,
``normalize.most_named_year``)."""

from __future__ import annotations

from jixiao.normalize import form_year, most_named_year
from jixiao.schemas import Form, ProjectInfo


def test_the_year_most_titles_name_counts_only_years_followed_by_nian() -> None:
    texts = ["2024年项目支出绩效目标表", "2024年部门整体支出绩效目标表", "人均成本2000元",
             "2023年结转资金说明", "1998 人次"]
    assert most_named_year(texts) == "2024"
    assert most_named_year(["成本不超过2000元", "服务1998人次"]) is None


def test_a_form_s_own_period_may_name_a_bare_year() -> None:
    form = Form(id="f0", kind="project_goals", title="项目支出绩效目标表",
                project=ProjectInfo(period="2023.1-2025.12"))
    assert form_year(form) == "2023"
    assert form_year(Form(id="f1", kind="project_goals"), "2024") == "2024"
