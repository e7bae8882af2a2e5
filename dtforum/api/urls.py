"""URLs of API v1 (``/api/v1/``) and its open-data downloads (``/api/v1/data/``), not language-prefixed.

The language of ``name`` fields comes from ``?lang=`` or ``Accept-Language``, never from the path, so that a
URL names the same resource in every language.
"""
from django.urls import path

from dtforum.api import views

app_name = "api"
urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("economies/", views.EconomyList.as_view(), name="economies"),
    path("economies/<str:iso3>/", views.EconomyDetail.as_view(), name="economy"),
    path("sources/", views.SourceList.as_view(), name="sources"),
    path("indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("indicators/<str:code>/", views.IndicatorDetail.as_view(), name="indicator"),
    path("observations/", views.ObservationList.as_view(), name="observations"),
    path("editions/", views.EditionList.as_view(), name="editions"),
    path("editions/<str:code>/", views.EditionDetail.as_view(), name="edition"),
    path("editions/<str:code>/scores/", views.EditionScores.as_view(), name="edition-scores"),
    path("editions/<str:code>/indicators/", views.EditionIndicators.as_view(), name="edition-indicators"),
    path("editions/<str:code>/uncertainty/", views.EditionUncertainty.as_view(), name="edition-uncertainty"),
    path("editions/<str:code>/what-if/", views.EditionWhatIf.as_view(), name="edition-what-if"),
    path("countries/<str:iso3>/profile/", views.CountryProfile.as_view(), name="country-profile"),
    # open data: files with licence and attribution inside
    path("data/editions/<str:code>/scores.<str:fmt>", views.ScoresDownload.as_view(), name="download-scores"),
    path("data/editions/<str:code>/indicators.<str:fmt>", views.EditionIndicatorsDownload.as_view(),
         name="download-indicators"),
    path("data/editions/<str:code>/uncertainty.<str:fmt>", views.UncertaintyDownload.as_view(),
         name="download-uncertainty"),
    path("data/editions/<str:code>/datapackage.zip", views.DataPackageDownload.as_view(),
         name="download-datapackage"),
    path("data/indicators/<str:code>/observations.<str:fmt>", views.ObservationsDownload.as_view(),
         name="download-observations"),
    path("data/compare/scores.<str:fmt>", views.CompareScoresDownload.as_view(), name="download-compare-scores"),
    path("data/compare/indicators.<str:fmt>", views.CompareIndicatorsDownload.as_view(),
         name="download-compare-indicators"),
    path("data/countries/<str:iso3>/profile.<str:fmt>", views.ProfileDownload.as_view(), name="download-profile"),
]
