"""Views of the read-only API v1: thin wrappers over :mod:`dtforum.api.selectors` and the models.

Every view validates its query string with a serializer from :mod:`dtforum.api.serializers` (unknown or
malformed parameters answer 400 naming the parameter), resolves path codes through the selectors (unknown
codes answer 404 saying what exists), and activates the language of ``?lang=`` (else ``Accept-Language``, as
Django's ``LocaleMiddleware`` chose) for the ``name`` fields.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import generics, serializers
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from dtforum.api import selectors
from dtforum.api import serializers as s
from dtforum.members.models import Economy
from dtforum.observatory import opendata
from dtforum.observatory.models import Indicator, Observation, Score, Source

LANG = OpenApiParameter("lang", str, enum=[code for code, _ in settings.LANGUAGES],
                        description="language of the name fields (default: Accept-Language, else en)")


class ApiMixin:
    """Query-string validation and language selection shared by every API view.

    Attributes
    ----------
    query_class : type of Serializer or None
        Serializer of the accepted query parameters; its validated data is ``self.query``.
    language : str
        ``en``, ``fr`` or ``ar`` after :meth:`initial`.
    """

    query_class: type[serializers.Serializer] | None = None

    def initial(self, request, *args, **kwargs):
        """Run DRF's checks (permission, throttle), then validate the query string and pick the language.

        Raises
        ------
        rest_framework.exceptions.ValidationError
            For a parameter the view does not know, a bad ``lang`` or a value the serializer refuses.
        """
        params = request.query_params
        languages = [code for code, _name in settings.LANGUAGES]
        lang = params.get("lang")
        # the language first, so that every message below (DRF's throttle and permission ones too) is in it
        if lang in languages:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        super().initial(request, *args, **kwargs)
        allowed = {"lang"} | set(self.query_class().fields if self.query_class else ())
        if getattr(self, "pagination_class", None) and hasattr(self, "get_queryset"):
            allowed |= {"limit", "offset"}
        unknown = sorted(set(params) - allowed)
        if unknown:
            message = _("unknown query parameter; accepted here: %(accepted)s") % {"accepted": ", ".join(sorted(allowed))}
            raise ValidationError({name: [message] for name in unknown})
        if lang is not None and lang not in languages:
            raise ValidationError({"lang": [_("expected one of %(choices)s, got %(value)s")
                                            % {"choices": ", ".join(languages), "value": repr(lang)}]})
        self.language = (translation.get_language() or "en")[:2]
        if self.language not in languages:
            self.language = "en"
        self.query = {}
        if self.query_class is not None:
            ser = self.query_class(data=params)
            ser.is_valid(raise_exception=True)
            self.query = ser.validated_data


# --- reference data -------------------------------------------------------------------------------------------

class ApiRoot(ApiMixin, APIView):
    """The endpoints of API v1."""

    @extend_schema(parameters=[LANG], responses=inline_serializer("ApiRoot", {"endpoints": serializers.DictField()}))
    def get(self, request):
        """Links to every list endpoint, the schema and the documentation."""
        names = ["economies", "sources", "indicators", "observations", "editions"]
        links = {n: reverse(f"api:{n}", request=request) for n in names}
        links["schema"] = reverse("api-schema", request=request)
        links["docs"] = reverse("api-docs", request=request)
        return Response({"endpoints": links})


@extend_schema(parameters=[s.EconomyQuery, LANG])
class EconomyList(ApiMixin, generics.ListAPIView):
    """Economies: the 57 OIC member states, comparison economies and aggregates, filterable by kind and group."""

    serializer_class = s.EconomySerializer
    query_class = s.EconomyQuery

    def get_queryset(self):
        return Economy.objects.filter(**self.query).order_by("iso3")


@extend_schema(parameters=[LANG])
class EconomyDetail(ApiMixin, generics.RetrieveAPIView):
    """One economy by ISO3 code (case-insensitive)."""

    serializer_class = s.EconomySerializer
    queryset = Economy.objects.none()

    def get_object(self):
        return selectors.get_economy(self.kwargs["iso3"])


class SourceList(ApiMixin, generics.ListAPIView):
    """Sources: publishers' data files with vintage and licence."""

    serializer_class = s.SourceSerializer
    queryset = Source.objects.order_by("code")


