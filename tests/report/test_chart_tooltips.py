"""Tooltips of bar charts: value and competition rank (issue 4 item 5)."""
from __future__ import annotations

import re

from dtforum.observatory.report.charts import bar_chart


def test_bar_tooltips_give_value_and_competition_rank():
    # values 80, 40.25, 40.25, None: ranks 1, 2, 2 ("1224" ranking, ties share the better rank) of 3 scored;
    # 40.25 shows as 40.2 (half-even); the bar without a value shows an en dash.
    html = bar_chart(["A", "B", "C", "D"], [80.0, 40.25, 40.25, None], language="en", chart_id="t")
    assert re.findall(r"<title>([^<]*)</title>", html) == [
        "A: 80.0, rank 1 of 3", "B: 40.2, rank 2 of 3", "C: 40.2, rank 2 of 3", "D: \u2013"]
    ar = bar_chart(["A"], [80.0], language="ar", chart_id="t")
    assert "<title>A: 80.0، المرتبة 1 من 1</title>" in ar
