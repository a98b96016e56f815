"""What search engines and link previews read: page metadata, JSON-LD and the sitemap.

Plain functions and data; the views decide what each page is, the base template prints it.
"""

import html
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe

from .comparison import canonical_path_part
from .models import (
    Certification,
    ContentVersion,
    Disagreement,
    ExamVersion,
    FAQEntry,
    Matchup,
    SkillDomain,
    Value,
)
from .tracking import path_without_tracking


@dataclass(frozen=True)
class Page:
    """One page's metadata, as the base template prints it. `breadcrumbs` is the trail shown
    on the page, as (name, path) pairs ending with the page itself; `data` holds further
    schema.org objects describing what the page shows."""

    title: str
    description: str
    site: str  # scheme and host, no trailing slash
    path: str
    full_path: str
    noindex: bool = False
    breadcrumbs: tuple[tuple[str, str], ...] = ()
    data: tuple[dict, ...] = ()

    @property
    def canonical_url(self) -> str:
        """Query-string variants (filters, tracking parameters) are the same page."""
        return self.site + self.path

    @property
    def share_url(self) -> str:
        """What a link preview points at: the canonical page, or for a page that is not
        indexed (a wizard step or result, which lives in its query string) this very one."""
        return self.site + (self.full_path if self.noindex else self.path)

    @property
    def image_url(self) -> str:
        return self.site + static("img/og.png")

    @property
    def json_ld(self) -> str:
        return mark_safe(json_ld(self))  # json_ld() escapes <, > and &: safe inside <script>


def describe(text: str, limit: int = 160) -> str:
    """A meta description from longer prose: whole sentences while they fill at least half the
    limit, else the text cut at a word, so search results never end mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if len(kept) >= limit // 2:
        return kept
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def origin(request) -> str:
    """The site's address, scheme and host without a trailing slash: DJANGO_SITE_URL, or as
    this request reached it."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def page_for(request, template: str, context: dict, **extra) -> Page:
    """The page's metadata, its title and description written in the page template's
    `page-title` and `page-description` partials (whitespace tidied, the description cut at
    a sentence or word to fit search results)."""
    title, description = (
        " ".join(html.unescape(render_to_string(f"{template}#page-{part}", context)).split())
        for part in ("title", "description")
    )
    return page(request, title, describe(description), **extra)


def page(request, title: str, description: str, **extra) -> Page:
    return Page(
        title=title,
        description=description,
        site=origin(request),
        path=request.path,
        full_path=path_without_tracking(request),
        **extra,
    )


def trail(*steps) -> tuple[tuple[str, str], ...]:
    """A breadcrumb trail from the home page: (name, path) pairs, or certifications."""
    crumbs = [("Home", reverse("certs:home"))]
    for step in steps:
        if isinstance(step, Certification):
            step = (step.short_name, step.get_absolute_url())
        crumbs.append(step)
    return tuple(crumbs)


def breadcrumb_list(trail, site: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": site + path}
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }


def faq_page(entries) -> dict:
    """The FAQ as schema.org FAQPage: the questions and answers exactly as shown."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.question,
                "acceptedAnswer": {"@type": "Answer", "text": entry.answer},
            }
            for entry in entries
        ],
    }


def item_list(certifications, site: str) -> dict:
    """The catalog as schema.org ItemList, in the order it is shown."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": "AI and machine-learning certifications",
        "numberOfItems": len(certifications),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": n,
                "url": site + cert.get_absolute_url(),
                "name": cert.name,
            }
            for n, cert in enumerate(certifications, start=1)
        ],
    }


# JSON inside <script> ends at the first "</script>"; escaping <, > and & keeps any text safe
# and is still the same JSON to a parser.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld(page: Page) -> str:
    """The page's JSON-LD, safe to place inside <script type="application/ld+json">."""
    objects = list(page.data)
    if page.breadcrumbs:
        objects.append(breadcrumb_list(page.breadcrumbs, page.site))
    if not objects:
        return ""
    payload = objects[0] if len(objects) == 1 else objects
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


# Sitemap. Public, published pages only; wizard steps, downloads, feeds and previews are left
# out. `lastmod` comes from the content itself, each section in one query.


class _SiteSitemap(Sitemap):
    """Addresses on DJANGO_SITE_URL when it is set, like the canonical links."""

    def get_protocol(self, protocol=None):
        return (
            urlsplit(settings.SITE_URL).scheme
            if settings.SITE_URL
            else super().get_protocol(protocol)
        )

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc if settings.SITE_URL else super().get_domain(site)


class PagesSitemap(_SiteSitemap):
    """Pages built from the whole content: they change whenever any content does."""

    names = (
        "home",
        "catalog",
        "compare-picker",
        "fit-start",
        "faq",
        "market",
        "sources",
        "lifecycle",
        "changes",
    )

    def items(self):
        version = ContentVersion.objects.filter(pk=1).first()
        self._changed_at = version.changed_at if version else None
        return list(self.names)

    def location(self, item):
        return reverse(f"certs:{item}")

    def lastmod(self, item):
        return self._changed_at


def _last_change(history, *conditions, **match):
    """The time of the newest edit-history record matching the filters, as a subquery."""
    newest = history.filter(*conditions, **match).order_by("-history_date")
    return Subquery(newest.values("history_date")[:1])


class CertificationSitemap(_SiteSitemap):
    """One page per published certification, last modified when it, one of its facts, exam
    versions, skill domains, disagreeing sources or the questions it lists last changed (the
    edit history records them all). A question unlinked from the certification, or deleted,
    no longer counts: the history keeps no record of the links themselves."""

    def items(self):
        this = OuterRef("pk")
        its_questions = FAQEntry.certifications.through.objects.filter(
            certification_id=OuterRef(this)
        ).values("faqentry_id")
        return list(
            Certification.objects.published()
            .annotate(
                self_changed=_last_change(Certification.history, id=this),
                value_changed=_last_change(Value.history, certification_id=this),
                version_changed=_last_change(ExamVersion.history, certification_id=this),
                domain_changed=_last_change(SkillDomain.history, certification_id=this),
                disagreement_changed=_last_change(
                    Disagreement.history,
                    Q(certification_id=this) | Q(value__certification_id=this),
                ),
                question_changed=_last_change(FAQEntry.history, id__in=its_questions),
            )
            .order_by("vendor", "order", "slug")
        )

    def lastmod(self, cert):
        changes = (
            cert.self_changed,
            cert.value_changed,
            cert.version_changed,
            cert.domain_changed,
            cert.disagreement_changed,
            cert.question_changed,
        )
        return max(filter(None, changes), default=None)


class ComparisonSitemap(_SiteSitemap):
    """The comparisons we wrote an editorial for, last modified when the editorial or a fact
    of either certification last changed."""

    def items(self):
        pair = Q(certification_id=OuterRef("first_id")) | Q(certification_id=OuterRef("second_id"))
        return list(
            Matchup.objects.published()
            .select_related("first", "second")
            .annotate(
                value_changed=_last_change(Value.history, pair),
                self_changed=_last_change(Matchup.history, id=OuterRef("pk")),
            )
            .order_by("slug")
        )

    def location(self, matchup):
        return reverse("certs:compare", args=[canonical_path_part([matchup.first, matchup.second])])

    def lastmod(self, matchup):
        return max(filter(None, (matchup.value_changed, matchup.self_changed)), default=None)


SITEMAPS = {
    "pages": PagesSitemap,
    "certifications": CertificationSitemap,
    "comparisons": ComparisonSitemap,
}
