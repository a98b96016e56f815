"""certs/comparison.py: pure arrangement, differences, priorities, cost, overlap, verdict."""

import datetime
from decimal import Decimal

import pytest

from certs.comparison import (
    BadSelection,
    DomainTopic,
    build_matrix,
    canonical_path_part,
    cost_of_holding,
    personal_verdict,
    skills_overlap,
    split_slugs,
)
from certs.models import Category, Certification, Feature, Priority, Value

TODAY = datetime.date(2026, 11, 25)


def cert(pk, slug, vendor="aws", order=1, status="active"):
    return Certification(
        pk=pk, slug=slug, short_name=slug.upper(), vendor_id=vendor, order=order, status=status
    )


def feature(pk, slug, category, kind="text", order=1):
    return Feature(pk=pk, slug=slug, label=slug.title(), category=category, kind=kind, order=order)


def value(c, f, text, amount=None, unit="", availability="stated"):
    return Value(
        certification=c,
        feature=f,
        text=text,
        amount=amount,
        unit=unit,
        availability=availability,
        verified_on=TODAY,
    )


CAT_A = Category(pk=1, slug="a", name="A", order=1)
CAT_B = Category(pk=2, slug="b", name="B", order=2)


def test_split_slugs_normalises_and_validates():
    assert split_slugs("PMLE-vs-AI-103") == ["pmle", "ai-103"]
    for bad, words in [
        ("pmle", "2 to 4"),
        ("a-vs-b-vs-c-vs-d-vs-e", "names 5"),
        ("pmle-vs-pmle", "twice"),
        ("pmle-vs-", "empty"),
    ]:
        with pytest.raises(BadSelection, match=words):
            split_slugs(bad)


def test_canonical_order_is_the_catalog_order():
    a, b, c = cert(1, "pmle", "google"), cert(2, "ai-103", "microsoft"), cert(3, "mla", "aws")
    assert canonical_path_part([b, a, c]) == "mla-vs-pmle-vs-ai-103"
    assert canonical_path_part([a, b]) == canonical_path_part([b, a])


def test_matrix_marks_differences_groups_and_hides_identical_rows():
    x, y = cert(1, "x"), cert(2, "y")
    fee, lang, level = (
        feature(1, "fee", CAT_A),
        feature(2, "lang", CAT_A, order=2),
        feature(3, "level", CAT_B),
    )
    values = [
        value(x, fee, "USD 100"),
        value(y, fee, "USD 150"),
        value(x, lang, "English"),
        value(y, lang, " english "),
        value(x, level, "Associate"),
    ]
    matrix = build_matrix(certifications=[x, y], features=[fee, lang, level], values=values)
    assert [g.name for g in matrix.groups] == ["A", "B"]
    assert [(r.feature.slug, r.differs) for r in matrix.rows] == [
        ("fee", True),
        ("lang", False),
        ("level", True),
    ]  # a missing cell differs
    only = build_matrix(
        certifications=[x, y], features=[fee, lang, level], values=values, only_differences=True
    )
    assert [r.feature.slug for r in only.rows] == ["fee", "level"]
    assert only.hidden_identical == 1


def test_priorities_move_their_rows_to_the_top_highlighted():
    x, y = cert(1, "x"), cert(2, "y")
    fee, lang = feature(1, "fee", CAT_A), feature(2, "lang", CAT_B)
    values = [value(x, fee, "1"), value(y, fee, "2"), value(x, lang, "en"), value(y, lang, "fr")]
    priority = Priority(pk=1, slug="cost", label="Cost", feature=lang)
    matrix = build_matrix(
        certifications=[x, y], features=[fee, lang], values=values, priorities=[priority]
    )
    assert matrix.groups[0].name == "Your priorities"
    assert [r.feature.slug for r in matrix.groups[0].rows] == ["lang"]
    assert matrix.groups[0].rows[0].highlighted
    assert [r.feature.slug for r in matrix.rows] == ["lang", "fee"]


@pytest.mark.parametrize(
    "fee,renewal,validity,years,total,words",
    [
        (200, 100, 24, 1, 200, "no renewal"),
        (200, 100, 24, 3, 300, "1 renewal every 24 months"),
        (200, 100, 24, 5, 400, "2 renewals"),
        (165, 0, 12, 3, 165, "(free)"),
        (100, 50, 36, 5, 150, "1 renewal"),
        (99, None, None, 5, 99, "does not expire"),
    ],
)
def test_cost_of_holding(fee, renewal, validity, years, total, words):
    c = cert(1, "x")
    f = feature(1, "exam-fee", CAT_A, "money")
    v_fee = value(c, f, "x", Decimal(fee), "USD")
    v_renewal = value(c, f, "x", None if renewal is None else Decimal(renewal), "USD")
    v_validity = value(
        c,
        feature(2, "validity", CAT_A, "months"),
        "Does not expire" if validity is None else "x",
        None if validity is None else Decimal(validity),
        "months",
    )
    result = cost_of_holding(
        certification=c, years=years, fee=v_fee, renewal_cost=v_renewal, validity=v_validity
    )
    assert result.total == total
    assert words in result.explanation
    assert result.currency == "USD"


