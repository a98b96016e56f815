from django.urls import path

from . import feeds
from .views import compare, editorial, pages, wizard

app_name = "certs"
urlpatterns = [
    path("", pages.home, name="home"),
    path("certifications/", pages.catalog, name="catalog"),
    path("certifications/<slug:slug>/", pages.certification, name="certification"),
    path("certifications/<slug:slug>/changes/", editorial.changes, name="certification-changes"),
    path(
        "certifications/<slug:slug>/changes/feed/",
        feeds.ChangesFeed(),
        name="certification-changes-feed",
    ),
    path("changes/", editorial.changes, name="changes"),
    path("changes/feed/", feeds.ChangesFeed(), name="changes-feed"),
    path("lifecycle/", editorial.lifecycle, name="lifecycle"),
    path("faq/", pages.faq, name="faq"),
    path("market/", pages.market, name="market"),
    path("sources/", pages.sources, name="sources"),
    path("compare/", compare.compare_picker, name="compare-picker"),
    path("compare/<str:slugs>/", compare.compare, name="compare"),
    path("fit/", wizard.fit_start, name="fit-start"),
    path("fit/questions/", wizard.fit_question, name="fit-question"),
    path("fit/check/", wizard.fit_check, name="fit-check"),
    path("fit/result/", wizard.fit_result, name="fit-result"),
]
