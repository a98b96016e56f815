"""Small hand-written builders for edge cases the real fixtures do not contain."""

import datetime
import itertools

from certs.models import (
    Category,
    Certification,
    FAQEntry,
    Feature,
    Focus,
    Source,
    Value,
    Vendor,
)

_counter = itertools.count(1)
TODAY = datetime.date(2026, 11, 25)


def make_source(**fields) -> Source:
    n = next(_counter)
    defaults = dict(
        slug=f"test-source-{n}",
        title=f"Test source {n}",
        publisher="Test publisher",
        url=f"https://example.com/{n}",
        authority=Source.Authority.VENDOR,
        accessed_on=TODAY,
    )
    return Source.objects.create(**(defaults | fields))


def make_certification(**fields) -> Certification:
    n = next(_counter)
    source = fields.pop("status_source", None) or make_source()
    defaults = dict(
        slug=f"test-cert-{n}",
        name=f"Test certification {n}",
        short_name=f"TC-{n}",
        exam_code=f"TC-{n}",
        credential=f"Test credential {n}",
        level="associate",
        target_role="Testers.",
        summary="A certification made up for a test.",
        profile="It exists only in tests.",
        official_url="https://example.com/cert",
        status="active",
        status_source=source,
        verified_on=TODAY,
        order=100 + n,
    )
    vendor = fields.pop("vendor", "aws")
    if isinstance(vendor, str):
        vendor = make_vendor(slug=vendor)
    return Certification.objects.create(vendor=vendor, **(defaults | fields))


def make_vendor(slug: str, **fields) -> Vendor:
    """The vendor with this slug: the fixtures' one if loaded, else a new one."""
    defaults = dict(name=slug.title(), kind=Vendor.Kind.OTHER, order=50)
    return Vendor.objects.get_or_create(slug=slug, defaults=defaults | fields)[0]


def make_focus(**fields) -> Focus:
    n = next(_counter)
    defaults = dict(slug=f"test-focus-{n}", name=f"Test focus {n}", order=100 + n)
    return Focus.objects.create(**(defaults | fields))


def make_feature(**fields) -> Feature:
    n = next(_counter)
    category = fields.pop("category", None) or Category.objects.create(
        slug=f"test-category-{n}", name=f"Test category {n}", order=100 + n
    )
    defaults = dict(slug=f"test-feature-{n}", label=f"Test feature {n}", category=category, order=n)
    return Feature.objects.create(**(defaults | fields))


def make_value(certification, feature, **fields) -> Value:
    defaults = dict(
        text="Something", source=fields.pop("source", None) or make_source(), verified_on=TODAY
    )
    return Value.objects.create(certification=certification, feature=feature, **(defaults | fields))


def make_faq(certifications=(), **fields) -> FAQEntry:
    n = next(_counter)
    defaults = dict(
        slug=f"test-faq-{n}",
        question=f"Test question {n}?",
        answer="An answer.",
        order=100 + n,
        verified_on=TODAY,
    )
    entry = FAQEntry.objects.create(**(defaults | fields))
    entry.certifications.set(certifications)
    return entry