@extend_schema(parameters=[s.IndicatorQuery, LANG])
class IndicatorList(ApiMixin, generics.ListAPIView):
    """Indicators with unit, source and licence."""

    serializer_class = s.IndicatorSerializer
    query_class = s.IndicatorQuery

    def get_queryset(self):
        qs = Indicator.objects.select_related("source").order_by("code")
        if self.query.get("source"):
            qs = qs.filter(source__code__in=self.query["source"])
        return qs


@extend_schema(parameters=[LANG])
class IndicatorDetail(ApiMixin, generics.RetrieveAPIView):
    """One indicator by code (e.g. ``IT.NET.USER.ZS``)."""

    serializer_class = s.IndicatorSerializer
    queryset = Indicator.objects.none()

    def get_object(self):
        return selectors.get_indicator(self.kwargs["code"])


@extend_schema(parameters=[s.ObservationQuery])
class ObservationList(ApiMixin, generics.ListAPIView):
    """Observations as published, filtered by indicator, country, year or year range, and source.

    Ordered by indicator, ISO3, year and source, so that pages are stable.
    """

    serializer_class = s.ObservationSerializer
    query_class = s.ObservationQuery

    def get_queryset(self):
        q = self.query
        qs = Observation.objects.select_related("economy", "indicator", "source")
        if q.get("indicator"):
            qs = qs.filter(indicator__code__in=q["indicator"])
        if q.get("country"):
            qs = qs.filter(economy__iso3__in=q["country"])
        if q.get("source"):
            qs = qs.filter(source__code__in=q["source"])
        if "year" in q:
            qs = qs.filter(year=q["year"])
        if "year_from" in q:
            qs = qs.filter(year__gte=q["year_from"])
        if "year_to" in q:
            qs = qs.filter(year__lte=q["year_to"])
        return qs.order_by("indicator__code", "economy__iso3", "year", "source__code")


# --- editions -------------------------------------------------------------------------------------------------

def edition_body(edition, language: str, request) -> dict:
    """The body of an edition: reference year, framework in ``language``, tiers, world medians, links."""
    areas = [{
        "code": a["code"], "name": selectors.pick(a.get("name"), language, a["code"]),
        "weight": a.get("weight", 1),
        "indicators": [{"code": i["code"], "name": selectors.pick(i.get("name"), language, i["code"]),
                        "direction": i["direction"], "weight": i.get("weight", 1), "unit": i.get("unit", ""),
                        "source": i.get("source", "")} for i in a.get("indicators", [])],
    } for a in edition.methodology.get("areas", [])]
    links = {n: reverse(f"api:edition-{n}", kwargs={"code": edition.code}, request=request)
             for n in ("scores", "indicators", "uncertainty")}
    links["datapackage"] = reverse("api:download-datapackage", kwargs={"code": edition.code}, request=request)
    return {"code": edition.code, "reference_year": edition.reference_year, "computed_at": edition.computed_at,
            "areas": areas, "tiers": edition.analysis.get("tiers"),
            "world_medians": edition.analysis.get("world_medians"),
            "has_uncertainty": selectors.has_uncertainty(edition), "links": links}


@extend_schema(parameters=[LANG], responses=s.EditionSerializer(many=True))
class EditionList(ApiMixin, generics.GenericAPIView):
    """Computed editions of the Digital Transformation Index, newest first."""

    pagination_class = None

    def get(self, request):
        return Response([edition_body(e, self.language, request) for e in selectors.computed_editions()])


@extend_schema(parameters=[LANG], responses=s.EditionSerializer)
class EditionDetail(ApiMixin, APIView):
    """One edition with its framework (areas, indicators, weights, directions)."""

    def get(self, request, code):
        return Response(edition_body(selectors.get_edition(code), self.language, request))


def _check_areas(edition, areas: list[str] | None) -> None:
    known = opendata.area_codes(edition)
    unknown = [a for a in areas or [] if a not in known]
    if unknown:
        raise ValidationError({"area": [_("unknown area(s) %(areas)s in edition %(edition)s; expected: %(known)s")
                                        % {"areas": ", ".join(unknown), "edition": edition.code,
                                           "known": ", ".join(known)}]})


