from django.urls import include, path

from screening.api.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("screening.api.v1.urls")),
]
