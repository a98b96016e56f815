from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from certs import views
from certs.seo import SITEMAPS

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("certs.urls")),
]

handler400 = "certs.views.bad_request"
handler404 = "certs.views.page_not_found"
handler500 = "certs.views.server_error"
