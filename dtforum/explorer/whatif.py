"""What-if on a stored edition: a visitor's area weights give new scores and ranks, with a rank interval.

The edition's :class:`compindex.IndexRun` is rebuilt from the observation store with the framework stored in the
edition (``Edition.methodology`` is the framework file as read, so the run is the one that produced the stored
scores) and kept per process, keyed by edition code, computation time and framework. A weight change is then
:func:`compindex.whatif.what_if` (a re-aggregation, a few milliseconds), and the rank interval is a small Monte
Carlo over the weights around the visitor's weights (:func:`compindex.uncertainty.run_uncertainty`, weight noise
only; Saisana, Saltelli and Tarantola 2005; OECD/JRC Handbook 2008, Step 7).
"""
from __future__ import annotations

import copy
import json
import math
import re
import threading
from dataclasses import dataclass

import pandas as pd
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from compindex import CompindexError, Framework, run_index
from compindex.uncertainty import run_uncertainty
from compindex.whatif import what_if
from dtforum.members.models import Economy
from dtforum.observatory.ingest.parsing import ARABIC_DECIMAL, ascii_digits
from dtforum.observatory.models import Edition
from dtforum.observatory.services import EditionError, select_panel

#: Weight noise of the rank interval (each weight times a factor uniform on [0.75, 1.25]), replications, seed.
INTERVAL_NOISE = 0.25
INTERVAL_REPLICATIONS = 200
INTERVAL_SEED = 2024
#: Range of an area weight. Weights are relative: 100 against 0.01 already gives one area 10,000 times the
#: other's say, and a tiny weight such as 1e-320 (subnormal) only adds rounding noise to the published scores.
MIN_WEIGHT, MAX_WEIGHT = 0.01, 100
#: A weight as typed: ASCII, Arabic-Indic (U+0660-0669) or Eastern Arabic-Indic (U+06F0-06F9) digits with an
#: optional decimal point ``.`` or Arabic decimal separator ``٫`` (U+066B) and sign. Python's ``float`` also reads
#: ``1_000``, ``1e2``, ``inf`` and any Unicode decimal digit (full-width ``２``), which a form should not.
_WEIGHT = re.compile(r"[+\-\u2212]?([0-9\u0660-\u0669\u06f0-\u06f9]+([.\u066b][0-9\u0660-\u0669\u06f0-\u06f9]*)?"
                     r"|[.\u066b][0-9\u0660-\u0669\u06f0-\u06f9]+)")
#: Characters of a visitor's input repeated in a message; longer input is cut and ends with "…".
SHOWN_CHARS = 20

_runs: dict[tuple, object] = {}
_lock = threading.Lock()


class WhatIfUnavailable(RuntimeError):
    """The edition's run cannot be rebuilt from the store (indicator or source missing, data the engine refuses);
    the message says why. Pages and the API answer 503 with it."""


class WeightError(ValueError):
    """A visitor's weights cannot be used; ``str(error)`` is a message in the active language naming the field.

    Attributes
    ----------
    field : str
        The area code (or ``"weights"``) at fault.
    """

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def shown(text) -> str:
    """A visitor's input as repeated in a message: the first :data:`SHOWN_CHARS` characters, then ``…``."""
    text = str(text)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def check_weight(value: float, field: str, label: str | None = None, typed=None) -> float:
    """Refuse a weight outside [:data:`MIN_WEIGHT`, :data:`MAX_WEIGHT`].

    Parameters
    ----------
    value : float
        The weight.
    field : str
        Area code (``WeightError.field``).
    label : str, optional
        Area name in the active language, named in the message (default: the code).
    typed : optional
        The input as typed, repeated in the message (default: ``value``).

    Returns
    -------
    float
        ``value``.

    Raises
    ------
    WeightError
        NaN, infinite or out of range.
    """
    if not (math.isfinite(value) and MIN_WEIGHT <= value <= MAX_WEIGHT):
        raise WeightError(field, _("Weight of “%(area)s”: “%(value)s” is out of range; enter a number from %(min)s "
                                   "to %(max)s.") % {"area": label or field, "value": shown(typed or value),
                                                     "min": number_format(MIN_WEIGHT),
                                                     "max": number_format(MAX_WEIGHT)})
    return value