@extend_schema(parameters=[s.ScoreQuery, LANG])
class EditionScores(ApiMixin, generics.ListAPIView):
    """Scores of an edition: per member and area (and ``index``), with rank, tier and gaps.

    Ordered by area in framework order (the index last), then rank (unranked last), then ISO3.
    """

    serializer_class = s.ScoreSerializer
    query_class = s.ScoreQuery

    def get_queryset(self):
        edition = selectors.get_edition(self.kwargs["code"])
        _check_areas(edition, self.query.get("area"))
        qs = Score.objects.filter(edition=edition).select_related("economy")
        if self.query.get("area"):
            qs = qs.filter(area__in=self.query["area"])
        if self.query.get("country"):
            qs = qs.filter(economy__iso3__in=self.query["country"])
        order = {code: n for n, code in enumerate(opendata.area_codes(edition))}
        return sorted(qs, key=lambda r: (order.get(r.area, 99), r.rank is None, r.rank or 0, r.economy.iso3))


@extend_schema(parameters=[s.ResultQuery])
class EditionIndicators(ApiMixin, generics.ListAPIView):
    """Indicator values of an edition per member: raw value, year used, flag, normalised value."""

    serializer_class = s.IndicatorResultSerializer
    query_class = s.ResultQuery

    def get_queryset(self):
        edition = selectors.get_edition(self.kwargs["code"])
        _check_areas(edition, self.query.get("area"))
        rows = opendata.indicator_results_table(edition).rows
        q = self.query
        framework = {r["indicator"] for r in opendata.framework_table(edition).rows}
        unknown = [c for c in q.get("indicator") or [] if c not in framework]
        if unknown:
            raise ValidationError({"indicator": [_("not in the framework of edition %(edition)s: %(codes)s")
                                                 % {"edition": edition.code, "codes": ", ".join(unknown)}]})
        for key, column in (("area", "area"), ("country", "iso3"), ("indicator", "indicator")):
            if q.get(key):
                rows = [r for r in rows if r[column] in q[key]]
        return rows


def no_uncertainty(edition) -> str:
    """The 404 message of the uncertainty views, in the active language."""
    return _("edition %(edition)s has no uncertainty analysis stored yet") % {"edition": edition.code}


@extend_schema(parameters=[s.ScoreQuery, LANG], responses={
    200: s.UncertaintySerializer,
    404: OpenApiResponse(description="no such edition, or no uncertainty analysis stored for it yet")})
class EditionUncertainty(ApiMixin, APIView):
    """Uncertainty analysis of an edition: per member and area the published rank, median rank and 5-95 % rank
    interval over the Monte Carlo replications, the method as run and the Sobol sensitivity indices.

    Read from where :func:`dtforum.observatory.robustness.analyse_robustness` stores them: the Score rows, the
    edition's ``recipe["uncertainty"]`` and ``analysis["sensitivity"]``.
    """

    query_class = s.ScoreQuery

    def get(self, request, code):
        edition = selectors.get_edition(code)
        _check_areas(edition, self.query.get("area"))
        if not selectors.has_uncertainty(edition):
            raise NotFound(no_uncertainty(edition))
        return Response({
            "edition": edition.code, "method": (edition.recipe or {}).get("uncertainty") or {},
            "sensitivity": edition.analysis.get("sensitivity") or [],
            "results": selectors.uncertainty_rows(edition, self.language, self.query.get("area"),
                                                  self.query.get("country"))})


@extend_schema(parameters=[s.EditionQuery, LANG], responses=s.ProfileSerializer)
class CountryProfile(ApiMixin, APIView):
    """Profile of a member state: scores by area with ranks and gaps, every indicator with year, source, flag."""

    query_class = s.EditionQuery

    def get(self, request, iso3):
        economy = selectors.get_member(iso3)
        edition = selectors.get_edition(self.query.get("edition"))
        return Response(selectors.country_profile(edition, economy, self.language))


