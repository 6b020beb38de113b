from django.urls import path

from screening.counter import views

app_name = "counter"

urlpatterns = [
    path("", views.screen, name="screen"),
    path("screenings/", views.screening_list, name="screening-list"),
    path("screenings/<uuid:screening_id>/", views.screening_detail, name="screening-detail"),
    path(
        "screenings/<uuid:screening_id>/lines/",
        views.screening_choose_line,
        name="screening-choose-line",
    ),
    path("screenings/<uuid:screening_id>/handouts/", views.handout_create, name="handout-create"),
    path(
        "screenings/<uuid:screening_id>/decisions/", views.decision_create, name="decision-create"
    ),
    path("decisions/", views.decision_list, name="decision-list"),
    path("handouts/<uuid:handout_id>/", views.handout_detail, name="handout-detail"),
    path("handouts/<uuid:handout_id>/status.json", views.handout_status, name="handout-status"),
]
