"""Serializers of the API: query parameters (validated, 400 on bad input) and response bodies."""
from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dtforum.members.models import Economy
from dtforum.observatory.models import Indicator, Observation, Source

#: World Bank income groups (World Bank country classification by income, FY2025 labels).
INCOME_GROUPS = ["Low income", "Lower middle income", "Upper middle income", "High income"]
#: First year accepted in year filters: World Development Indicators series start in 1960.
YEAR_MIN = 1960
_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,80}$")


def year_max() -> int:
    """Last year accepted in year filters: the current year (no statistic is published for a later one)."""
    return timezone.now().year


class Choice(serializers.ChoiceField):
    """A choice whose error message lists the accepted values."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, required=False, **kwargs)

    def to_internal_value(self, data):
        """The choice, or a validation error in the active language listing the accepted values."""
        if str(data) not in self.choice_strings_to_values:
            raise serializers.ValidationError(_("'%(input)s' is not accepted; expected one of: %(values)s")
                                              % {"input": data, "values": ", ".join(self.choice_strings_to_values)})
        return self.choice_strings_to_values[str(data)]


class CodeList(serializers.CharField):
    """A comma-separated list of codes (``EGY,TUR``), returned as a list without duplicates, order kept.

    Parameters
    ----------
    upper : bool
        Upper-case every code (ISO3 codes are matched case-insensitively).
    """

    def __init__(self, upper: bool = False, **kwargs):
        self.upper = upper
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        """Split, strip and check each code's characters.

        Raises
        ------
        rest_framework.exceptions.ValidationError
            On an empty list or a code with characters other than letters, digits, ``_``, ``.`` and ``-``.
        """
        text = super().to_internal_value(data)
        codes = [c.strip().upper() if self.upper else c.strip() for c in text.split(",") if c.strip()]
        if not codes:
            raise serializers.ValidationError(_("expected one code or several separated by commas"))
        bad = [c for c in codes if not _CODE.match(c)]
        if bad:
            raise serializers.ValidationError(_("malformed code(s): %(codes)s") % {"codes": ", ".join(bad)})
        return list(dict.fromkeys(codes))


class Year(serializers.IntegerField):
    """A year from :data:`YEAR_MIN` to the current year; the message names the range."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        """The year as ``int``; 400 for ``abc`` or a year outside the range."""
        try:
            value = int(str(data).strip())
        except ValueError:
            raise serializers.ValidationError(_("expected a year such as 2022, got %(value)s")
                                              % {"value": repr(data)}) from None
        if not YEAR_MIN <= value <= year_max():
            raise serializers.ValidationError(_("year %(value)s is out of range: expected %(low)s to %(high)s")
                                              % {"value": value, "low": YEAR_MIN, "high": year_max()})
        return value


def check_known(codes: list[str] | None, model, field: str, message: str) -> None:
    """Raise a validation error naming the ``codes`` absent from ``model.<field>``.

    Parameters
    ----------
    codes : list of str or None
    model : Django model class
    field : str
        The field holding the codes.
    message : str
        The message in the active language, with a ``%(codes)s`` placeholder.

    Raises
    ------
    rest_framework.serializers.ValidationError
        Naming the unknown codes.
    """
    if not codes:
        return
    known = set(model.objects.filter(**{f"{field}__in": codes}).values_list(field, flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise serializers.ValidationError(message % {"codes": ", ".join(unknown)})


class EconomyQuery(serializers.Serializer):
    """Filters of ``/api/v1/economies/``."""

    kind = Choice(Economy.Kind.choices, help_text="member, comparison or aggregate")
    oic_group = Choice(Economy.OicGroup.choices, help_text="OIC geographic group: arab, african or asian")
    income_group = Choice(INCOME_GROUPS, help_text="World Bank income group, e.g. 'Lower middle income'")


class IndicatorQuery(serializers.Serializer):
    """Filters of ``/api/v1/indicators/``."""

    source = CodeList(help_text="source code(s), comma-separated, e.g. un_egov.2024")

    def validate_source(self, value):
        check_known(value, Source, "code", _("unknown source code(s): %(codes)s"))
        return value


class ObservationQuery(serializers.Serializer):
    """Filters of ``/api/v1/observations/``."""

    indicator = CodeList(help_text="indicator code(s), comma-separated, e.g. IT.NET.USER.ZS")
    country = CodeList(upper=True, help_text="ISO3 code(s), comma-separated, e.g. EGY,TUR")
    year = Year(help_text="one year")
    year_from = Year(help_text="first year of a range (inclusive)")
    year_to = Year(help_text="last year of a range (inclusive)")
    source = CodeList(help_text="source code(s), comma-separated")

    def validate_indicator(self, value):
        check_known(value, Indicator, "code", _("unknown indicator code(s): %(codes)s"))
        return value

    def validate_country(self, value):
        check_known(value, Economy, "iso3", _("unknown ISO3 code(s): %(codes)s"))
        return value

    def validate_source(self, value):
        check_known(value, Source, "code", _("unknown source code(s): %(codes)s"))
        return value

    def validate(self, attrs):
        """Refuse ``year`` together with a range, and a range whose start is after its end."""
        if "year" in attrs and ("year_from" in attrs or "year_to" in attrs):
            raise serializers.ValidationError({"year": _("give either year or year_from/year_to, not both")})
        if attrs.get("year_from", YEAR_MIN) > attrs.get("year_to", year_max()):
            raise serializers.ValidationError({"year_from": _("year_from %(start)s is after year_to %(end)s")
                                               % {"start": attrs["year_from"], "end": attrs["year_to"]}})
        return attrs


class EditionQuery(serializers.Serializer):
    """``?edition=`` (default: the newest computed edition)."""

    edition = serializers.CharField(required=False, max_length=20, help_text="edition code, e.g. 2024")


class ScoreQuery(serializers.Serializer):
    """Filters of ``/api/v1/editions/<code>/scores/`` (areas are checked against the edition's framework)."""

    area = CodeList(help_text="area code(s) of the framework, or index")
    country = CodeList(upper=True, help_text="ISO3 code(s), comma-separated")

    def validate_country(self, value):
        check_known(value, Economy, "iso3", _("unknown ISO3 code(s): %(codes)s"))
        return value


class ResultQuery(ScoreQuery):
    """Filters of ``/api/v1/editions/<code>/indicators/``."""

    indicator = CodeList(help_text="indicator code(s), comma-separated")


class ObservationDownloadQuery(serializers.Serializer):
    """Filters of ``/api/v1/data/indicators/<code>/observations.<fmt>`` (the explorer's downloads)."""

    country = CodeList(upper=True, help_text="ISO3 code(s), comma-separated, e.g. EGY,TUR")
    year_from = Year(help_text="first year (inclusive)")
    year_to = Year(help_text="last year (inclusive)")

    def validate_country(self, value):
        check_known(value, Economy, "iso3", _("unknown ISO3 code(s): %(codes)s"))
        return value

    def validate(self, attrs):
        """Refuse a range whose start is after its end."""
        if attrs.get("year_from", YEAR_MIN) > attrs.get("year_to", year_max()):
            raise serializers.ValidationError({"year_from": _("year_from %(start)s is after year_to %(end)s")
                                               % {"start": attrs["year_from"], "end": attrs["year_to"]}})
        return attrs


class CompareQuery(EditionQuery):
    """``?countries=JOR,EGY&edition=`` of the comparison downloads: 2 to 5 OIC members, checked like the compare
    page (:func:`dtforum.explorer.selectors.compare_codes`)."""

    countries = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                      help_text="2 to 5 ISO3 codes of OIC member states, comma-separated, e.g. JOR,EGY")