@extend_schema(parameters=[s.WhatIfQuery, LANG], responses=s.WhatIfSerializer)
class EditionWhatIf(ApiMixin, APIView):
    """New index scores and ranks of the members with other area weights, and a 5-95 % rank interval.

    Uses :func:`dtforum.explorer.whatif.run_what_if` (a re-aggregation of the edition's run with
    :func:`compindex.whatif.what_if`; the interval is a Monte Carlo over ±25 % weight noise around the given
    weights). Weights are relative, from :data:`~dtforum.explorer.whatif.MIN_WEIGHT` (0.01) to
    :data:`~dtforum.explorer.whatif.MAX_WEIGHT` (100). Bad weights (``-1``, ``abc``, ``1e-320``, an unknown area)
    answer 400 in the request's language, naming the area by its name.
    """

    query_class = s.WhatIfQuery

    def get(self, request, code):
        from dtforum.explorer import whatif

        edition = selectors.get_edition(code)
        areas = [a["code"] for a in edition.methodology.get("areas", [])]
        try:
            weights = whatif.parse_weights(self.query.get("weights", ""), areas,
                                           selectors.area_names(edition, self.language))
            used, rows = whatif.run_what_if(edition, weights, interval=self.query.get("interval", True))
        except whatif.WeightError as exc:
            raise ValidationError({"weights": [str(exc)]}) from None
        except whatif.WhatIfUnavailable as exc:
            unavailable = APIException(str(exc))
            unavailable.status_code = 503
            raise unavailable from exc
        return Response({
            "edition": edition.code, "weights": used,
            "interval": {"weight_noise": whatif.INTERVAL_NOISE, "replications": whatif.INTERVAL_REPLICATIONS,
                         "seed": whatif.INTERVAL_SEED, "quantiles": [0.05, 0.95]},
            "results": [vars(r) for r in rows]})


# --- open data ------------------------------------------------------------------------------------------------

