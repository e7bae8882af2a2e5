from django.urls import path

from dtforum.members import views

app_name = "members"
urlpatterns = [
    path("accounts/invitation/<str:token>/", views.invitation, name="invitation"),
    path("directory/", views.directory, name="directory"),
    path("directory/invite/", views.invite, name="invite"),
]
