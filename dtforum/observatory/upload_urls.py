"""URLs of the data round (questionnaire uploads, edition builds), under the language prefix."""
from django.urls import path

from dtforum.observatory import upload_views

app_name = "data"
urlpatterns = [
    path("data/questionnaire/", upload_views.questionnaire, name="questionnaire"),
    path("data/questionnaire/<str:iso3>/template.xlsx", upload_views.questionnaire_template,
         name="questionnaire_template"),
    path("data/tasks/", upload_views.tasks, name="tasks"),
]
