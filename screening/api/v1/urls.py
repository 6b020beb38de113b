from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

import screening.api.converters  # noqa: F401 (registers uuid_any_case)
from screening.api.v1 import caller, handouts, knowledge, screenings

app_name = "api-v1"

urlpatterns = [
    path("screenings/", screenings.ScreeningCreateView.as_view(), name="screening-create"),
    path(
        "screenings/<uuid_any_case:screening_id>/",
        screenings.ScreeningDetailView.as_view(),
        name="screening-detail",
    ),
    path(
        "screenings/<uuid_any_case:screening_id>/decisions/",
        screenings.DecisionCreateView.as_view(),
        name="decision-create",
    ),
    path(
        "screenings/<uuid_any_case:screening_id>/handouts/",
        handouts.HandoutCreateView.as_view(),
        name="handout-create",
    ),
    path(
        "handouts/<uuid_any_case:handout_id>/",
        handouts.HandoutDetailView.as_view(),
        name="handout-detail",
    ),
    path(
        "handouts/<uuid_any_case:handout_id>/pdf/",
        handouts.HandoutPdfView.as_view(),
        name="handout-pdf",
    ),
    path(
        "handouts/<uuid_any_case:handout_id>/html/",
        handouts.HandoutHtmlView.as_view(),
        name="handout-html",
    ),
    path("drug-classes/", knowledge.DrugClassListView.as_view(), name="drug-class-list"),
    path(
        "drug-classes/<slug:slug>/",
        knowledge.DrugClassDetailView.as_view(),
        name="drug-class-detail",
    ),
    path("supplements/", knowledge.SupplementListView.as_view(), name="supplement-list"),
    path("lookup/", knowledge.LookupView.as_view(), name="lookup"),
    path("me/", caller.CallerView.as_view(), name="caller"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-v1:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-v1:schema"), name="redoc"),
]
