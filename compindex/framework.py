"""The framework of a composite indicator: index -> thematic areas (pillars) -> indicators.

Handbook 2008, Step 1 "Theoretical framework": every indicator belongs to one area, carries a direction
(+1 higher is better, -1 lower is better), a weight, its unit and source. The schema is the one of
``methodology/<edition>.yaml`` described in ``docs/architecture.md`` ("The framework file"). Everything is
validated on load; any problem raises :class:`~compindex.errors.CompindexError` with the field path, e.g.
``areas[2].indicators[0] (NEET) direction: expected +1 or -1, got 0``.
"""
from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field
from typing import Any

from .aggregation import AGGREGATION_METHODS
from .errors import CompindexError
from .imputation import TIME_METHODS
from .normalisation import NORMALISATION_METHODS
from .weights import WEIGHT_METHODS

__all__ = ["DEFAULT_COVERAGE", "DEFAULT_STAGES", "Area", "Framework", "IndicatorSpec"]

#: Stage defaults (JRC/COINr defaults where they exist: COINr ``Treat`` winmax 5, skew 2, kurtosis 3.5;
#: ``Normalise`` min-max to [0, 100]; ``Aggregate`` arithmetic mean).
DEFAULT_STAGES: dict[str, Any] = {
    "imputation": {"method": "none", "group": None, "fallback": "none", "n_neighbors": 5, "time": "none",
                   "max_gap": None},
    "treatment": {"method": "winsorise", "skew": 2.0, "kurtosis": 3.5, "max_winsorised": 5, "then": "log"},
    "normalisation": {"method": "minmax", "low": 0.0, "high": 100.0, "reference": None, "cap_max": False},
    "weights": {"method": "manual"},
    "aggregation": {"indicators": "arithmetic", "areas": "arithmetic", "allow_zero": False, "power": None,
                    "dat_thresh": None},
    "ranking": {"decimals": 2},
    "zero_variance": "error",
}
#: JRC default coverage thresholds (66 % of units per indicator, 66 % of indicators per unit).
DEFAULT_COVERAGE: dict[str, float] = {"indicator_min": 0.66, "unit_min": 0.66}

IMPUTATION_METHODS = ("none", "mean", "median", "group_mean", "group_median", "knn")
FALLBACK_METHODS = ("none", "mean", "median")
TREATMENT_METHODS = ("winsorise", "none")
THEN_METHODS = ("log", "log_orig", "log_plain", "boxcox", "none")
ZERO_VARIANCE_POLICIES = ("error", "drop")

_TOP_KEYS = {"edition", "name", "description", "reference_year", "window", "coverage", "stages", "areas"}
_AREA_KEYS = {"code", "weight", "name", "description", "indicators"}
_IND_KEYS = {"code", "name", "description", "direction", "weight", "unit", "source", "window", "denominator",
             "treatment", "goalposts", "target"}
_STAGE_KEYS = {
    "imputation": {"method", "group", "fallback", "n_neighbors", "time", "max_gap"},
    "treatment": {"method", "skew", "kurtosis", "max_winsorised", "then"},
    "normalisation": {"method", "low", "high", "reference", "cap_max"},
    "weights": {"method"},
    "aggregation": {"indicators", "areas", "allow_zero", "power", "dat_thresh"},
    "ranking": {"decimals"},
}


def _fail(path: str, message: str) -> None:
    raise CompindexError(f"{path}: {message}")


def _check_keys(obj: Any, allowed: set[str], path: str) -> dict:
    if not isinstance(obj, dict):
        _fail(path, f"expected a mapping, got {type(obj).__name__} {obj!r}")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        _fail(path, f"unknown key(s) {unknown}; allowed: {sorted(allowed)}")
    return obj


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _positive(value: Any, path: str) -> float:
    if not _is_number(value) or value <= 0:
        _fail(path, f"expected a positive number, got {value!r}")
    return float(value)