class IgnoreAccept:
    """Content negotiation for file downloads: the file's type is fixed by the URL, errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class Download(ApiMixin, APIView):
    """Base of the download views: ``fmt`` from the URL, the file as an attachment."""

    content_negotiation_class = IgnoreAccept
    formats = tuple(opendata.FORMATS)

    def table(self, **kwargs) -> opendata.Table:  # pragma: no cover - abstract
        raise NotImplementedError

    def get(self, request, fmt, **kwargs):
        if fmt not in self.formats:
            raise NotFound(_("no download in format %(format)s; formats: %(formats)s")
                           % {"format": repr(fmt), "formats": ", ".join(self.formats)})
        content, media_type, filename = opendata.render(self.table(**kwargs), fmt)
        return file_response(content, media_type, filename)


def file_response(content: bytes, media_type: str, filename: str):
    """An ``HttpResponse`` carrying ``content`` as an attachment named ``filename``."""
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


FMT = OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(opendata.FORMATS), description="file format")
_FILE = {(200, "text/csv"): OpenApiTypes.BINARY, (200, "application/json"): OpenApiTypes.OBJECT,
         (200, opendata.FORMATS["xlsx"]): OpenApiTypes.BINARY}


@extend_schema(parameters=[FMT], responses=_FILE)
class ScoresDownload(Download):
    """Scores of an edition as CSV, XLSX or JSON, with licence and attribution."""

    def table(self, code):
        table = opendata.scores_table(selectors.get_edition(code))
        table.name = f"scores_{code}"
        return table


@extend_schema(parameters=[FMT], responses=_FILE)
class EditionIndicatorsDownload(Download):
    """Indicator values of an edition as CSV, XLSX or JSON, with licence and attribution."""

    def table(self, code):
        table = opendata.indicator_results_table(selectors.get_edition(code))
        table.name = f"indicators_{code}"
        return table


@extend_schema(parameters=[FMT], responses=_FILE)
class UncertaintyDownload(Download):
    """Rank intervals of an edition (uncertainty analysis) as CSV, XLSX or JSON; 404 before the analysis."""

    def table(self, code):
        edition = selectors.get_edition(code)
        if not selectors.has_uncertainty(edition):
            raise NotFound(no_uncertainty(edition))
        table = selectors.uncertainty_table(edition)
        table.name = f"uncertainty_{code}"
        return table


@extend_schema(parameters=[FMT, s.ObservationDownloadQuery], responses=_FILE)
class ObservationsDownload(Download):
    """Observations of one indicator as CSV, XLSX or JSON, with the sources' licences; optional country and
    year filters (the explorer's downloads)."""

    query_class = s.ObservationDownloadQuery

    def table(self, code):
        indicator = selectors.get_indicator(code)
        table = opendata.observations_table(indicator, countries=self.query.get("country"),
                                            year_from=self.query.get("year_from"), year_to=self.query.get("year_to"))
        table.name = f"observations_{indicator.code}"
        return table


@extend_schema(parameters=[FMT, s.EditionQuery], responses=_FILE)
class ProfileDownload(Download):
    """A member's profile (scores, ranks, gaps, indicator values) as CSV, XLSX or JSON."""

    query_class = s.EditionQuery

    def table(self, iso3):
        economy = selectors.get_member(iso3)
        edition = selectors.get_edition(self.query.get("edition"))
        table = opendata.profile_table(edition, economy)
        table.name = f"profile_{economy.iso3}_{edition.code}"
        return table


def compare_codes(countries: str) -> list[str]:
    """The members of a comparison download, checked as on the compare page (2 to 5 OIC members).

    Parameters
    ----------
    countries : str
        ``?countries=`` as given, e.g. ``"JOR,egy"``.

    Returns
    -------
    list of str
        Upper-case ISO3 codes, order kept, duplicates dropped.

    Raises
    ------
    rest_framework.exceptions.ValidationError
        400 on ``countries`` with the page's message in the request's language: fewer than 2 or more than 5
        codes, an unknown code, a code that is not an OIC member.
    """
    from dtforum.explorer import selectors as explorer

    try:
        return explorer.compare_codes({"countries": countries})
    except explorer.QueryError as exc:
        raise ValidationError({"countries": [str(exc)]}) from None


class CompareDownload(Download):
    """Base of the comparison downloads: ``?countries=`` (2-5 members) and ``?edition=`` (default the newest)."""

    query_class = s.CompareQuery

    def build(self, edition, codes: list[str]) -> opendata.Table:  # pragma: no cover - abstract
        raise NotImplementedError

    def table(self):
        codes = compare_codes(self.query.get("countries", ""))
        edition = selectors.get_edition(self.query.get("edition"))
        table = self.build(edition, codes)
        table.name = f"{table.name}_{edition.code}_{'-'.join(codes)}"
        return table


@extend_schema(parameters=[FMT, s.CompareQuery], responses=_FILE)
class CompareScoresDownload(CompareDownload):
    """Scores and ranks of 2-5 members side by side (the compare page's table) as CSV, XLSX or JSON."""

    build = staticmethod(selectors.compare_scores_table)


@extend_schema(parameters=[FMT, s.CompareQuery], responses=_FILE)
class CompareIndicatorsDownload(CompareDownload):
    """Indicator values of 2-5 members side by side (the compare page's table) as CSV, XLSX or JSON."""

    build = staticmethod(selectors.compare_indicators_table)


@extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
class DataPackageDownload(ApiMixin, APIView):
    """An edition whole as a Frictionless data package (zip of ``datapackage.json`` and CSV resources; the rank
    intervals as resource ``uncertainty`` once the uncertainty analysis is stored)."""

    content_negotiation_class = IgnoreAccept

    def get(self, request, code):
        edition = selectors.get_edition(code)
        return file_response(selectors.datapackage_zip(edition), "application/zip",
                             f"dtforum-dti-{edition.code}-datapackage.zip")


class DocsView(SpectacularSwaggerView):
    """Swagger UI over ``/api/schema/``, its scripts and styles from drf-spectacular-sidecar's static files.

    drf-spectacular renders every response of this view through the Swagger template, which fails on the
    metadata body of an ``OPTIONS`` request (no ``template_name_js``): answer ``OPTIONS`` with the allowed
    methods instead.
    """

    def options(self, request, *args, **kwargs):
        """``200`` with ``Allow: GET, HEAD, OPTIONS`` and no body."""
        return HttpResponse(status=200, headers={"Allow": "GET, HEAD, OPTIONS"})
