"""Read side of the observatory: every query the pages and the status report need.

Views and the report renderer stay thin and call these functions only (HackSoft Django styleguide,
"selectors"). Nothing here writes. Values are returned raw (floats, ``None`` for missing); formatting per
language happens in the templates (``dtforum.observatory.templatetags.dtf``).

Terms follow the OECD/JRC *Handbook on Constructing Composite Indicators* (2008): a thematic *area* is a
pillar, the *index* is the aggregate of the areas, *normalised values* are on the 0-100 scale of the edition.
"""
from __future__ import annotations

import math
import statistics
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, gettext_noop

from dtforum.members.models import Economy
from dtforum.observatory.models import Edition, IndicatorResult, Score, Source

INDEX = "index"
#: Gap columns of :class:`~dtforum.observatory.models.Score`, in the order the report shows them.
GAP_FIELDS = ("gap_oic_median", "gap_oic_best", "gap_income_median", "gap_group_median", "gap_world_median")
#: How many indicators a profile lists as strongest and as weakest.
PROFILE_TOP_N = 3
#: Fallback display names of the development tiers (``dtforum.observatory.analysis.TIER_LABELS``), translated by
#: gettext when an edition stores no ``analysis["tiers"]["names"]``.
TIER_FALLBACK = {"leading": gettext_noop("Leading"), "advancing": gettext_noop("Advancing"),
                 "developing": gettext_noop("Developing"), "emerging": gettext_noop("Emerging")}
#: Units of the framework files (``methodology/*.yaml``), listed so that the catalogs carry their translations;
#: :func:`unit_text` translates any unit through gettext and leaves unknown ones as written.
UNITS = (
    # xgettext:no-python-format
    gettext_noop("% age 15+"),
    # xgettext:no-python-format
    gettext_noop("% of GDP"),
    # xgettext:no-python-format
    gettext_noop("% of manufactured exports"),
    # xgettext:no-python-format
    gettext_noop("% of population"),
    # xgettext:no-python-format
    gettext_noop("% of total services exports"),
    gettext_noop("GTMI dataset score"), gettext_noop("index 0-0.25"), gettext_noop("index 0-1"),
    gettext_noop("per 1 million people"), gettext_noop("per 100 people"), gettext_noop("per million people"),
    gettext_noop("score 0-100"), gettext_noop("score 0-20"), gettext_noop("years"),
)
#: Labels of the uncertain inputs of the sensitivity analysis (``robustness.UNCERTAINTY_SPEC`` keys).
SENSITIVITY_INPUTS = {"weights": gettext_noop("Weights"), "normalisation": gettext_noop("Normalisation"),
                      "aggregation": gettext_noop("Aggregation"), "imputation": gettext_noop("Imputation"),
                      "treatment": gettext_noop("Outlier treatment")}


class ProfileNotFound(LookupError):
    """No member profile exists for the requested code.

    Attributes
    ----------
    iso3 : str
        The code asked for, upper-cased.
    reason : str
        ``"unknown"`` (no economy has this code) or ``"not_member"`` (an economy that is not an OIC member
        state, e.g. a comparison economy or an aggregate such as WLD).
    """

    def __init__(self, iso3: str, reason: str):
        super().__init__(f"no member profile for {iso3!r}: {reason}")
        self.iso3 = iso3
        self.reason = reason


def _pick(names: dict | None, language: str, fallback: str = "") -> str:
    """Return ``names[language]``, else the English name, else ``fallback``."""
    names = names or {}
    return names.get(language) or names.get("en") or fallback


