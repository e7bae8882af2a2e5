"""Open data: every published table of the observatory as CSV, XLSX and JSON, and each edition whole as a
Frictionless data package, with licence and attribution carried into every file.

A :class:`Table` is rows plus a Frictionless *Table Schema* (field names, types, descriptions, primary and
foreign keys) plus the sources behind its values. Writers turn a table into bytes:

* CSV — ``#`` comment lines first (title, licence, attribution), then the header and rows (UTF-8). Read it with
  ``pandas.read_csv(path, comment="#")`` or any reader that accepts a comment character;
* XLSX — a ``data`` sheet and an ``about`` sheet (licence, attribution, sources, field descriptions);
* JSON — ``{"licence": ..., "attribution": ..., "sources": [...], "schema": {...}, "data": [...]}``;
* data package — a zip of ``datapackage.json`` (Frictionless Data Package v1, profile
  ``tabular-data-package``) and plain CSV resources under ``data/`` (licence and sources live in the
  descriptor, so the CSVs there carry no comment lines).

Standards: Frictionless Data Package, Tabular Data Resource and Table Schema specifications v1
(https://specs.frictionlessdata.io/); licence identifiers from the SPDX licence list.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from dtforum.members.models import Economy
from dtforum.observatory.models import Edition, Indicator, IndicatorResult, Observation, Score, Source

#: Licence of the results the platform computes (scores, ranks, gaps, normalised values). Values copied from
#: a source (raw values, observations) stay under that source's own terms, listed beside it in every file.
RESULTS_LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                   "path": "https://creativecommons.org/licenses/by/4.0/"}
PUBLISHER = "COMCEC Digital Transformation Forum observatory (dtforum)"
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json"}
INDEX_AREA = "index"
_FLAG_DESCRIPTION = ("observed: the source's value; imputed: filled by the edition's imputation method (no "
                     "observed value in the window); estimated: the publisher marks the value as an estimate; "
                     "missing: no value")


@dataclass
class Field:
    """One column of a table, as a Frictionless Table Schema field descriptor.

    Parameters
    ----------
    name : str
        Column name.
    type : str
        Table Schema type: ``string``, ``number``, ``integer`` or ``boolean`` here.
    description : str
        What the column holds, with its unit.
    constraints : dict, optional
        Table Schema constraints (``required``, ``minimum``, ``enum``...).
    """

    name: str
    type: str
    description: str
    constraints: dict | None = None

    def descriptor(self) -> dict:
        """The field descriptor of the Table Schema specification."""
        out = {"name": self.name, "type": self.type, "description": self.description}
        if self.constraints:
            out["constraints"] = self.constraints
        return out


@dataclass
class Table:
    """A published table: rows, their Table Schema and the sources behind the values.

    Parameters
    ----------
    name : str
        Resource name (lower case, ``[a-z0-9_-]``), also the file stem of downloads.
    title, description : str
        Human-readable title and description.
    fields : list of Field
        Columns in order.
    rows : list of dict
        One dict per row keyed by field name; ``None`` is a missing value.
    primary_key : list of str
        Columns whose values identify a row.
    foreign_keys : list of dict
        Table Schema foreign keys (only meaningful inside a data package).
    sources : list of Source
        Sources of the values in the table (for licences and attribution).
    """

    name: str
    title: str
    description: str
    fields: list[Field]
    rows: list[dict]
    primary_key: list[str]
    foreign_keys: list[dict] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def schema(self) -> dict:
        """The Table Schema descriptor (fields, ``primaryKey``, ``foreignKeys``, ``missingValues``)."""
        out = {"fields": [f.descriptor() for f in self.fields], "primaryKey": self.primary_key,
               "missingValues": [""]}
        if self.foreign_keys:
            out["foreignKeys"] = self.foreign_keys
        return out


# --- licences and attribution ---------------------------------------------------------------------------------

def source_descriptor(source: Source) -> dict:
    """A Frictionless ``sources`` entry for ``source``: ``title``, ``path`` (URL) and our extra fields."""
    return {"title": f"{source.publisher}, {source.title}" + (f" ({source.vintage})" if source.vintage else ""),
            "path": source.url or "", "code": source.code, "licence": source.licence or "not stated"}


def attribution(sources: list[Source]) -> str:
    """The attribution line to reproduce with the data.

    Parameters
    ----------
    sources : list of Source
        Sources of the values.

    Returns
    -------
    str
        ``"Source: <publisher>, <title> (<licence>); ... Computation: <publisher of the platform>."``,
        following the attribution wording of docs/methodology.md ("Sources, licences and attribution").
    """
    parts = [f"{s.publisher}, {s.title}" + (f" ({s.licence})" if s.licence else "") for s in _unique(sources)]
    head = ("Source: " + "; ".join(parts) + ". ") if parts else ""
    return f"{head}Computation: {PUBLISHER}, results licensed {RESULTS_LICENCE['name']}; values from a source " \
           f"remain under that source's terms."


def _unique(sources: list[Source]) -> list[Source]:
    seen, out = set(), []
    for s in sources:
        if s is not None and s.code not in seen:
            seen.add(s.code)
            out.append(s)
    return sorted(out, key=lambda s: s.code)


def edition_sources(edition: Edition) -> list[Source]:
    """Sources of the framework indicators of ``edition`` (the indicators' own and those named in the file)."""
    codes = [i["code"] for a in edition.methodology.get("areas", []) for i in a.get("indicators", [])]
    named = [i.get("source") for a in edition.methodology.get("areas", []) for i in a.get("indicators", [])]
    qs = Source.objects.filter(code__in=[c for c in named if c]) | Source.objects.filter(indicators__code__in=codes)
    return _unique(list(qs.distinct()))


# --- tables ---------------------------------------------------------------------------------------------------

def _names(d) -> tuple[str, str, str]:
    d = d if isinstance(d, dict) else {"en": d or ""}
    return d.get("en", ""), d.get("fr", "") or d.get("en", ""), d.get("ar", "") or d.get("en", "")


_NAME_FIELDS = [Field("name_en", "string", "name in English"), Field("name_fr", "string", "name in French"),
                Field("name_ar", "string", "name in Arabic")]
_GAPS = [("gap_oic_median", "to the median of the OIC members"), ("gap_oic_best", "to the best OIC member"),
         ("gap_income_median", "to the median of the members of the same World Bank income group"),
         ("gap_group_median", "to the median of the members of the same OIC geographic group"),
         ("gap_world_median", "to the world median (all economies scored on the members' scale)")]


def area_codes(edition: Edition) -> list[str]:
    """Thematic-area codes of ``edition`` in framework order, then ``index``."""
    return [a["code"] for a in edition.methodology.get("areas", [])] + [INDEX_AREA]


def economies_table(edition: Edition) -> Table:
    """The economies scored in ``edition`` (the OIC member states) with names and groups."""
    qs = Economy.objects.filter(score__edition=edition).distinct().order_by("iso3")
    rows = [{"iso3": e.iso3, "name_en": e.name_en, "name_fr": e.name_fr, "name_ar": e.name_ar, "kind": e.kind,
             "oic_group": e.oic_group or None, "income_group": e.income_group or None} for e in qs]
    return Table("economies", "Member states", "OIC member states scored in the edition.", [
        Field("iso3", "string", "ISO 3166-1 alpha-3 code (World Bank code where ISO has none)",
              {"required": True, "unique": True}),
        *_NAME_FIELDS,
        Field("kind", "string", "member (OIC member state), comparison economy or aggregate",
              {"enum": [k.value for k in Economy.Kind]}),
        Field("oic_group", "string", "OIC geographic group"),
        Field("income_group", "string", "World Bank income group"),
    ], rows, ["iso3"])


def areas_table(edition: Edition) -> Table:
    """The thematic areas (pillars) of ``edition`` with their weights, plus the index itself."""
    rows = []
    for a in edition.methodology.get("areas", []):
        en, fr, ar = _names(a.get("name"))
        rows.append({"area": a["code"], "name_en": en, "name_fr": fr, "name_ar": ar,
                     "weight": float(a.get("weight", 1))})
    rows.append({"area": INDEX_AREA, "name_en": "Digital Transformation Index",
                 "name_fr": "Indice de transformation numérique", "name_ar": "مؤشر التحول الرقمي", "weight": None})
    return Table("areas", "Thematic areas", "Thematic areas (pillars) of the framework and the index.", [
        Field("area", "string", "area code (index for the Digital Transformation Index)", {"required": True}),
        *_NAME_FIELDS,
        Field("weight", "number", "weight of the area in the index (empty for the index)"),
    ], rows, ["area"])


def framework_table(edition: Edition) -> Table:
    """The framework indicators of ``edition``: area, names, direction, weight, unit, window, source."""
    rows = []
    for a in edition.methodology.get("areas", []):
        for i in a.get("indicators", []):
            en, fr, ar = _names(i.get("name"))
            rows.append({"indicator": i["code"], "area": a["code"], "name_en": en, "name_fr": fr, "name_ar": ar,
                         "direction": int(i["direction"]), "weight": float(i.get("weight", 1)),
                         "unit": i.get("unit", ""), "window": i.get("window", edition.methodology.get("window")),
                         "source": i.get("source") or None})
    known = {s.code for s in edition_sources(edition)}
    for row in rows:   # a foreign key must point at a row of the sources resource
        if row["source"] not in known:
            row["source"] = None
    return Table("indicators", "Framework indicators", "Indicators of the edition's framework.", [
        Field("indicator", "string", "indicator code (World Bank/ITU/UN code where one exists)", {"required": True}),
        Field("area", "string", "thematic area"), *_NAME_FIELDS,
        Field("direction", "integer", "+1 higher is better, -1 lower is better", {"enum": [-1, 1]}),
        Field("weight", "number", "weight within the area"),
        Field("unit", "string", "unit of the raw value"),
        Field("window", "integer", "data selection window in years before the reference year"),
        Field("source", "string", "source code (see the sources resource)"),
    ], rows, ["indicator"], [
        {"fields": "area", "reference": {"resource": "areas", "fields": "area"}},
        {"fields": "source", "reference": {"resource": "sources", "fields": "source"}},
    ], edition_sources(edition))


def sources_table(sources: list[Source]) -> Table:
    """The sources of a table or edition with publisher, title, vintage, licence and address."""
    rows = [{"source": s.code, "publisher": s.publisher, "title": s.title, "vintage": s.vintage or None,
             "licence": s.licence or None, "url": s.url or None} for s in _unique(sources)]
    return Table("sources", "Sources", "Publishers' data files the values come from, with their licences.", [
        Field("source", "string", "source code", {"required": True}),
        Field("publisher", "string", "publisher"), Field("title", "string", "title of the data set"),
        Field("vintage", "string", "vintage (release) of the file read"),
        Field("licence", "string", "licence or terms of use of the publisher"),
        Field("url", "string", "address of the publisher's data"),
    ], rows, ["source"], sources=list(sources))


def scores_table(edition: Edition) -> Table:
    """Scores of ``edition``: one row per member and area (and ``index``) with rank, tier and gaps.

    Rows are in framework order of areas, then rank (unranked members last), then ISO3.
    """
    order = {code: n for n, code in enumerate(area_codes(edition))}
    qs = Score.objects.filter(edition=edition).select_related("economy")
    rows = [{"iso3": s.economy.iso3, "name_en": s.economy.name_en, "name_fr": s.economy.name_fr,
             "name_ar": s.economy.name_ar, "area": s.area, "score": s.score, "rank": s.rank, "tier": s.tier or None,
             **{g: getattr(s, g) for g, _ in _GAPS}} for s in qs]
    rows.sort(key=lambda r: (order.get(r["area"], len(order)), r["rank"] is None, r["rank"] or 0, r["iso3"]))
    return Table("scores", f"Scores, edition {edition.code}",
                 f"Digital Transformation Index {edition.code}: scores (0-100), competition ranks (1, 1, 3) among "
                 "the OIC members, development tiers and gaps, by thematic area and for the index.", [
                     Field("iso3", "string", "member state", {"required": True}), *_NAME_FIELDS,
                     Field("area", "string", "thematic area, or index", {"required": True}),
                     Field("score", "number", "score on 0-100 (empty: not scored, too few data)"),
                     Field("rank", "integer", "competition rank among the members (empty: unranked)",
                           {"minimum": 1}),
                     Field("tier", "string", "development tier (index rows only)"),
                     *[Field(g, "number", f"score minus the reference, points: gap {text}") for g, text in _GAPS],
                 ], rows, ["iso3", "area"], [
                     {"fields": "iso3", "reference": {"resource": "economies", "fields": "iso3"}},
                     {"fields": "area", "reference": {"resource": "areas", "fields": "area"}},
                 ], edition_sources(edition))


def estimated_keys(results) -> set[tuple[int, int, int]]:
    """``(economy_id, indicator_id, year)`` of selected values the publisher flags as an estimate."""
    keys = {(r.economy_id, r.indicator_id, r.source_year) for r in results if r.source_year is not None}
    if not keys:
        return set()
    qs = Observation.objects.filter(economy_id__in={k[0] for k in keys}, indicator_id__in={k[1] for k in keys},
                                    flags__icontains="estimat").values_list("economy_id", "indicator_id", "year")
    return set(qs) & keys


def value_flag(result: IndicatorResult, estimated: set) -> str:
    """``observed``, ``imputed``, ``estimated`` or ``missing`` for one indicator result (see the field text)."""
    if result.imputed:
        return "imputed"
    if result.raw_value is None:
        return "missing"
    if (result.economy_id, result.indicator_id, result.source_year) in estimated:
        return "estimated"
    return "observed"


def indicator_results_table(edition: Edition, economy: Economy | None = None) -> Table:
    """Values of the framework indicators in ``edition`` for every member (or one), through the stages."""
    qs = IndicatorResult.objects.filter(edition=edition).select_related("economy", "indicator")
    if economy is not None:
        qs = qs.filter(economy=economy)
    results = list(qs.order_by("economy__iso3", "area", "indicator__code"))
    estimated = estimated_keys(results)
    rows = [{"iso3": r.economy.iso3, "indicator": r.indicator.code, "area": r.area, "raw_value": r.raw_value,
             "source_year": r.source_year, "flag": value_flag(r, estimated), "imputed": r.imputed,
             "treated": r.treated, "normalised_value": r.normalised_value} for r in results]
    return Table("indicator_results", f"Indicator values, edition {edition.code}",
                 f"Values of the framework indicators selected for edition {edition.code}, with the year "
                 "used, imputation and treatment flags and the normalised value.", [
                     Field("iso3", "string", "member state", {"required": True}),
                     Field("indicator", "string", "indicator code", {"required": True}),
                     Field("area", "string", "thematic area"),
                     Field("raw_value", "number", "value selected from the source, in the indicator's unit "
                                                  "(after denomination; empty when imputed or missing)"),
                     Field("source_year", "integer", "year of the value selected"),
                     Field("flag", "string", _FLAG_DESCRIPTION,
                           {"enum": ["observed", "imputed", "estimated", "missing"]}),
                     Field("imputed", "boolean", "value filled by imputation"),
                     Field("treated", "boolean", "outlier treatment applied to the indicator"),
                     Field("normalised_value", "number", "normalised value on 0-100 (100 best)"),
                 ], rows, ["iso3", "indicator"], [
                     {"fields": "iso3", "reference": {"resource": "economies", "fields": "iso3"}},
                     {"fields": "indicator", "reference": {"resource": "indicators", "fields": "indicator"}},
                 ], edition_sources(edition))


def observations_table(indicator: Indicator, countries: list[str] | None = None, year_from: int | None = None,
                       year_to: int | None = None) -> Table:
    """Stored observations of ``indicator`` (all sources), as published; all economies and years by default.

    Parameters
    ----------
    indicator : Indicator
    countries : list of str, optional
        ISO3 codes to keep.
    year_from, year_to : int, optional
        Inclusive year range to keep.
    """
    qs = (Observation.objects.filter(indicator=indicator).select_related("economy", "source")
          .order_by("economy__iso3", "year", "source__code"))
    if countries:
        qs = qs.filter(economy__iso3__in=countries)
    if year_from is not None:
        qs = qs.filter(year__gte=year_from)
    if year_to is not None:
        qs = qs.filter(year__lte=year_to)
    rows, sources = [], {}
    for o in qs:
        sources[o.source.code] = o.source
        rows.append({"iso3": o.economy.iso3, "name_en": o.economy.name_en, "kind": o.economy.kind,
                     "year": o.year, "value": o.value, "source": o.source.code, "vintage": o.vintage or None,
                     "flags": o.flags or None})
    if indicator.source is not None:
        sources.setdefault(indicator.source.code, indicator.source)
    unit = f" ({indicator.unit})" if indicator.unit else ""
    return Table("observations", f"{indicator.name_en or indicator.code}: observations",
                 f"Observations of {indicator.code}{unit} as published by the source, all economies and years.", [
                     Field("iso3", "string", "economy code (ISO3, World Bank or publisher code for aggregates)",
                           {"required": True}),
                     Field("name_en", "string", "name in English"),
                     Field("kind", "string", "member, comparison economy or aggregate"),
                     Field("year", "integer", "year of the observation", {"required": True}),
                     Field("value", "number", f"value{unit}", {"required": True}),
                     Field("source", "string", "source code", {"required": True}),
                     Field("vintage", "string", "vintage of the source file"),
                     Field("flags", "string", "publisher's markers, verbatim"),
                 ], rows, ["iso3", "year", "source"], sources=list(sources.values()))


def profile_table(edition: Edition, economy: Economy) -> Table:
    """A member's profile in ``edition`` as one long table: the index, area and indicator rows.

    Score rows (``level`` ``index`` or ``area``) fill ``score``, ``rank`` and the gaps; indicator rows fill
    ``value``, ``unit``, ``year``, ``flag``, ``normalised_value`` and ``source``.
    """
    areas = {r["area"]: r for r in areas_table(edition).rows}
    framework = {r["indicator"]: r for r in framework_table(edition).rows}
    order = {code: n for n, code in enumerate(area_codes(edition))}
    rows = []
    for s in sorted(Score.objects.filter(edition=edition, economy=economy), key=lambda s: order.get(s.area, 99)):
        a = areas.get(s.area, {})
        rows.append({"level": "index" if s.area == INDEX_AREA else "area", "area": s.area, "code": s.area,
                     "name_en": a.get("name_en", s.area), "name_fr": a.get("name_fr", s.area),
                     "name_ar": a.get("name_ar", s.area), "score": s.score, "rank": s.rank,
                     **{g: getattr(s, g) for g, _ in _GAPS},
                     "value": None, "unit": None, "year": None, "flag": None, "normalised_value": None,
                     "source": None})
    for r in indicator_results_table(edition, economy).rows:
        f = framework.get(r["indicator"], {})
        rows.append({"level": "indicator", "area": r["area"], "code": r["indicator"],
                     "name_en": f.get("name_en", r["indicator"]), "name_fr": f.get("name_fr", r["indicator"]),
                     "name_ar": f.get("name_ar", r["indicator"]), "score": None, "rank": None,
                     **{g: None for g, _ in _GAPS}, "value": r["raw_value"], "unit": f.get("unit") or None,
                     "year": r["source_year"], "flag": r["flag"], "normalised_value": r["normalised_value"],
                     "source": f.get("source")})
    return Table(f"profile_{economy.iso3.lower()}", f"{economy.name_en}: profile, edition {edition.code}",
                 f"Scores by thematic area with ranks and gaps, and every indicator with value, year, source and "
                 f"flag, for {economy.name_en} ({economy.iso3}) in edition {edition.code}.", [
                     Field("level", "string", "index, area or indicator", {"enum": ["index", "area", "indicator"]}),
                     Field("area", "string", "thematic area"),
                     Field("code", "string", "area or indicator code", {"required": True}),
                     *_NAME_FIELDS,
                     Field("score", "number", "score on 0-100 (index and area rows)"),
                     Field("rank", "integer", "competition rank among the members (index and area rows)"),
                     *[Field(g, "number", f"gap {text}, points") for g, text in _GAPS],
                     Field("value", "number", "indicator value in its unit (indicator rows)"),
                     Field("unit", "string", "unit of the value"),
                     Field("year", "integer", "year of the value"),
                     Field("flag", "string", _FLAG_DESCRIPTION),
                     Field("normalised_value", "number", "normalised value on 0-100"),
                     Field("source", "string", "source code"),
                 ], rows, ["level", "code"], sources=edition_sources(edition))


# --- writers --------------------------------------------------------------------------------------------------

def _cell(value) -> str:
    """A value as Table Schema's default lexical form (booleans ``true``/``false``, missing as empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def about_lines(table: Table) -> list[tuple[str, str]]:
    """``(label, text)`` pairs saying what the table is, its licence and how to attribute it."""
    return [("Title", table.title), ("Description", table.description),
            ("Licence", (f"{RESULTS_LICENCE['name']} ({RESULTS_LICENCE['path']}) for computed results; "
                        "values from a source under that source's terms (see Sources)")),
            ("Attribution", attribution(table.sources)),
            ("Sources", "; ".join(f"{s.code}: {s.publisher}, {s.title}, licence {s.licence or 'not stated'}"
                                  for s in _unique(table.sources))),
            ("Publisher", PUBLISHER), ("Generated", timezone.now().isoformat(timespec="seconds"))]


def to_csv(table: Table, comments: bool = True) -> bytes:
    """The table as UTF-8 CSV; with ``comments`` the about lines first, each starting with ``#``."""
    buf = io.StringIO()
    if comments:
        for label, text in about_lines(table):
            buf.write(f"# {label}: {text}".replace("\n", " ") + "\n")
    writer = csv.writer(buf, lineterminator="\n")
    names = [f.name for f in table.fields]
    writer.writerow(names)
    for row in table.rows:
        writer.writerow([_cell(row[n]) for n in names])
    return buf.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook: ``data`` sheet, and an ``about`` sheet with licence, sources, fields."""
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    names = [f.name for f in table.fields]
    ws.append(names)
    for row in table.rows:
        ws.append([row[n] for n in names])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    about = wb.create_sheet("about")
    for label, text in about_lines(table):
        about.append([label, text])
    about.append([])
    about.append(["source", "publisher", "title", "vintage", "licence", "url"])
    for s in _unique(table.sources):
        about.append([s.code, s.publisher, s.title, s.vintage, s.licence, s.url])
    about.append([])
    about.append(["field", "type", "description"])
    for f in table.fields:
        about.append([f.name, f.type, f.description])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_json(table: Table) -> bytes:
    """The table as JSON with ``licence``, ``attribution``, ``sources``, ``schema`` and ``data`` (list of rows)."""
    doc = {"name": table.name, "title": table.title, "description": table.description,
           "licence": RESULTS_LICENCE, "attribution": attribution(table.sources),
           "sources": [source_descriptor(s) for s in _unique(table.sources)],
           "publisher": PUBLISHER, "generated": timezone.now().isoformat(timespec="seconds"),
           "schema": table.schema(), "data": table.rows}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}


def render(table: Table, fmt: str) -> tuple[bytes, str, str]:
    """Write ``table`` in ``fmt``.

    Parameters
    ----------
    table : Table
    fmt : {"csv", "xlsx", "json"}

    Returns
    -------
    tuple of (bytes, str, str)
        Content, media type and file name (``<table.name>.<fmt>``).

    Raises
    ------
    ValueError
        For a format other than csv, xlsx or json.
    """
    if fmt not in WRITERS:
        raise ValueError(f"format must be one of {', '.join(WRITERS)}, got {fmt!r}")
    return WRITERS[fmt](table), FORMATS[fmt], f"{table.name}.{fmt}"


def edition_tables(edition: Edition) -> list[Table]:
    """The resources of an edition's data package, referenced tables first."""
    sources = edition_sources(edition)
    return [economies_table(edition), areas_table(edition), sources_table(sources), framework_table(edition),
            scores_table(edition), indicator_results_table(edition)]


def datapackage_descriptor(edition: Edition, tables: list[Table]) -> dict:
    """The ``datapackage.json`` descriptor of ``edition`` (Frictionless Data Package v1, tabular profile)."""
    sources = edition_sources(edition)
    computed = edition.computed_at or timezone.now()
    return {
        "profile": "tabular-data-package",
        "name": f"dtforum-dti-{edition.code}".lower(),
        "id": f"dtforum-dti-{edition.code}",
        "title": f"COMCEC Digital Transformation Index, edition {edition.code}",
        "description": f"Scores, ranks, gaps and indicator values of the Digital Transformation Index "
                       f"{edition.code} (reference year {edition.reference_year}) for the OIC member states, "
                       "computed with the OECD/JRC Handbook (2008) method.",
        "version": computed.strftime("%Y.%m.%d"),
        "created": computed.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [RESULTS_LICENCE],
        "sources": [source_descriptor(s) for s in sources],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "attribution": attribution(sources),
        "resources": [{
            "name": t.name, "path": f"data/{t.name}.csv", "profile": "tabular-data-resource",
            "title": t.title, "description": t.description, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "schema": t.schema(),
            "sources": [source_descriptor(s) for s in _unique(t.sources)],
        } for t in tables],
    }


def datapackage_zip(edition: Edition) -> bytes:
    """The edition whole as a zip: ``datapackage.json``, ``data/<resource>.csv`` and ``README.txt``.

    Returns
    -------
    bytes
        The zip archive (deflated).
    """
    tables = edition_tables(edition)
    descriptor = datapackage_descriptor(edition, tables)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=1))
        for t in tables:
            z.writestr(f"data/{t.name}.csv", to_csv(t, comments=False))
        z.writestr("README.txt", f"{descriptor['title']}\n\n{descriptor['description']}\n\nLicence: "
                                 f"{RESULTS_LICENCE['title']} ({RESULTS_LICENCE['path']}).\n"
                                 f"{descriptor['attribution']}\n")
    return out.getvalue()
