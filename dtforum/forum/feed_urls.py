"""Calendar feeds, outside the language prefix so that their addresses never change."""
from django.urls import path

from dtforum.forum import views

app_name = "feeds"
urlpatterns = [
    path("meetings.ics", views.public_feed, name="public"),
    path("meetings/private/<str:token>.ics", views.private_feed, name="private"),
]