def _percent(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


def _economy_name(economy: Economy, language: str) -> str:
    return getattr(economy, f"name_{language}", "") or economy.name_en


#: Arabic letters folded for sorting: alef with hamza or madda sorts as bare alef (أفغانستان with ا), as in
#: Arabic dictionaries' alphabetical (alifbā'ī) order.
_ARABIC_FOLD = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627"})


def name_sort_key(name: str, language: str) -> str:
    """Sort key of a member name in ``language``, independent of the machine's locale.

    French and English: case-folded, accents removed (Unicode NFKD, combining marks dropped), so that "Égypte"
    sorts between "Djibouti" and "Émirats" as in a French index. Arabic: harakat and tatweel removed, alef with
    hamza or madda folded to bare alef, and a leading definite article "ال" dropped (الأردن files under أ, as
    in Arabic gazetteers), then Unicode code point order, which follows the Arabic alphabet in the basic
    Arabic block (ا ب ت ث … ه و ي). No collation library: the order is the same on every machine.

    Parameters
    ----------
    name : str
    language : str
        ``"en"``, ``"fr"`` or ``"ar"``.

    Returns
    -------
    str

    Examples
    --------
    >>> sorted(["Égypte", "Émirats arabes unis", "Djibouti"], key=lambda n: name_sort_key(n, "fr"))
    ['Djibouti', 'Égypte', 'Émirats arabes unis']
    >>> name_sort_key("الأردن", "ar") == "اردن"
    True
    """
    text = "".join(c for c in unicodedata.normalize("NFKD", name or "") if not unicodedata.combining(c))
    if language == "ar":
        text = text.replace("\u0640", "").translate(_ARABIC_FOLD)
        text = text.removeprefix("\u0627\u0644")
    return text.casefold()


def unit_text(unit: str | None) -> str:
    """Return a framework unit (e.g. ``"% of population"``) in the active language, as written when the catalog
    has no translation (see :data:`UNITS`); ``None`` gives ``""``."""
    return gettext(unit) if unit else ""


def tier_names(edition: Edition, language: str) -> dict[str, str]:
    """Display names of the development tiers in ``language``, keyed by tier code.

    Parameters
    ----------
    edition : Edition
        Its ``analysis["tiers"]["names"]`` (``{code: {en, fr, ar}}``, written by
        :func:`dtforum.observatory.analysis.development_tiers`) is used when present.
    language : str
        ``"en"``, ``"fr"`` or ``"ar"``.

    Returns
    -------
    dict
        ``{code: name}`` for every code in ``names``, ``labels`` or ``counts``; a code without a stored name gets
        the gettext translation of :data:`TIER_FALLBACK` (the active language's catalog), else the code itself.
    """
    tiers = (edition.analysis or {}).get("tiers") or {}
    stored = tiers.get("names") or {}
    codes = [*stored, *(c for c in tiers.get("labels") or [] if isinstance(c, str)), *(tiers.get("counts") or {})]
    return {code: _pick(stored.get(code), language) or gettext(TIER_FALLBACK.get(code, code)) for code in codes}


def rank_interval(q05: float | None, q95: float | None) -> tuple[int | None, int | None]:
    """Widen the 5 % and 95 % rank quantiles outwards to whole ranks: ``(floor(q05), ceil(q95))``.

    The quantiles of the Monte Carlo ranks (``robustness.analyse_robustness``; numpy linear interpolation) can
    fall between two ranks; rounding outwards keeps the shown interval a superset of the computed one. Values are
    first rounded to 6 decimals so that float noise (``5.0000000001``) does not add a rank.

    Examples
    --------
    >>> rank_interval(2.45, 7.05)
    (2, 8)
    >>> rank_interval(3.0, 3.0)
    (3, 3)
    >>> rank_interval(None, 4.0)
    (None, None)
    """
    if q05 is None or q95 is None:
        return None, None
    return math.floor(round(q05, 6)), math.ceil(round(q95, 6))


@dataclass(frozen=True)
class AreaInfo:
    """One thematic area (pillar) of the framework as shown to readers.

    ``indicators`` is a tuple of dicts with keys ``code, name, direction, weight, unit, source``.
    """

    code: str
    name: str
    weight: float
    indicators: tuple = ()


@dataclass
class RankingRow:
    """One member in a ranking: index (or area) score, competition rank, tier and every area's score.

    ``rank_low``/``rank_high`` are the 5-95 % rank interval of the uncertainty analysis widened to whole ranks
    (:func:`rank_interval`), ``None`` when the edition has none; ``tier_name`` is the tier in the page's language.
    """

    iso3: str
    name: str
    score: float | None
    rank: int | None
    tier: str
    oic_group: str
    income_group: str
    areas: dict = field(default_factory=dict)
    area_list: list = field(default_factory=list)
    tier_name: str = ""
    median_rank: float | None = None
    rank_low: int | None = None
    rank_high: int | None = None


@dataclass
class AreaScore:
    """A member's score in one area (or the index) with its rank, 5-95 % rank interval (:func:`rank_interval`),
    tier (code and name in the page's language) and the five gaps (score − reference)."""

    code: str
    name: str
    score: float | None
    rank: int | None
    tier: str
    gaps: dict
    tier_name: str = ""
    rank_low: int | None = None
    rank_high: int | None = None


@dataclass
class IndicatorLine:
    """A member's value of one framework indicator in an edition; ``source`` is the Source the framework
    names for the indicator (:func:`indicator_sources`), ``None`` when it names none."""

    code: str
    name: str
    area: str
    area_name: str
    unit: str
    raw_value: float | None
    source_year: int | None
    imputed: bool
    normalised_value: float | None
    source: Source | None = None


@dataclass
class MemberProfile:
    """Everything a country page and a report profile page show for one member.

    ``areas`` follows framework order; ``strongest``/``weakest`` are the indicators with the highest and
    lowest normalised values among the member's measured (not imputed) values, ties broken by indicator code so
    the choice is reproducible.
    """

    iso3: str
    name: str
    oic_group: str
    income_group: str
    index: AreaScore | None
    areas: list
    strongest: list
    weakest: list
    indicators: list
    members_ranked: int
    trends: MemberTrends | None = None
    peers: list = field(default_factory=list)


@dataclass
class TrendSeries:
    """Scores of one member in one area (or the index) over the trend years, with the compound annual growth
    rate between its first and last scored years (a fraction: 0.05 = 5 % a year; ``cagr_pct`` = × 100)."""

    code: str
    name: str
    values: list
    cagr: float | None
    cagr_pct: float | None


@dataclass
class MemberTrends:
    """A member's trend scores (``edition.analysis["trends"]``): the years, one :class:`TrendSeries` per area
    then the index, the framework indicators the panel keeps (names in the page's language) and those whose
    last observation predates the years, so that their flat trend is explained (``static``: dicts ``code,
    name, year``)."""

    years: list
    series: list
    indicators: list
    static: list


@dataclass
class PeerLine:
    """One peer for learning: a member that scores higher in the area and resembles the member in context
    (Gower distance, ``compindex.peers``); ``score_gap`` is the peer's score minus the member's (its
    advantage, > 0); ``reasons`` in the page's language."""

    iso3: str
    name: str
    distance: float
    score_gap: float
    reasons: list


@dataclass
class PeerGroup:
    """The peers of a member in one area (``code`` an area code or ``"index"``; ``name`` in the page's
    language)."""

    code: str
    name: str
    peers: list


def latest_edition() -> Edition | None:
    """Return the most recent computed edition (highest reference year that has scores), or ``None``.

    Returns
    -------
    Edition or None
        ``None`` when ``make build`` has not computed any edition yet.
    """
    # EXISTS, not a join with DISTINCT: DISTINCT over the edition's JSON columns compared every Score row's copy of
    # them (about 1 s per page on PostgreSQL with the real edition).
    return (
        Edition.objects.filter(Exists(Score.objects.filter(edition=OuterRef("pk"))))
        .order_by("-reference_year", "-computed_at", "-code")
        .first()
    )


def framework_areas(edition: Edition, language: str) -> list[AreaInfo]:
    """Return the thematic areas and their indicators from the edition's framework, names in ``language``.

    Parameters
    ----------
    edition : Edition
        Its ``methodology`` is the framework file as read (``docs/architecture.md``).
    language : str
        ``"en"``, ``"fr"`` or ``"ar"``; missing names fall back to English, then to the code. Units are translated
        by :func:`unit_text` in the active language (the caller activates ``language``).

    Returns
    -------
    list of AreaInfo
        In framework order. Each indicator dict also has ``coverage`` (share of members with data, from
        ``edition.recipe["coverage"]``, ``None`` when not recorded), ``coverage_pct`` (the same × 100) and ``excluded`` (``True`` when the coverage
        screening of the edition dropped it: its row has ``kept`` false).

    Raises
    ------
    TypeError
        If ``methodology["areas"]`` is missing or not a list (names the edition).
    ValueError
        If an area has no ``code`` (names the edition and the area's position).
    """
    areas = (edition.methodology or {}).get("areas")
    if not isinstance(areas, list):
        raise TypeError(f"edition {edition.code}: methodology has no 'areas' list")
    screening = {row.get("indicator"): row for row in (edition.recipe or {}).get("coverage") or []
                 if isinstance(row, dict)}
    out = []
    for i, area in enumerate(areas):
        if not area.get("code"):
            raise ValueError(f"edition {edition.code}: methodology areas[{i}] has no 'code'")
        indicators = tuple(
            {
                "code": ind["code"],
                "name": _pick(ind.get("name"), language, ind["code"]),
                "direction": ind.get("direction", 1),
                "weight": ind.get("weight", 1),
                "unit": unit_text(ind.get("unit", "")),
                "source": ind.get("source", ""),
                "coverage": screening.get(ind["code"], {}).get("share"),
                "coverage_pct": _percent(screening.get(ind["code"], {}).get("share")),
                "excluded": screening.get(ind["code"], {}).get("kept") is False,
            }
            for ind in area.get("indicators", [])
        )
        out.append(AreaInfo(area["code"], _pick(area.get("name"), language, area["code"]),
                            float(area.get("weight", 1)), indicators))
    return out


def score_scale(edition: Edition) -> dict:
    """Return the scale of the edition's scores, for the "how to read this score" note.

    Parameters
    ----------
    edition : Edition
        Its ``methodology["stages"]["normalisation"]`` (``method``, ``low``, ``high``; OECD/JRC Handbook 2008,
        section 5).

    Returns
    -------
    dict
        ``method`` (e.g. ``"minmax"``, ``""`` when not stated), ``low`` and ``high`` (floats; 0 and 100 when
        not stated, the framework's defaults).
    """
    spec = ((edition.methodology or {}).get("stages") or {}).get("normalisation") or {}
    return {"method": spec.get("method", ""), "low": float(spec.get("low", 0)), "high": float(spec.get("high", 100))}


def _member_scores(edition: Edition) -> dict[str, dict[str, Score]]:
    """Scores of the members in ``edition`` as ``{iso3: {area: Score}}`` (one query)."""
    table: dict[str, dict[str, Score]] = {}
    rows = Score.objects.filter(edition=edition, economy__kind=Economy.Kind.MEMBER).select_related("economy")
    for s in rows:
        table.setdefault(s.economy.iso3, {})[s.area] = s
    return table


def edition_ranking(edition: Edition, area: str = INDEX, language: str = "en") -> list[RankingRow]:
    """Return the members ranked on ``area`` (``"index"`` or an area code), best first.

    Ordered by competition rank (1, 1, 3 …); unranked members (no score) come last, by name, so that they
    are shown but never given a place (CASE C09).

    Parameters
    ----------
    edition : Edition
    area : str
        ``"index"`` or an area code of the framework.
    language : str
        Language of the member names.

    Returns
    -------
    list of RankingRow
        One row per member that has any score in the edition; ``row.areas`` maps every area code to the
        member's score (``None`` where missing) and ``row.area_list`` gives the same in framework order.

    Raises
    ------
    ValueError
        If ``area`` is neither ``"index"`` nor an area of the edition's framework.
    """
    codes = [a.code for a in framework_areas(edition, language)]
    if area != INDEX and area not in codes:
        raise ValueError(f"edition {edition.code}: unknown area {area!r}; expected 'index' or one of {codes}")
    tiers = tier_names(edition, language)
    rows = []
    for iso3, by_area in _member_scores(edition).items():
        economy = next(iter(by_area.values())).economy
        main = by_area.get(area)
        area_scores = {c: (by_area[c].score if c in by_area else None) for c in codes}
        low, high = rank_interval(main.rank_q05, main.rank_q95) if main else (None, None)
        tier = main.tier if main else ""
        rows.append(RankingRow(
            iso3=iso3, name=_economy_name(economy, language),
            score=main.score if main else None, rank=main.rank if main else None,
            tier=tier, oic_group=economy.oic_group, income_group=economy.income_group,
            areas=area_scores, area_list=[area_scores[c] for c in codes],
            tier_name=tiers.get(tier, tier) if tier else "", median_rank=main.median_rank if main else None,
            rank_low=low, rank_high=high,
        ))
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return rows


def _area_score(code: str, name: str, s: Score | None, tiers: dict[str, str]) -> AreaScore:
    if s is None:
        return AreaScore(code, name, None, None, "", {g: None for g in GAP_FIELDS})
    low, high = rank_interval(s.rank_q05, s.rank_q95)
    return AreaScore(code, name, s.score, s.rank, s.tier, {g: getattr(s, g) for g in GAP_FIELDS},
                     tier_name=tiers.get(s.tier, s.tier) if s.tier else "", rank_low=low, rank_high=high)


def _profiles(edition: Edition, language: str, iso3s: list[str] | None = None) -> list[MemberProfile]:
    """Build member profiles in bulk (four queries whatever the number of members)."""
    areas = framework_areas(edition, language)
    area_names = {a.code: a.name for a in areas}
    ind_names = {i["code"]: i["name"] for a in areas for i in a.indicators}
    ind_units = {i["code"]: i["unit"] for a in areas for i in a.indicators}
    scores = _member_scores(edition)
    tiers = tier_names(edition, language)
    sources = indicator_sources(edition)
    members = Economy.objects.filter(kind=Economy.Kind.MEMBER)
    if iso3s is not None:
        members = members.filter(iso3__in=iso3s)
    results: dict[str, list[IndicatorLine]] = {}
    qs = (IndicatorResult.objects.filter(edition=edition, economy__in=members)
          .select_related("indicator", "economy"))
    for r in qs:
        results.setdefault(r.economy.iso3, []).append(IndicatorLine(
            code=r.indicator.code,
            name=ind_names.get(r.indicator.code) or getattr(r.indicator, f"name_{language}", "")
            or r.indicator.name_en,
            area=r.area, area_name=area_names.get(r.area, r.area),
            unit=ind_units.get(r.indicator.code) or unit_text(r.indicator.unit),
            raw_value=r.raw_value, source_year=r.source_year, imputed=r.imputed,
            normalised_value=r.normalised_value, source=sources.get(r.indicator.code),
        ))
    ranked = sum(1 for by_area in scores.values() if by_area.get(INDEX) and by_area[INDEX].rank is not None)
    order = {i["code"]: n for n, i in enumerate(i for a in areas for i in a.indicators)}
    profiles = []
    members = sorted(members, key=lambda e: (name_sort_key(_economy_name(e, language), language), e.iso3))
    # all members are in hand when every profile is built: peers need no further query
    names = {e.iso3: _economy_name(e, language) for e in members} if iso3s is None else None
    for economy in members:
        by_area = scores.get(economy.iso3, {})
        lines = sorted(results.get(economy.iso3, []), key=lambda x: (order.get(x.code, len(order)), x.code))
        # Measured values only: an imputed value is a group median, not the member's own strength or weakness.
        scored = [x for x in lines if x.normalised_value is not None and not x.imputed]
        # Up to three each, but never more than half the scored indicators, so the lists do not overlap.
        n = min(PROFILE_TOP_N, max(1, len(scored) // 2))
        strongest = sorted(scored, key=lambda x: (-x.normalised_value, x.code))[:n]
        picked = {x.code for x in strongest}
        weakest = [x for x in sorted(scored, key=lambda x: (x.normalised_value, x.code))
                   if x.code not in picked][:n]
        profiles.append(MemberProfile(
            iso3=economy.iso3, name=_economy_name(economy, language), oic_group=economy.oic_group,
            income_group=economy.income_group,
            index=(_area_score(INDEX, INDEX, by_area[INDEX], tiers)
                   if INDEX in by_area and by_area[INDEX].score is not None else None),
            areas=[_area_score(a.code, a.name, by_area.get(a.code), tiers) for a in areas],
            strongest=strongest, weakest=weakest, indicators=lines, members_ranked=ranked,
            trends=member_trends(edition, economy.iso3, language),
            peers=member_peers(edition, economy.iso3, language, names),
        ))
    return profiles


def _series_name(code: str, area_names: dict[str, str]) -> str:
    return gettext("Index") if code == INDEX else area_names.get(code, code)


def member_trends(edition: Edition, iso3: str, language: str = "en") -> MemberTrends | None:
    """Return the trend scores of one member from ``edition.analysis["trends"]``.

    The trend scores come from the panel index of the robustness step (``compindex.panel.run_panel`` with
    ``indicators="common"``: only indicators present in every year, so they differ from the edition's
    scores); CAGR ``(s_end/s_start)^(1/(t_end - t_start)) - 1`` (``compindex.panel.cagr``).

    Parameters
    ----------
    edition : Edition
        ``analysis["trends"]`` is ``{"years": [int, ...], "areas": [area codes..., "index"], "members":
        {iso3: {area: [score or None per year]}}, "cagr": {iso3: {area: float or None}}, "indicators":
        [codes], "static_indicators": {code: last year}}``.
    iso3 : str
        Member code (upper case).
    language : str
        Language of area and indicator names (``"index"`` is named by gettext in the active language).

    Returns
    -------
    MemberTrends or None
        ``None`` when the edition stores no trends (older editions) or none for this member. Series follow
        ``trends["areas"]`` (areas in framework order, then the index).

    Raises
    ------
    ValueError
        If a stored series does not have one value per year (names the edition, member and area).
    """
    trends = (edition.analysis or {}).get("trends")
    if not isinstance(trends, dict) or iso3 not in (trends.get("members") or {}):
        return None
    years = list(trends.get("years") or [])
    areas = framework_areas(edition, language)
    area_names = {a.code: a.name for a in areas}
    ind_names = {i["code"]: i["name"] for a in areas for i in a.indicators}
    by_area = trends["members"][iso3] or {}
    growth = (trends.get("cagr") or {}).get(iso3) or {}
    series = []
    for code in trends.get("areas") or [*area_names, INDEX]:
        if code not in by_area:
            continue
        values = list(by_area[code])
        if len(values) != len(years):
            raise ValueError(f"edition {edition.code}: analysis['trends']['members'][{iso3!r}][{code!r}] has "
                             f"{len(values)} values; expected one per year of {years}")
        rate = growth.get(code)
        series.append(TrendSeries(code, _series_name(code, area_names), values, rate, _percent(rate)))
    if not series:
        return None
    static = [{"code": c, "name": ind_names.get(c, c), "year": y}
              for c, y in (trends.get("static_indicators") or {}).items()]
    return MemberTrends(years=years, series=series,
                        indicators=[{"code": c, "name": ind_names.get(c, c)} for c in trends.get("indicators") or []],
                        static=static)


def member_peers(edition: Edition, iso3: str, language: str = "en",
                 names: dict[str, str] | None = None) -> list[PeerGroup]:
    """Return the peers for learning of one member, per area then the index, from ``edition.analysis["peers"]``.

    Peers (``compindex.peers.peers``): members scoring at least a margin higher in the area, nearest first by
    Gower (1971) distance on the context (income group, OIC group, official language, log GDP per capita,
    log population); the reasons name what the two share.

    Parameters
    ----------
    edition : Edition
        ``analysis["peers"]`` is ``{iso3: {area or "index": [{"peer", "distance", "score_gap", "reasons",
        "reasons_text": {"en": [...], "fr": [...], "ar": [...]}}, ...]}}``.
    iso3 : str
        Member code (upper case).
    language : str
        Language of area names, peer names and reasons (reasons fall back to English, then to ``reasons``).
    names : dict, optional
        ``{iso3: name in language}`` of the peers; looked up in one query when not given.

    Returns
    -------
    list of PeerGroup
        Areas in framework order, then the index; areas without peers are left out; ``[]`` when the edition
        stores no peers (older editions).

    Raises
    ------
    ValueError
        If a peer entry lacks ``peer``, ``distance`` or ``score_gap`` (names the edition, member and area).
    """
    stored = ((edition.analysis or {}).get("peers") or {}).get(iso3) or {}
    if not stored:
        return []
    area_names = {a.code: a.name for a in framework_areas(edition, language)}
    if names is None:
        codes = {e.get("peer") for entries in stored.values() for e in entries or []}
        names = {e.iso3: _economy_name(e, language) for e in Economy.objects.filter(iso3__in=codes)}
    order = [*area_names, INDEX]
    groups = []
    for code in sorted(stored, key=lambda c: (order.index(c) if c in order else len(order), c)):
        lines = []
        for i, entry in enumerate(stored[code] or []):
            missing = [k for k in ("peer", "distance", "score_gap") if entry.get(k) is None]
            if missing:
                raise ValueError(f"edition {edition.code}: analysis['peers'][{iso3!r}][{code!r}][{i}] lacks "
                                 f"{', '.join(missing)}")
            texts = entry.get("reasons_text") or {}
            reasons = texts.get(language) or texts.get("en") or entry.get("reasons") or []
            lines.append(PeerLine(entry["peer"], names.get(entry["peer"], entry["peer"]),
                                  float(entry["distance"]), float(entry["score_gap"]), list(reasons)))
        if lines:
            groups.append(PeerGroup(code, _series_name(code, area_names), lines))
    return groups


def member_profile(edition: Edition, iso3: str, language: str = "en") -> MemberProfile:
    """Return the profile of one member state in ``edition``.

    Parameters
    ----------
    edition : Edition
    iso3 : str
        ISO 3166-1 alpha-3 code (World Bank code where ISO has none, e.g. XKX); case-insensitive.
    language : str
        Language of names.

    Returns
    -------
    MemberProfile
        Scores by area with rank, tier and gaps; the strongest and weakest indicators by normalised value
        among measured values (three each, or half of the measured indicators when fewer than six; imputed
        values are never listed there); every indicator value, imputed ones flagged; ``trends``
        (:func:`member_trends`, ``None`` without stored trends) and ``peers`` (:func:`member_peers`, ``[]``
        without stored peers). A member without an index score gets a profile with ``index=None``.

    Raises
    ------
    ProfileNotFound
        ``reason="unknown"`` if no economy has this code, ``"not_member"`` if it is not an OIC member.
    ValueError
        If the stored trends or peers are malformed (see :func:`member_trends`, :func:`member_peers`).
    """
    code = (iso3 or "").strip().upper()
    economy = Economy.objects.filter(iso3=code).first()
    if economy is None:
        raise ProfileNotFound(code, "unknown")
    if economy.kind != Economy.Kind.MEMBER:
        raise ProfileNotFound(code, "not_member")
    return _profiles(edition, language, [code])[0]


def member_profiles(edition: Edition, language: str = "en") -> list[MemberProfile]:
    """Return the profiles of all member states, ordered by their name in ``language`` (:func:`name_sort_key`;
    see :func:`member_profile`)."""
    return _profiles(edition, language)


def indicator_sources(edition: Edition) -> dict[str, Source]:
    """Return the source of each framework indicator of ``edition``: ``{indicator code: Source}``.

    The source is the one the framework names for the indicator (``methodology["areas"][i]["indicators"][j]
    ["source"]``, a Source code of the ingest catalogue), not ``Indicator.source``, which is only the first
    source that delivered the code (e.g. the 2010 UN E-Government Survey for an index read from the 2024 one).

    Parameters
    ----------
    edition : Edition

    Returns
    -------
    dict
        In framework order; indicators without a ``source`` in the framework are left out.

    Raises
    ------
    LookupError
        If the framework names a source code that no Source row has (names the edition, the indicator and
        the code; ``make build`` ingests every source of the framework before computing).
    """
    named = {ind["code"]: ind["source"] for area in (edition.methodology or {}).get("areas") or []
             for ind in area.get("indicators") or [] if ind.get("source")}
    found = Source.objects.in_bulk(set(named.values()), field_name="code")
    missing = [(code, src) for code, src in named.items() if src not in found]
    if missing:
        raise LookupError(f"edition {edition.code}: framework source(s) not ingested: "
                          + ", ".join(f"indicator {code} names source {src!r}" for code, src in missing))
    return {code: found[src] for code, src in named.items()}


def edition_sources(edition: Edition) -> list[Source]:
    """Return the sources the framework of ``edition`` names for its indicators, each once, ordered by
    publisher and title; each has ``indicator_codes`` (the framework indicators read from it, framework order).

    Raises
    ------
    LookupError
        As :func:`indicator_sources`.
    """
    by_code: dict[str, Source] = {}
    for indicator, source in indicator_sources(edition).items():
        source = by_code.setdefault(source.code, source)
        source.indicator_codes = [*getattr(source, "indicator_codes", []), indicator]
    return sorted(by_code.values(), key=lambda s: (s.publisher, s.title, s.code))


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarise_ranking(ranking: list[RankingRow]) -> dict:
    """Headline figures of a ranking.

    Returns
    -------
    dict
        ``members`` (rows), ``ranked`` (rows with a rank), ``median`` (median score of the ranked rows,
        ``None`` if none), ``top`` (first three ranked rows), ``bottom`` (last three ranked rows, worst first;
        empty when there are no more than three), ``intervals`` (``True`` when any row has a rank interval).
    """
    ranked = [r for r in ranking if r.score is not None and r.rank is not None]
    return {
        "intervals": any(r.rank_low is not None for r in ranking),
        "members": len(ranking),
        "ranked": len(ranked),
        "median": _median([r.score for r in ranked]),
        "top": ranked[:3],
        "bottom": ranked[-3:][::-1] if len(ranked) > 3 else [],
    }


def report_context(edition: Edition, language: str) -> dict:
    """Return every value the status report shows, for one edition and language.

    Parameters
    ----------
    edition : Edition
    language : str
        ``"en"``, ``"fr"`` or ``"ar"``.

    Returns
    -------
    dict
        Keys: ``edition``, ``language``, ``areas`` (list of AreaInfo), ``ranking`` (index ranking, list of
        RankingRow), ``area_rankings`` (list of ``(AreaInfo, list of RankingRow)``), ``profiles`` (list of
        MemberProfile), ``sources`` (list of Source), ``divide`` and ``tiers`` (from ``edition.analysis``,
        names resolved to ``language``: ``divide["note_text"]`` the note, ``tiers["names"]`` ``{code: name}`` and
        ``tiers["method_text"]`` the method), ``world_medians`` (``{area: value}``), ``summary`` (``members``,
        ``ranked``, ``median`` index score of ranked members, ``top`` three rows, ``bottom`` three rows),
        ``convergence`` (``edition.analysis["convergence"]`` as stored, ``{}`` when absent), ``sensitivity`` (rows
        of ``edition.analysis["sensitivity"]`` with a translated ``label``), ``uncertainty``
        (``edition.recipe["uncertainty"]``), ``excluded`` (framework indicators dropped by the coverage screening,
        dicts of :func:`framework_areas` with ``area_name``), ``recipe`` (the stage specs) and ``methodology``.
    """
    areas = framework_areas(edition, language)
    ranking = edition_ranking(edition, INDEX, language)
    analysis = edition.analysis or {}
    divide = dict(analysis.get("divide") or {})
    divide_indicators = []
    names = {r.iso3: r.name for r in ranking}
    for ind in divide.get("indicators", []):
        ind = dict(ind)
        ind["label"] = _pick(ind.get("name"), language, ind.get("code", ""))
        ind["unit"] = unit_text(ind.get("unit"))
        ind["members"] = [dict(m, name=names.get(m.get("iso3"), m.get("iso3"))) for m in ind.get("members", [])]
        divide_indicators.append(ind)
    divide["indicators"] = divide_indicators
    note = divide.get("note_text") or divide.get("note")
    divide["note_text"] = _pick(note, language) if isinstance(note, dict) else (note or "")
    tiers = dict(analysis.get("tiers") or {})
    method = tiers.get("method_text") or tiers.get("method")
    tiers["method_text"] = _pick(method, language) if isinstance(method, dict) else (method or "")
    tiers["names"] = tier_names(edition, language)
    sensitivity = [dict(row, label=gettext(SENSITIVITY_INPUTS.get(row.get("input"), row.get("input", ""))))
                   for row in analysis.get("sensitivity") or [] if isinstance(row, dict)]
    excluded = [dict(i, area_name=a.name) for a in areas for i in a.indicators if i["excluded"]]
    return {
        "edition": edition,
        "language": language,
        "areas": areas,
        "ranking": ranking,
        "area_rankings": [(a, edition_ranking(edition, a.code, language)) for a in areas],
        "profiles": member_profiles(edition, language),
        "sources": edition_sources(edition),
        "divide": divide,
        "tiers": tiers,
        "convergence": analysis.get("convergence") or {},
        "sensitivity": sensitivity,
        "uncertainty": (edition.recipe or {}).get("uncertainty") or {},
        "excluded": excluded,
        "world_medians": analysis.get("world_medians") or {},
        "summary": summarise_ranking(ranking),
        "recipe": edition.recipe or {},
        "methodology": edition.methodology or {},
    }
