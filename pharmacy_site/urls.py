from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("screening.urls")),
]

# JSON under /api/, Django's usual pages everywhere else.
handler400 = "screening.api.errors.bad_request"
handler403 = "screening.api.errors.permission_denied"
handler404 = "screening.api.errors.page_not_found"
handler500 = "screening.api.errors.server_error"
