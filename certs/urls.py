from django.urls import path

from . import feeds, views

app_name = "certs"
urlpatterns = [
    path("", views.home, name="home"),
    path("certifications/", views.catalog, name="catalog"),
    path("certifications/<slug:slug>/", views.certification, name="certification"),
    path("certifications/<slug:slug>/changes/", views.changes, name="certification-changes"),
    path(
        "certifications/<slug:slug>/changes/feed/",
        feeds.ChangesFeed(),
        name="certification-changes-feed",
    ),
    path("changes/", views.changes, name="changes"),
    path("changes/feed/", feeds.ChangesFeed(), name="changes-feed"),
    path("lifecycle/", views.lifecycle, name="lifecycle"),
    path("faq/", views.faq, name="faq"),
    path("sources/", views.sources, name="sources"),
    path("compare/", views.compare_picker, name="compare-picker"),
    path("compare/<str:slugs>/", views.compare, name="compare"),
    path("fit/", views.fit_start, name="fit-start"),
    path("fit/questions/", views.fit_question, name="fit-question"),
    path("fit/check/", views.fit_check, name="fit-check"),
    path("fit/result/", views.fit_result, name="fit-result"),
]