class WhatIfQuery(serializers.Serializer):
    """``?weights=area:w,...`` and ``?interval=`` of ``/api/v1/editions/<code>/what-if/``."""

    weights = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                    help_text="area weights from 0.01 to 100 (relative), e.g. connectivity:2,skills:0.5; "
                                              "digits 0-9 or Arabic-Indic, decimal point '.' or '٫', no exponent; "
                                              "areas not named keep the framework's weight")
    interval = serializers.BooleanField(required=False, default=True,
                                        help_text="add the 5-95 % rank interval (weight noise ±25 %, 200 runs)")


class WhatIfRowSerializer(serializers.Serializer):
    """One member after a weight change."""

    iso3 = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text="index score with the new weights (0-100)")
    rank = serializers.IntegerField(allow_null=True)
    nominal_score = serializers.FloatField(allow_null=True, help_text="published index score")
    nominal_rank = serializers.IntegerField(allow_null=True)
    rank_change = serializers.IntegerField(allow_null=True, help_text="new minus published rank (negative = up)")
    rank_q05 = serializers.FloatField(allow_null=True)
    rank_q95 = serializers.FloatField(allow_null=True)
    areas = serializers.DictField(child=serializers.FloatField(allow_null=True))


class WhatIfSerializer(serializers.Serializer):
    """Answer of the what-if endpoint."""

    edition = serializers.CharField()
    weights = serializers.DictField(child=serializers.FloatField())
    interval = serializers.DictField()
    results = WhatIfRowSerializer(many=True)