def _positive_int(value: Any, path: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        _fail(path, f"expected an integer >= {minimum}, got {value!r}")
    return value


def _share(value: Any, path: str) -> float:
    if not _is_number(value) or not 0 <= value <= 1:
        _fail(path, f"expected a share between 0 and 1, got {value!r}")
    return float(value)


def _choice(value: Any, choices: tuple, path: str) -> Any:
    if value not in choices:
        _fail(path, f"unknown method {value!r}; expected one of {list(choices)}")
    return value


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def _label(value: Any, path: str) -> Any:
    """A display text: a non-empty string, or a mapping of language codes (BCP 47, lower case) to strings.

    A YAML flow mapping with an unquoted comma (``{en: A, B, fr: C}``) loads as extra keys with ``None``
    values; refusing them here keeps such a typo from silently cutting a name short.
    """
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    if isinstance(value, dict) and value:
        for lang, text in value.items():
            if not isinstance(lang, str) or not _LANGUAGE_CODE.match(lang):
                _fail(path, f"expected language codes such as 'en', 'fr', 'ar' as keys, got {lang!r} "
                            "(an unquoted comma in a YAML flow mapping splits the text; quote it)")
            if not isinstance(text, str) or not text.strip():
                _fail(f"{path}.{lang}", f"expected a non-empty text, got {text!r}")
        return value
    _fail(path, f"expected a text or a mapping of language codes to texts, got {value!r}")


def _code(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(path, f"expected a non-empty code string, got {value!r}")
    return value.strip()


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the framework.

    Attributes
    ----------
    code : str
        Indicator code (World Bank/ITU/UN code where one exists), unique in the framework.
    direction : int
        +1 if higher values are better, -1 if lower values are better (Handbook 2008, Step 6).
    weight : float
        Positive weight inside its area; renormalised over the indicators a unit has.
    unit, source : str or None
        Unit of measurement and source code, carried through for reports.
    window : int or None
        Per-indicator data-selection window in years (overrides the framework window).
    denominator : dict or None
        ``{"indicator": code, "scale": s}``: the value is divided by ``denominator / s``.
    treatment : dict or None
        Outlier-treatment override: ``{"skip": True}`` or ``{"force": True, "max_points": n}``.
    goalposts : tuple of float or None
        Fixed ``(low, high)`` bounds for goalpost normalisation.
    target : float or None
        Target value in the indicator's unit, used by ``dist2targ`` normalisation.
    name : dict or str or None
        Display name, usually ``{"en": ..., "fr": ..., "ar": ...}``.
    """

    code: str
    direction: int
    weight: float = 1.0
    unit: str | None = None
    source: str | None = None
    window: int | None = None
    denominator: dict | None = None
    treatment: dict | None = None
    goalposts: tuple[float, float] | None = None
    name: Any = None
    target: float | None = None


@dataclass(frozen=True)
class Area:
    """A thematic area (pillar): a weighted group of indicators.

    Attributes
    ----------
    code : str
        Area code, unique in the framework.
    weight : float
        Positive weight of the area in the index.
    name : dict or str or None
        Display name.
    indicators : list of IndicatorSpec
        At least one indicator.
    """

    code: str
    weight: float = 1.0
    name: Any = None
    indicators: list[IndicatorSpec] = field(default_factory=list)


def _parse_direction(value: Any, path: str) -> int:
    # bool is an int subclass: True must not pass as +1.
    if _is_number(value) and value in (1, -1):
        return int(value)
    _fail(path, f"direction must be +1 (higher is better) or -1 (lower is better), got {value!r}")


def _parse_indicator(raw: Any, path: str) -> IndicatorSpec:
    raw = _check_keys(raw, _IND_KEYS, path)
    code = _code(raw.get("code"), f"{path}.code")
    path = f"{path} ({code})"
    if "direction" not in raw:
        _fail(f"{path}.direction", "missing; expected +1 or -1")
    direction = _parse_direction(raw["direction"], f"{path}.direction")
    weight = _positive(raw.get("weight", 1), f"{path}.weight")
    window = raw.get("window")
    if window is not None:
        window = _positive_int(window, f"{path}.window", minimum=0)
    denominator = raw.get("denominator")
    if denominator is not None:
        _check_keys(denominator, {"indicator", "scale"}, f"{path}.denominator")
        denominator = {"indicator": _code(denominator.get("indicator"), f"{path}.denominator.indicator"),
                       "scale": _positive(denominator.get("scale", 1), f"{path}.denominator.scale")}
        if denominator["indicator"] == code:
            _fail(f"{path}.denominator.indicator", "an indicator cannot be its own denominator")
    treatment = raw.get("treatment")
    if treatment is not None:
        _check_keys(treatment, {"force", "max_points", "skip", "transform"}, f"{path}.treatment")
        if "transform" in treatment:
            _choice(treatment["transform"], THEN_METHODS[:-1], f"{path}.treatment.transform")
            if len(treatment) > 1:
                _fail(f"{path}.treatment", "transform cannot be combined with skip, force or max_points")
        for flag in ("force", "skip"):
            if flag in treatment and not isinstance(treatment[flag], bool):
                _fail(f"{path}.treatment.{flag}", f"expected true or false, got {treatment[flag]!r}")
        if "max_points" in treatment:
            _positive_int(treatment["max_points"], f"{path}.treatment.max_points")
        if treatment.get("skip") and (treatment.get("force") or "max_points" in treatment):
            _fail(f"{path}.treatment", "skip: true cannot be combined with force or max_points")
        treatment = dict(treatment)
    target = raw.get("target")
    if target is not None and not _is_number(target):
        _fail(f"{path}.target", f"expected a number, got {target!r}")
    goalposts = raw.get("goalposts")
    if goalposts is not None:
        if (not isinstance(goalposts, (list, tuple)) or len(goalposts) != 2
                or not all(_is_number(g) for g in goalposts) or not goalposts[0] < goalposts[1]):
            _fail(f"{path}.goalposts", f"expected [low, high] numbers with low < high, got {goalposts!r}")
        goalposts = (float(goalposts[0]), float(goalposts[1]))
    return IndicatorSpec(code=code, direction=direction, weight=weight, unit=raw.get("unit"),
                         source=raw.get("source"), window=window, denominator=denominator,
                         treatment=treatment, goalposts=goalposts, name=_label(raw.get("name"), f"{path}.name"),
                         target=None if target is None else float(target))


def _parse_stages(raw: Any) -> dict[str, Any]:
    stages = copy.deepcopy(DEFAULT_STAGES)
    if raw is None:
        return stages
    _check_keys(raw, set(DEFAULT_STAGES), "stages")
    for key, value in raw.items():
        path = f"stages.{key}"
        if key == "zero_variance":
            stages[key] = _choice(value, ZERO_VARIANCE_POLICIES, path)
            continue
        _check_keys(value, _STAGE_KEYS[key], path)
        stages[key].update(value)
    imp = stages["imputation"]
    _choice(imp["method"], IMPUTATION_METHODS, "stages.imputation.method")
    _choice(imp["fallback"], FALLBACK_METHODS, "stages.imputation.fallback")
    _positive_int(imp["n_neighbors"], "stages.imputation.n_neighbors")
    _choice(imp["time"], TIME_METHODS, "stages.imputation.time")
    if imp["max_gap"] is not None:
        _positive_int(imp["max_gap"], "stages.imputation.max_gap")
    if imp["method"].startswith("group_") and not imp.get("group"):
        _fail("stages.imputation.group", f"method {imp['method']!r} needs the name of a grouping column")
    tr = stages["treatment"]
    _choice(tr["method"], TREATMENT_METHODS, "stages.treatment.method")
    _positive(tr["skew"], "stages.treatment.skew")
    _positive(tr["kurtosis"], "stages.treatment.kurtosis")
    _positive_int(tr["max_winsorised"], "stages.treatment.max_winsorised", minimum=0)
    _choice(tr["then"], THEN_METHODS, "stages.treatment.then")
    norm = stages["normalisation"]
    _choice(norm["method"], NORMALISATION_METHODS, "stages.normalisation.method")
    for bound in ("low", "high"):
        if not _is_number(norm[bound]):
            _fail(f"stages.normalisation.{bound}", f"expected a number, got {norm[bound]!r}")
    if not norm["low"] < norm["high"]:
        _fail("stages.normalisation", f"expected low < high, got low={norm['low']} high={norm['high']}")
    if norm["method"] == "dist2ref" and not isinstance(norm["reference"], str):
        _fail("stages.normalisation.reference", f"method 'dist2ref' needs a reference unit code, got "
              f"{norm['reference']!r}")
    if not isinstance(norm["cap_max"], bool):
        _fail("stages.normalisation.cap_max", f"expected true or false, got {norm['cap_max']!r}")
    _choice(stages["weights"]["method"], WEIGHT_METHODS, "stages.weights.method")
    agg = stages["aggregation"]
    _choice(agg["indicators"], AGGREGATION_METHODS, "stages.aggregation.indicators")
    _choice(agg["areas"], AGGREGATION_METHODS, "stages.aggregation.areas")
    if "generalised" in (agg["indicators"], agg["areas"]) and (not _is_number(agg["power"]) or agg["power"] == 0):
        _fail("stages.aggregation.power", f"the generalised mean needs a number p != 0, got {agg['power']!r}")
    thresh = agg["dat_thresh"]
    if isinstance(thresh, dict):
        _check_keys(thresh, {"indicators", "areas"}, "stages.aggregation.dat_thresh")
        agg["dat_thresh"] = {k: _share(v, f"stages.aggregation.dat_thresh.{k}") for k, v in thresh.items()}
    elif thresh is not None:
        agg["dat_thresh"] = _share(thresh, "stages.aggregation.dat_thresh")
    if not isinstance(agg["allow_zero"], bool):
        _fail("stages.aggregation.allow_zero", f"expected true or false, got {agg['allow_zero']!r}")
    _positive_int(stages["ranking"]["decimals"], "stages.ranking.decimals", minimum=0)
    return stages


@dataclass(frozen=True)
class Framework:
    """A validated composite-indicator framework (Handbook 2008, Step 1).

    Build it with :meth:`Framework.from_dict` from the parsed ``methodology/<edition>.yaml``.

    Attributes
    ----------
    areas : list of Area
        Thematic areas in framework order.
    stages : dict
        Stage specifications with defaults filled in (see :data:`DEFAULT_STAGES`).
    coverage : dict
        ``{"indicator_min": float, "unit_min": float}`` coverage thresholds (JRC default 0.66).
    reference_year : int or None
        Reference year of the edition.
    window : int
        Data-selection window in years: values from ``[reference_year - window, reference_year]``.
    edition : str or None
        Edition label.
    """

    areas: list[Area]
    stages: dict[str, Any]
    coverage: dict[str, float]
    reference_year: int | None
    window: int
    edition: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> Framework:
        """Validate a framework mapping and build a :class:`Framework`.

        Parameters
        ----------
        data : dict
            Parsed framework file (schema: ``docs/architecture.md``, "The framework file").

        Returns
        -------
        Framework

        Raises
        ------
        CompindexError
            Unknown keys or methods, direction not in {+1, -1}, weight not a positive number, duplicate area or
            indicator codes, an area without indicators, goalpost normalisation without goalposts; the message
            names the field path.
        """
        _check_keys(data, _TOP_KEYS, "framework")
        _label(data.get("name"), "framework.name")
        reference_year = data.get("reference_year")
        if reference_year is not None:
            reference_year = _positive_int(reference_year, "reference_year")
        window = _positive_int(data.get("window", 0), "window", minimum=0)
        coverage = dict(DEFAULT_COVERAGE)
        if data.get("coverage") is not None:
            coverage.update(_check_keys(data["coverage"], set(DEFAULT_COVERAGE), "coverage"))
        coverage = {k: _share(v, f"coverage.{k}") for k, v in coverage.items()}
        stages = _parse_stages(data.get("stages"))

        raw_areas = data.get("areas")
        if not isinstance(raw_areas, list) or not raw_areas:
            _fail("areas", "expected a non-empty list of thematic areas")
        areas: list[Area] = []
        seen: dict[str, str] = {}
        for i, raw_area in enumerate(raw_areas):
            path = f"areas[{i}]"
            _check_keys(raw_area, _AREA_KEYS, path)
            code = _code(raw_area.get("code"), f"{path}.code")
            path = f"{path} ({code})"
            if code == "index" or code in seen:
                _fail(f"{path}.code", f"duplicate or reserved code {code!r} (already used by {seen.get(code, 'the index')})")
            seen[code] = path
            weight = _positive(raw_area.get("weight", 1), f"{path}.weight")
            raw_inds = raw_area.get("indicators")
            if not isinstance(raw_inds, list) or not raw_inds:
                _fail(f"{path}.indicators", "an area needs at least one indicator")
            indicators = []
            for j, raw_ind in enumerate(raw_inds):
                ind = _parse_indicator(raw_ind, f"{path}.indicators[{j}]")
                if ind.code in seen or ind.code == "index":
                    _fail(f"{path}.indicators[{j}].code",
                          f"duplicate code {ind.code!r} (already used by {seen.get(ind.code, 'the index')})")
                seen[ind.code] = f"{path}.indicators[{j}]"
                if stages["normalisation"]["method"] == "goalposts" and ind.goalposts is None:
                    _fail(f"{path}.indicators[{j}] ({ind.code}).goalposts",
                          "required when stages.normalisation.method is 'goalposts'")
                if stages["normalisation"]["method"] == "dist2targ" and ind.target is None:
                    _fail(f"{path}.indicators[{j}] ({ind.code}).target",
                          "required when stages.normalisation.method is 'dist2targ'")
                indicators.append(ind)
            areas.append(Area(code=code, weight=weight, name=_label(raw_area.get("name"), f"{path}.name"),
                              indicators=indicators))
        edition = data.get("edition")
        return cls(areas=areas, stages=stages, coverage=coverage, reference_year=reference_year,
                   window=window, edition=None if edition is None else str(edition))

    @property
    def indicator_codes(self) -> list[str]:
        """Indicator codes in framework order."""
        return [ind.code for area in self.areas for ind in area.indicators]

    @property
    def indicators(self) -> dict[str, IndicatorSpec]:
        """Indicator specifications by code."""
        return {ind.code: ind for area in self.areas for ind in area.indicators}

    @property
    def area_of(self) -> dict[str, str]:
        """Area code of each indicator code."""
        return {ind.code: area.code for area in self.areas for ind in area.indicators}

    def to_dict(self) -> dict:
        """JSON-serialisable mapping that :meth:`from_dict` accepts back (defaults made explicit).

        Returns
        -------
        dict
        """
        def ind_dict(ind: IndicatorSpec) -> dict:
            out = {"code": ind.code, "direction": ind.direction, "weight": ind.weight}
            for key in ("name", "unit", "source", "window", "denominator", "treatment", "target"):
                if getattr(ind, key) is not None:
                    out[key] = copy.deepcopy(getattr(ind, key))
            if ind.goalposts is not None:
                out["goalposts"] = list(ind.goalposts)
            return out

        out: dict[str, Any] = {}
        if self.edition is not None:
            out["edition"] = self.edition
        if self.reference_year is not None:
            out["reference_year"] = self.reference_year
        out.update(window=self.window, coverage=dict(self.coverage), stages=copy.deepcopy(self.stages))
        out["areas"] = [{"code": a.code, "weight": a.weight, **({"name": a.name} if a.name is not None else {}),
                         "indicators": [ind_dict(i) for i in a.indicators]} for a in self.areas]
        return out
