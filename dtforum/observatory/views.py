"""Thin views of the observatory (placeholder until the report/site work lands)."""
from django.http import Http404, HttpResponse


def home(request):
    return HttpResponse("dtforum")


def country(request, iso3: str):
    raise Http404(iso3)
