from django.urls import path

from dtforum.explorer import views

app_name = "explorer"
urlpatterns = [
    path("explore/", views.explore, name="explore"),
    path("compare/", views.compare, name="compare"),
    path("methodology/", views.methodology, name="methodology"),
    path("what-if/", views.what_if_page, name="what_if"),
]
