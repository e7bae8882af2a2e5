from django.urls import path

from dtforum.observatory import views

app_name = "observatory"
urlpatterns = [
    path("", views.home, name="home"),
    path("countries/<str:iso3>/", views.country, name="country"),
]
