"""Tabular exports of a stored edition: ``scores.csv``, ``indicators.csv``, ``framework.csv``, ``results.xlsx``.

Column names are the ones published in the README ("Outputs"); World Bank series keep their codes.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dtforum.observatory.models import Edition, IndicatorResult, Score

SCORE_DECIMALS = 2


def scores_frame(edition: Edition) -> pd.DataFrame:
    """One row per member and area (plus ``area='index'``): ``iso3, area, score, rank`` and the gaps.

    Returns
    -------
    DataFrame
        Sorted by area (framework order, index last) then rank; unranked members last.
    """
    order = [a["code"] for a in edition.methodology["areas"]] + ["index"]
    rows = Score.objects.filter(edition=edition).select_related("economy").values(
        "economy__iso3", "economy__name_en", "economy__name_fr", "economy__name_ar", "area", "score", "rank",
        "tier", "gap_oic_median", "gap_oic_best", "gap_income_median", "gap_group_median", "gap_world_median",
    )
    frame = pd.DataFrame(list(rows)).rename(columns={
        "economy__iso3": "iso3", "economy__name_en": "name_en", "economy__name_ar": "name_ar",
        "economy__name_fr": "name_fr",
    })
    frame["area"] = pd.Categorical(frame["area"], categories=order, ordered=True)
    frame["rank"] = frame["rank"].astype("Int64")
    frame = frame.sort_values(["area", "rank", "iso3"], na_position="last").reset_index(drop=True)
    frame["area"] = frame["area"].astype(str)
    return frame


def indicators_frame(edition: Edition) -> pd.DataFrame:
    """One row per member and framework indicator through every stage.

    Returns
    -------
    DataFrame
        ``iso3, indicator, raw_value, source_year, imputed, treated, normalised_value`` (and ``area``).
    """
    rows = IndicatorResult.objects.filter(edition=edition).values(
        "economy__iso3", "indicator__code", "area", "raw_value", "source_year", "imputed", "treated",
        "normalised_value",
    )
    frame = pd.DataFrame(list(rows)).rename(columns={"economy__iso3": "iso3", "indicator__code": "indicator"})
    frame["source_year"] = frame["source_year"].astype("Int64")
    return frame.sort_values(["iso3", "area", "indicator"]).reset_index(drop=True)


def framework_frame(edition: Edition) -> pd.DataFrame:
    """The framework as a table: area, indicator, names, direction, weights, unit, source, window, and the
    coverage screening (``members_with_data``, ``kept``, ``reason``) when the edition recorded it."""
    fw = edition.methodology
    rows = []
    for area in fw["areas"]:
        for ind in area["indicators"]:
            name = ind.get("name") or {}
            rows.append({
                "area": area["code"],
                "area_weight": area.get("weight", 1),
                "indicator": ind["code"],
                "name_en": name.get("en", "") if isinstance(name, dict) else name,
                "name_fr": name.get("fr", "") if isinstance(name, dict) else "",
                "name_ar": name.get("ar", "") if isinstance(name, dict) else "",
                "direction": ind["direction"],
                "weight": ind.get("weight", 1),
                "unit": ind.get("unit", ""),
                "source": ind.get("source", ""),
                "window": ind.get("window", fw.get("window")),
                "denominator": (ind.get("denominator") or {}).get("indicator", ""),
            })
    frame = pd.DataFrame(rows)
    # Coverage screening as run (Handbook Step 2): which indicators entered the scores, and why not.
    coverage = pd.DataFrame((edition.recipe or {}).get("coverage") or [])
    if not coverage.empty and "indicator" in coverage.columns:
        coverage = coverage.rename(columns={"n_units": "members_with_data"})[
            ["indicator", "members_with_data", "kept", "reason"]]
        frame = frame.merge(coverage, on="indicator", how="left")
    return frame


def _autosize(ws) -> None:
    for i, column in enumerate(ws.columns, start=1):
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)


def write_tables(edition: Edition, out_dir: Path) -> list[Path]:
    """Write the CSV files and ``results.xlsx`` of ``edition`` into ``out_dir``.

    Parameters
    ----------
    edition : Edition
        A computed edition.
    out_dir : Path
        Created if missing; existing files of the same names are replaced.

    Returns
    -------
    list of Path
        The files written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    scores = scores_frame(edition)
    indicators = indicators_frame(edition)
    framework = framework_frame(edition)
    written = []

    path = out_dir / "scores.csv"
    published = scores[["iso3", "area", "score", "rank"]].copy()
    published["score"] = published["score"].round(SCORE_DECIMALS)
    published.to_csv(path, index=False, encoding="utf-8")
    written.append(path)

    path = out_dir / "indicators.csv"
    indicators[["iso3", "indicator", "raw_value", "source_year", "imputed", "treated", "normalised_value"]].to_csv(
        path, index=False, encoding="utf-8"
    )
    written.append(path)

    path = out_dir / "framework.csv"
    framework.to_csv(path, index=False, encoding="utf-8")
    written.append(path)

    wide = scores.pivot(index="iso3", columns="area", values="score")
    ranks = scores.pivot(index="iso3", columns="area", values="rank")
    names = scores.drop_duplicates("iso3").set_index("iso3")[["name_en", "name_fr", "name_ar"]]
    order = list(framework["area"].drop_duplicates()) + ["index"]
    summary = names.join(wide[order].round(SCORE_DECIMALS)).join(ranks[order].add_suffix("_rank"))
    summary = summary.sort_values("index_rank", na_position="last").reset_index()

    path = out_dir / "results.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        summary.to_excel(xl, sheet_name="ranking", index=False)
        gap_columns = [c for c in scores.columns if c == "score" or c.startswith("gap_")]
        scores.assign(**{c: scores[c].round(SCORE_DECIMALS) for c in gap_columns}).to_excel(
            xl, sheet_name="scores_and_gaps", index=False)
        indicators.to_excel(xl, sheet_name="indicators", index=False)
        framework.to_excel(xl, sheet_name="framework", index=False)
        # Arabic sheet laid out right-to-left for Arabic readers of the export.
        arabic = summary[["iso3", "name_ar", "index", "index_rank"]].rename(
            columns={"iso3": "الرمز", "name_ar": "الدولة", "index": "المؤشر", "index_rank": "الترتيب"}
        )
        arabic.to_excel(xl, sheet_name="الترتيب", index=False)
        for ws in xl.book.worksheets:
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = "A2"
            _autosize(ws)
        xl.book["الترتيب"].sheet_view.rightToLeft = True
    written.append(path)
    return written