# --- responses ------------------------------------------------------------------------------------------------

@extend_schema_field({"type": "object", "properties": {lang: {"type": "string"} for lang in ("en", "fr", "ar")}})
class NamesField(serializers.Field):
    """``{"en": ..., "fr": ..., "ar": ...}`` from ``name_en``, ``name_fr``, ``name_ar``."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return {lang: getattr(obj, f"name_{lang}", "") or "" for lang in ("en", "fr", "ar")}


class EconomySerializer(serializers.ModelSerializer):
    """An economy: ``name`` in the request's language and ``names`` in all three."""

    name = serializers.CharField(read_only=True, help_text="name in the language asked (?lang= or Accept-Language)")
    names = NamesField()

    class Meta:
        model = Economy
        fields = ("iso3", "iso2", "m49", "name", "names", "kind", "oic_group", "income_group", "wb_region")


class SourceSerializer(serializers.ModelSerializer):
    """A publisher's data file with its licence."""

    class Meta:
        model = Source
        fields = ("code", "publisher", "title", "vintage", "licence", "url")


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its unit, source and the source's licence."""

    name = serializers.CharField(read_only=True)
    names = NamesField()
    source = SourceSerializer(read_only=True, allow_null=True)
    licence = serializers.CharField(source="source.licence", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Indicator
        fields = ("code", "name", "names", "unit", "description", "source", "licence")


class ObservationSerializer(serializers.ModelSerializer):
    """One published value of an indicator for an economy and year."""

    iso3 = serializers.CharField(source="economy.iso3")
    indicator = serializers.CharField(source="indicator.code")
    source = serializers.CharField(source="source.code")

    class Meta:
        model = Observation
        fields = ("iso3", "indicator", "year", "value", "source", "vintage", "flags")


class GapsSerializer(serializers.Serializer):
    """Score minus the reference, in points."""

    oic_median = serializers.FloatField(source="gap_oic_median", allow_null=True)
    oic_best = serializers.FloatField(source="gap_oic_best", allow_null=True)
    income_median = serializers.FloatField(source="gap_income_median", allow_null=True)
    group_median = serializers.FloatField(source="gap_group_median", allow_null=True)
    world_median = serializers.FloatField(source="gap_world_median", allow_null=True)


class ScoreSerializer(serializers.Serializer):
    """A member's score, rank, tier and gaps for one area (or ``index``)."""

    iso3 = serializers.CharField(source="economy.iso3")
    name = serializers.CharField(source="economy.name")
    area = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    tier = serializers.CharField()
    gaps = GapsSerializer(source="*")


class IndicatorResultSerializer(serializers.Serializer):
    """A member's value of one framework indicator in an edition."""

    iso3 = serializers.CharField()
    indicator = serializers.CharField()
    area = serializers.CharField()
    raw_value = serializers.FloatField(allow_null=True)
    source_year = serializers.IntegerField(allow_null=True)
    flag = serializers.ChoiceField(["observed", "imputed", "estimated", "missing"])
    imputed = serializers.BooleanField()
    treated = serializers.BooleanField()
    normalised_value = serializers.FloatField(allow_null=True)


class EditionSerializer(serializers.Serializer):
    """An edition: reference year, framework (areas and indicators, names in the request's language)."""

    code = serializers.CharField()
    reference_year = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    areas = serializers.ListField(child=serializers.DictField(), help_text="areas with weights and indicators")
    tiers = serializers.DictField(allow_null=True)
    world_medians = serializers.DictField(allow_null=True)
    has_uncertainty = serializers.BooleanField()
    links = serializers.DictField(child=serializers.CharField())


class UncertaintyRowSerializer(serializers.Serializer):
    """A member's published rank and rank interval for one area (or ``index``) under the uncertainty analysis."""

    iso3 = serializers.CharField()
    name = serializers.CharField(help_text="name in the language asked")
    area = serializers.CharField(help_text="area code, or index")
    nominal_rank = serializers.IntegerField(allow_null=True, help_text="published rank (null: unranked)")
    median_rank = serializers.FloatField(allow_null=True, help_text="median rank over the Monte Carlo replications")
    rank_q05 = serializers.FloatField(allow_null=True, help_text="5th percentile of the rank (best end)")
    rank_q95 = serializers.FloatField(allow_null=True, help_text="95th percentile of the rank (worst end)")


class SensitivityRowSerializer(serializers.Serializer):
    """Sobol indices of one uncertain input for the mean absolute shift of the index ranks (Saltelli 2010)."""

    input = serializers.CharField(help_text="uncertain input: weights, normalisation, aggregation, imputation, "
                                            "treatment")
    first_order = serializers.FloatField(allow_null=True, help_text="first-order Sobol index S_i")
    total = serializers.FloatField(allow_null=True, help_text="total Sobol index S_Ti")
    first_order_ci = serializers.FloatField(allow_null=True, help_text="half-width of the 95 % bootstrap interval")
    total_ci = serializers.FloatField(allow_null=True, help_text="half-width of the 95 % bootstrap interval")


class UncertaintySerializer(serializers.Serializer):
    """Answer of the uncertainty endpoint (OECD/JRC Handbook 2008, Step 7)."""

    edition = serializers.CharField()
    method = serializers.DictField(help_text="the analysis as run: method, uncertain inputs (spec), replications "
                                             "(n_rep), seed, rank interval quantiles, sensitivity design")
    sensitivity = SensitivityRowSerializer(many=True)
    results = UncertaintyRowSerializer(many=True)


class ProfileScoreSerializer(serializers.Serializer):
    area = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    ranked = serializers.IntegerField(help_text="number of ranked members")
    tier = serializers.CharField()
    gaps = serializers.DictField(child=serializers.FloatField(allow_null=True))


class ProfileIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    area = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    flag = serializers.ChoiceField(["observed", "imputed", "estimated", "missing"])
    treated = serializers.BooleanField()
    normalised_value = serializers.FloatField(allow_null=True)
    source = serializers.CharField(allow_null=True)
    licence = serializers.CharField(allow_null=True)


class ProfileSerializer(serializers.Serializer):
    """A member state's profile in one edition (documentation of the response of the profile endpoint)."""

    iso3 = serializers.CharField()
    name = serializers.CharField()
    names = serializers.DictField(child=serializers.CharField())
    oic_group = serializers.CharField()
    income_group = serializers.CharField()
    edition = serializers.CharField()
    reference_year = serializers.IntegerField()
    scores = ProfileScoreSerializer(many=True)
    indicators = ProfileIndicatorSerializer(many=True)
    licence = serializers.DictField(child=serializers.CharField())
    attribution = serializers.CharField()
    sources = serializers.ListField(child=serializers.DictField())