def parse_weight(text, field: str, label: str | None = None) -> float:
    """Read one weight typed by a visitor: ASCII, Arabic-Indic or Eastern Arabic-Indic digits.

    Parameters
    ----------
    text : str
        E.g. ``"2"``, ``"0.5"``, ``"٢٫٥"`` (U+066B Arabic decimal separator) or ``"۱"``; no exponent, digit
        grouping (``1_000``) or other digits (full-width ``２``).
    field : str
        Area code.
    label : str, optional
        Area name in the active language, named in the message (default: the code).

    Returns
    -------
    float
        A weight from :data:`MIN_WEIGHT` to :data:`MAX_WEIGHT` (relative to the other areas' weights).

    Raises
    ------
    WeightError
        Empty, not a number in the accepted form (``"abc"``, ``"1e2"``), or out of range (``"-1"``, ``"0"``,
        ``"101"``); the input is repeated cut to :data:`SHOWN_CHARS` characters.
    """
    raw = str(text if text is not None else "").strip()
    if not _WEIGHT.fullmatch(raw):
        raise WeightError(field, _("Weight of “%(area)s”: “%(value)s” is not a number; enter a number such as 1 "
                                   "or 0.5 (digits 0-9 or ٠-٩, decimal point . or ٫).")
                          % {"area": label or field, "value": shown(raw)})
    value = float(ascii_digits(raw).replace(ARABIC_DECIMAL, ".").replace("\u2212", "-"))
    return check_weight(value, field, label, raw)


def parse_weights(text: str, areas: list[str], names: dict[str, str] | None = None) -> dict[str, float]:
    """Read ``area:w,area:w`` (the API's ``?weights=``) into area weights; areas not named keep their weight.

    Parameters
    ----------
    text : str
        Comma-separated ``code:weight`` pairs, e.g. ``"connectivity:2,skills:٠٫٥"``.
    areas : list of str
        The edition's area codes.
    names : dict of str to str, optional
        Area code to name in the active language, for the messages.

    Returns
    -------
    dict of str to float

    Raises
    ------
    WeightError
        A pair without ``:``, an unknown or repeated area, a bad weight (:func:`parse_weight`).
    """
    names = names or {}
    out: dict[str, float] = {}
    for part in [p for p in (text or "").split(",") if p.strip()]:
        code, sep, value = part.partition(":")
        code = code.strip()
        if not sep:
            raise WeightError("weights", _("“%(part)s” is not of the form area:weight (e.g. connectivity:2).")
                              % {"part": shown(part.strip())})
        if code not in areas:
            listed = ", ".join(f"{a} ({names[a]})" if names.get(a) else a for a in areas)
            raise WeightError("weights", _("Unknown area “%(area)s”; expected one of: %(areas)s.")
                              % {"area": shown(code), "areas": listed})
        if code in out:
            raise WeightError(code, _("Area “%(area)s” is given twice.") % {"area": names.get(code) or code})
        out[code] = parse_weight(value, code, names.get(code))
    return out


