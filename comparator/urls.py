from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from certs import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("certs.urls")),
]

handler400 = "certs.views.bad_request"
handler404 = "certs.views.page_not_found"
handler500 = "certs.views.server_error"