def test_cost_is_not_invented_when_facts_are_missing():
    c = cert(1, "x")
    f = feature(1, "exam-fee", CAT_A, "money")
    no_fee = value(c, f, "", None, availability="not_found")
    assert (
        cost_of_holding(
            certification=c, years=3, fee=no_fee, renewal_cost=None, validity=None
        ).total
        is None
    )
    fee = value(c, f, "USD 75", Decimal(75), "USD")
    validity = value(c, f, "3 years", Decimal(36), "months")
    no_renewal = value(c, f, "Half the fee", None, "USD")
    result = cost_of_holding(
        certification=c, years=5, fee=fee, renewal_cost=no_renewal, validity=validity
    )
    assert result.total is None and "renewal cost is not stated" in result.explanation
    retired = cert(2, "old", status="retired")
    assert (
        cost_of_holding(
            certification=retired, years=1, fee=fee, renewal_cost=None, validity=validity
        ).total
        is None
    )


def test_verdict_names_the_leader_and_breaks_ties_honestly():
    x, y = cert(1, "x", order=1), cert(2, "y", order=2)
    fee = feature(1, "exam-fee", CAT_A, "money")
    validity = feature(2, "validity", CAT_A, "months")
    values = [
        value(x, fee, "USD 100", Decimal(100)),
        value(y, fee, "USD 150", Decimal(150)),
        value(x, validity, "12 months", Decimal(12)),
        value(y, validity, "Does not expire", None),
    ]
    cheap = Priority(pk=1, slug="cost", label="Lowest fee", feature=fee, prefer="lower")
    long = Priority(
        pk=2, slug="validity", label="Longest validity", feature=validity, prefer="higher"
    )
    one = personal_verdict(certifications=[x, y], priorities=[cheap], values=values)
    assert one.leader == x and "X leads on 1 of your 1 ranked priority" in one.summary
    both = personal_verdict(certifications=[x, y], priorities=[cheap, long], values=values)
    assert both.leader is None and "tie" in both.summary
    assert [lead.leaders for lead in both.leads] == [(x,), (y,)]
    assert personal_verdict(certifications=[x, y], priorities=[], values=values) is None


def test_skills_overlap_weighs_domains_once_and_counts_untagged_ones():
    from certs.models import Topic

    x, y = cert(1, "x"), cert(2, "y")
    mlops, data, genai = (Topic(pk=n, slug=s, name=s, order=n) for n, s in enumerate("abc", 1))
    rows = [
        # x: a domain tagged with two topics (two rows, one weight), one untagged domain
        DomainTopic(10, 1, Decimal(20), Decimal(40), mlops.pk),
        DomainTopic(10, 1, Decimal(20), Decimal(40), data.pk),
        DomainTopic(11, 1, Decimal(60), Decimal(80), None),
        # y: one domain on MLOps only
        DomainTopic(20, 2, Decimal(100), Decimal(100), mlops.pk),
        # a certification not compared is ignored
        DomainTopic(30, 3, Decimal(50), Decimal(50), genai.pk),
    ]
    topics = {t.pk: t for t in (mlops, data, genai)}
    overlap = skills_overlap(certifications=[x, y], domains=rows, topics=topics)
    # x's weight: 30 (tagged) + 70 (untagged); only the tagged domain touches y's MLOps.
    assert [(s.certification, s.percent) for s in overlap.shares] == [(x, 30), (y, 100)]
    assert [(row.topic, row.percents) for row in overlap.grid] == [
        (mlops, (30, 100)),
        (data, (30, 0)),
    ]


@pytest.mark.django_db
def test_skills_overlap_on_real_content():
    from certs.models import SkillDomain, Topic

    certs = [Certification.objects.get(slug="pmle"), Certification.objects.get(slug="ai-300")]
    domains = SkillDomain.objects.filter(certification__in=certs, version__is_current=True)
    rows = [DomainTopic(*row) for row in domains.topic_rows()]
    overlap = skills_overlap(certifications=certs, domains=rows, topics=Topic.objects.in_bulk())
    assert all(0 <= s.percent <= 100 for s in overlap.shares)
    # PMLE and AI-300 both test MLOps, so they overlap
    assert all(s.percent > 0 for s in overlap.shares)
    assert any(row.topic.slug == "mlops" and all(row.percents) for row in overlap.grid)