def edition_run(edition: Edition):
    """The edition's :class:`~compindex.IndexRun`, rebuilt once per process from the store.

    Parameters
    ----------
    edition : Edition
        A computed edition; its ``methodology`` is the framework.

    Returns
    -------
    compindex.IndexRun
        ``run_index`` on the members' observations with their income and OIC groups (as
        :func:`dtforum.observatory.services.compute_edition` runs it).

    Raises
    ------
    WhatIfUnavailable
        The store lacks an indicator or source of the framework, or the engine refuses the data (the message
        of :class:`~dtforum.observatory.services.EditionError` or :class:`compindex.CompindexError`).
    """
    key = (edition.code, edition.computed_at, json.dumps(edition.methodology, sort_keys=True, default=str))
    with _lock:
        if key in _runs:
            return _runs[key]
        import scipy.stats  # noqa: F401  (the rank interval's first call would otherwise pay this import)
        try:
            framework = Framework.from_dict(edition.methodology)
            panel = select_panel(framework)
            members = Economy.objects.filter(kind=Economy.Kind.MEMBER)
            groups = pd.DataFrame(list(members.values("iso3", "income_group", "oic_group")),
                                  columns=["iso3", "income_group", "oic_group"]).set_index("iso3")
            member_panel = panel[panel["unit"].isin(groups.index)].drop(columns="kind")
            run = run_index(member_panel, framework, groups=groups, reference_year=framework.reference_year)
        except (EditionError, CompindexError) as exc:
            raise WhatIfUnavailable(f"edition {edition.code}: the what-if cannot rebuild the index: {exc}") from exc
        run._dtforum_groups = groups   # for the rank interval's group imputation, if any
        for old in [k for k in _runs if k[0] == edition.code]:
            del _runs[old]
        _runs[key] = run
        return run


@dataclass
class WhatIfRow:
    """One member after a weight change: new and published index score and rank, rank interval, area scores."""

    iso3: str
    score: float | None
    rank: int | None
    nominal_score: float | None
    nominal_rank: int | None
    rank_change: int | None
    rank_q05: float | None
    rank_q95: float | None
    areas: dict


def _num(value):
    return None if value is None or pd.isna(value) else float(value)


def _int(value):
    return None if value is None or pd.isna(value) else int(value)


def run_what_if(edition: Edition, weights: dict[str, float], *, interval: bool = True) -> tuple[dict, list[WhatIfRow]]:
    """New index scores and ranks of the members with the visitor's area weights.

    Parameters
    ----------
    edition : Edition
    weights : dict of str to float
        Area code to weight (relative; areas not given keep the framework's weight).
    interval : bool
        Add the 5-95 % rank interval under ±:data:`INTERVAL_NOISE` weight noise around ``weights``
        (:data:`INTERVAL_REPLICATIONS` replications, seed :data:`INTERVAL_SEED`).

    Returns
    -------
    (dict, list of WhatIfRow)
        The weights used (every area) and one row per member, best new rank first (unranked last).

    Raises
    ------
    WeightError
        A weight outside [:data:`MIN_WEIGHT`, :data:`MAX_WEIGHT`] (:func:`check_weight`).
    """
    for area, w in weights.items():
        check_weight(w, area)
    run = edition_run(edition)
    used = dict(run.weights["areas"]) | weights
    table = what_if(run, weights={"areas": weights})
    q05 = q95 = {}
    if interval:
        shifted = copy.copy(run)   # the Monte Carlo perturbs the run's weights: centre it on the visitor's
        shifted.weights = {"indicators": run.weights["indicators"], "areas": used}
        summary = run_uncertainty(None, None, {"weights": INTERVAL_NOISE}, n_rep=INTERVAL_REPLICATIONS,
                                  seed=INTERVAL_SEED, groups=getattr(run, "_dtforum_groups", None),
                                  run=shifted).summary()
        summary = summary[summary["level"] == "index"].set_index("unit")
        q05, q95 = summary["rank_q05"].to_dict(), summary["rank_q95"].to_dict()
    nominal = run.tables
    rows = []
    area_codes = [a.code for a in run.framework.areas]
    for iso3 in table.index:
        rows.append(WhatIfRow(
            iso3=iso3, score=_num(table.at[iso3, ("score", "index")]), rank=_int(table.at[iso3, ("rank", "index")]),
            nominal_score=_num(nominal["scores"].at[iso3, "index"]),
            nominal_rank=_int(nominal["ranks"].at[iso3, "index"]),
            rank_change=_int(table.at[iso3, ("rank_change", "index")]),
            rank_q05=_num(q05.get(iso3)), rank_q95=_num(q95.get(iso3)),
            areas={a: _num(table.at[iso3, ("score", a)]) for a in area_codes if ("score", a) in table.columns}))
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.iso3))
    return used, rows
