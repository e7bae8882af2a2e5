"""URL configuration: language-prefixed pages (``/en/``, ``/ar/``, ``/fr/``) and the admin."""
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dtforum.forum.feed_urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("dtforum.members.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("dtforum.forum.urls")),
    path("", include("dtforum.observatory.urls")),
    prefix_default_language=True,
)
