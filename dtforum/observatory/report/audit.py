"""The statistical audit annex of the status report, read from ``audit.xlsx`` in the edition's output folder.

Decision: the annex reads the workbook that :func:`dtforum.observatory.robustness.analyse_robustness` writes with
:func:`compindex.audit.audit` (same build, same folder, written before the report), instead of rebuilding the
members' run to call :func:`compindex.audit.audit` again. The report then shows exactly the figures published in
``audit.xlsx``, costs no second computation, and an edition built without the robustness step simply has no
annex. Sheets used (OECD/JRC Handbook 2008, Steps 4 and 6; COINr ``get_stats``, ``get_corr_flags``):
``indicator_statistics``, ``correlation_flags`` and ``pca_alpha``.
"""
from __future__ import annotations

import math
from pathlib import Path

#: Columns each sheet must have (the index column of ``indicator_statistics``/``pca_alpha`` is the first one).
REQUIRED = {
    "indicator_statistics": ("n", "availability", "mean", "sd", "min", "max", "skewness", "kurtosis",
                             "flag_availability", "flag_skew_kurt", "flag_zero", "flag_unique", "flagged"),
    "correlation_flags": ("level", "group", "x", "y", "r", "flag"),
    "pca_alpha": ("n_components", "n_units", "explained", "cronbach_alpha"),
}
#: Flag columns of ``indicator_statistics`` in display order (COINr ``get_stats`` flags).
FLAGS = ("flag_availability", "flag_skew_kurt", "flag_zero", "flag_unique")


def _value(v):
    """A cell as a Python scalar: NaN and empty cells become ``None``; numpy numbers become float/int/bool."""
    if v is None:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def read_audit(path: str | Path) -> dict | None:
    """Read the three audit tables of the report annex from an ``audit.xlsx`` workbook.

    Parameters
    ----------
    path : str or Path
        The workbook written by the robustness step (``out/<edition>/audit.xlsx``).

    Returns
    -------
    dict or None
        ``None`` when the file does not exist (edition built without robustness). Otherwise
        ``{"indicators": [...], "correlation_flags": [...], "pca": [...]}``: ``indicators`` one dict per indicator
        with ``code`` and the :data:`REQUIRED` statistics, ``flags`` (list of the :data:`FLAGS` that are set);
        ``correlation_flags`` one dict per flagged pair (``level, group, x, y, r, flag`` with flag
        ``"collinear"`` or ``"negative"``); ``pca`` one dict per area and the index (``level`` and the
        :data:`REQUIRED` columns: share of variance of the first principal component and Cronbach's alpha).

    Raises
    ------
    ValueError
        If a sheet or a column is missing, naming the file, the sheet and what was expected.
    """
    import pandas as pd  # only the report writer needs it

    path = Path(path)
    if not path.is_file():
        return None
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    for sheet, columns in REQUIRED.items():
        if sheet not in sheets:
            raise ValueError(f"{path}: no sheet {sheet!r}; expected the sheets {', '.join(REQUIRED)} "
                             "(written by the robustness step)")
        missing = [c for c in columns if c not in sheets[sheet].columns]
        if missing:
            raise ValueError(f"{path}, sheet {sheet!r}: missing column(s) {', '.join(missing)}")
    stats, flags, pca = sheets["indicator_statistics"], sheets["correlation_flags"], sheets["pca_alpha"]
    indicators = []
    for row in stats.to_dict("records"):
        item = {"code": str(row[stats.columns[0]])} | {c: _value(row[c]) for c in REQUIRED["indicator_statistics"]}
        item["flags"] = [f for f in FLAGS if item[f]]
        indicators.append(item)
    return {
        "indicators": indicators,
        "correlation_flags": [{c: _value(r[c]) for c in REQUIRED["correlation_flags"]}
                              for r in flags.to_dict("records")],
        "pca": [{"level": str(r[pca.columns[0]])} | {c: _value(r[c]) for c in REQUIRED["pca_alpha"]}
                for r in pca.to_dict("records")],
    }

