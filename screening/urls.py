from django.contrib.auth import views as auth_views
from django.urls import include, path

from screening.api.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("screening.api.v1.urls")),
    # Only sign-in and sign-out: password resets go through the pharmacy's administrator
    # (no outgoing email is configured for a counter install).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("screening.counter.urls")),
]
