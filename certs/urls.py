from django.urls import path

from . import views

app_name = "certs"
urlpatterns = [
    path("", views.home, name="home"),
    path("certifications/", views.catalog, name="catalog"),
    path("certifications/<slug:slug>/", views.certification, name="certification"),
    path("faq/", views.faq, name="faq"),
    path("sources/", views.sources, name="sources"),
]
