from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("certs.urls")),
]

handler400 = "certs.views.bad_request"
handler404 = "certs.views.page_not_found"
handler500 = "certs.views.server_error"
