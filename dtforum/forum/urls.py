from django.urls import path

from dtforum.forum import views

app_name = "forum"
urlpatterns = [
    path("meetings/", views.agenda, name="agenda"),
    path("meetings/calendar/", views.my_calendar, name="my_calendar"),
    path("meetings/new/", views.meeting_edit, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/register/", views.register, name="register"),
    path("meetings/registrations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/v<int:number>/", views.document, name="document_version"),
    path("documents/<int:pk>/versions/", views.document_versions, name="document_versions"),
    path("documents/<int:pk>/versions/new/", views.document_version_create, name="document_version_create"),
    path("meetings/<int:pk>/documents/new/", views.document_create, name="document_create"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/action-items/new/", views.action_item_create, name="action_item_create"),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
    path("follow-up/", views.board, name="board"),
    path("follow-up/export.<str:fmt>", views.board_export, name="board_export"),
    path("action-items/<int:pk>/report/", views.follow_up, name="follow_up"),
]
