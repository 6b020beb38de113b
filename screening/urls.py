from django.contrib.auth import views as auth_views
from django.urls import include, path

from screening.api import cds_hooks
from screening.api.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("screening.api.v1.urls")),
    # CDS Hooks 2.0: its own paths, without trailing slashes, as the specification writes them.
    path("cds-services", cds_hooks.DiscoveryView.as_view(), name="cds-discovery"),
    path("cds-services/<str:service_id>", cds_hooks.ServiceView.as_view(), name="cds-service"),
    path(
        "cds-services/<str:service_id>/feedback",
        cds_hooks.FeedbackView.as_view(),
        name="cds-feedback",
    ),
    # Only sign-in and sign-out: password resets go through the pharmacy's administrator
    # (no outgoing email is configured for a counter install).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("screening.counter.urls")),
]
