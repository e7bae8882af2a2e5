"""URL configuration: language-prefixed pages (``/en/``, ``/ar/``, ``/fr/``) and the admin; the API, its schema
and documentation without a language prefix (``/api/v1/``, ``/api/schema/``, ``/api/docs/``)."""
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from dtforum.api.views import DocsView
from dtforum.core.views import search

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dtforum.forum.feed_urls")),
    path("api/v1/", include("dtforum.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("dtforum.members.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("dtforum.forum.urls")),
    path("", include("dtforum.observatory.urls")),
    path("", include("dtforum.explorer.urls")),
    path("", include("dtforum.observatory.upload_urls")),
    path("search/", search, name="search"),
    prefix_default_language=True,
)
