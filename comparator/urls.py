from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from certs.seo import SITEMAPS
from certs.views import ops

urlpatterns = [
    path("robots.txt", ops.robots_txt, name="robots"),
    path("favicon.ico", ops.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("certs.urls")),
]

handler400 = "certs.views.ops.bad_request"
handler404 = "certs.views.ops.page_not_found"
handler500 = "certs.views.ops.server_error"
