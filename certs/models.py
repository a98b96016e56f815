"""The content of the site: certifications, the facts about them, and the editorial around them.

Every model has a slug-based natural key so that the JSON fixtures in fixtures/ can be loaded
again and again without duplicates and exported back byte for byte (see export_content).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Freshness(models.TextChoices):
    FRESH = "fresh", "recently checked"
    AGEING = "ageing", "getting old"
    STALE = "stale", "needs re-checking"


def freshness_of(verified_on: datetime.date | None, *, today: datetime.date, cadence_days: int):
    """Within two thirds of the review cadence a fact is fresh; up to the cadence it is getting
    old; beyond it, or never verified, it needs re-checking."""
    if verified_on is None:
        return Freshness.STALE
    age = (today - verified_on).days
    if age <= cadence_days * 2 // 3:
        return Freshness.FRESH
    if age <= cadence_days:
        return Freshness.AGEING
    return Freshness.STALE


class Verified:
    """For models with a `verified_on` date: how fresh it is today, by the site's cadence."""

    @property
    def freshness(self):
        return self.freshness_on(timezone.localdate())

    def freshness_on(self, today: datetime.date):
        return freshness_of(
            self.verified_on, today=today, cadence_days=settings.REVIEW_CADENCE_DAYS
        )


class Vendor(models.TextChoices):
    GOOGLE = "google", "Google Cloud"
    MICROSOFT = "microsoft", "Microsoft"
    AWS = "aws", "AWS"


class Level(models.TextChoices):
    FOUNDATIONAL = "foundational", "Foundational"
    ASSOCIATE = "associate", "Associate"
    PROFESSIONAL = "professional", "Professional"
    SPECIALTY = "specialty", "Specialty"


class Status(models.TextChoices):
    BETA = "beta", "Beta"
    ACTIVE = "active", "Active"
    RETIRING = "retiring", "Retiring"
    RETIRED = "retired", "Retired"


class Basis(models.TextChoices):
    """A fact can be checked against a source; an assessment is our (or the seed's) judgement."""

    FACT = "fact", "Fact"
    ASSESSMENT = "assessment", "Editorial assessment"


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SourceQuerySet(SlugQuerySet):
    def visible_to(self, user):
        """Everything for staff; for everyone else the sources that something public cites: a
        published certification (its status, facts, exam versions, skill domains or a source
        that disagrees), a public FAQ entry or a published pair editorial. One query."""
        if user.is_staff:
            return self
        cited = lambda model, **path: Exists(  # noqa: E731
            model.objects.filter(**{path.pop("via", "source"): OuterRef("pk")}, **path)
        )
        published_matchups = Matchup.objects.published()
        return self.filter(
            cited(Certification, via="status_source", is_published=True)
            | cited(Value, certification__is_published=True)
            | cited(ExamVersion, certification__is_published=True)
            | cited(SkillDomain, certification__is_published=True)
            | cited(Disagreement, certification__is_published=True)
            | cited(Disagreement, value__certification__is_published=True)
            | cited(FAQEntry, via="sources", certifications__is_published=True)
            | cited(EditorialBlock, matchup__in=published_matchups)
        )


class Source(models.Model):
    class Authority(models.TextChoices):
        VENDOR = "vendor", "Vendor"
        TRANSCRIPTION = "transcription", "Dated third party transcribing the vendor"
        THIRD_PARTY = "third_party", "Third party"
        ARTICLE = "article", "The original article"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=120)
    url = models.URLField(max_length=400, blank=True)
    authority = models.CharField(max_length=20, choices=Authority.choices)
    published = models.CharField(
        max_length=60,
        blank=True,
        help_text="The date the page itself states (last updated or published); blank if undated.",
    )
    accessed_on = models.DateField(help_text="When we read it.")
    note = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return f"{self.title} ({self.publisher})"

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("certs:sources") + f"#source-{self.slug}"


class PublishableQuerySet(SlugQuerySet):
    """For models with a draft/published switch."""

    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Everything for staff (drafts are previewable), published ones for everyone else."""
        return self if user.is_staff else self.published()


class CertificationQuerySet(PublishableQuerySet):
    def bookable(self):
        """Certifications a candidate can sit today (a beta counts; a retired exam does not)."""
        return self.exclude(status=Status.RETIRED)

    def for_pages(self):
        return self.select_related("successor", "status_source")

    def catalog(self, user) -> list["Certification"]:
        """Every certification this viewer may see, in catalog order, each with its
        `public_successor` found among them (not joined again; a draft successor is not among
        a visitor's)."""
        certifications = list(
            self.visible_to(user)
            .select_related("status_source")
            .order_by("vendor", "order", "slug")
        )
        by_pk = {c.pk: c for c in certifications}
        for cert in certifications:
            cert.public_successor = by_pk.get(cert.successor_id)
        return certifications


def show_public_successors(certifications: Iterable["Certification"], *, user) -> None:
    """Give each certification its `public_successor`: the successor this viewer may be told
    about. Visitors are not told about a successor that is still a draft (its page would be a
    404 to them, and the news may not be public yet); staff, who preview drafts, are.
    Successors must be loaded (`for_pages`)."""
    for cert in certifications:
        successor = cert.successor if cert.successor_id is not None else None
        visible = successor is not None and (user.is_staff or successor.is_published)
        cert.public_successor = successor if visible else None


class Certification(Verified, models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160, help_text="The exam's or certification's title.")
    short_name = models.CharField(max_length=30, help_text="What people call it: PMLE, AI-102…")
    exam_code = models.CharField(max_length=40, blank=True, help_text="Blank if none.")
    credential = models.CharField(max_length=200, help_text="The credential the exam earns.")
    vendor = models.CharField(max_length=20, choices=Vendor.choices)
    level = models.CharField(max_length=20, choices=Level.choices)
    target_role = models.TextField()
    summary = models.CharField(max_length=300)
    profile = models.TextField(help_text="Paragraphs separated by a blank line.")
    official_url = models.URLField(max_length=400)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField(
        null=True, blank=True, help_text="Retirement date (retiring, retired) or beta start."
    )
    status_note = models.TextField(blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    status_source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    verified_on = models.DateField()
    order = models.PositiveIntegerField(default=0)
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Drafts are invisible to visitors (staff can preview them). Publishing needs "
        "every quick-fact row filled, with its source and verified date.",
    )

    history = HistoricalRecords()
    objects = CertificationQuerySet.as_manager()

    # Display only, never saved: set by the queryset methods and helpers that load pages.
    public_successor = None  # the successor this viewer may be told about
    lifecycle_sources = ()  # further sources that give another date (attach_disagreements)

    class Meta:
        ordering = ["vendor", "order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(successor=F("pk")), name="certification_successor_not_self"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.RETIRING, Status.RETIRED], status_date=None),
                name="certification_retirement_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.short_name}: {self.name}"

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        errors = {}
        if self.successor_id and self.successor_id == self.pk:
            errors["successor"] = "A certification cannot be its own successor."
        if self.status in (Status.RETIRING, Status.RETIRED) and not self.status_date:
            errors["status_date"] = "Give the retirement date of a retiring or retired exam."
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("certs:certification", args=[self.slug])

    @property
    def is_retired(self):
        return self.status == Status.RETIRED

    @property
    def is_bookable(self):
        return self.status != Status.RETIRED


class ExamVersionQuerySet(models.QuerySet):
    def get_by_natural_key(self, certification, slug):
        return self.get(certification__slug=certification, slug=slug)


class ExamVersion(Verified, models.Model):
    """One version of an exam (a guide or exam code) with the dates it applies."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="versions"
    )
    slug = models.SlugField(max_length=60)
    label = models.CharField(max_length=120)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    verified_on = models.DateField()

    history = HistoricalRecords()
    objects = ExamVersionQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "-is_current", "-starts_on", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "slug"], name="version_unique_slug"),
            models.CheckConstraint(
                condition=Q(starts_on=None) | Q(ends_on=None) | Q(ends_on__gte=F("starts_on")),
                name="version_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.certification.short_name} · {self.label}"

    def natural_key(self):
        return (*self.certification.natural_key(), self.slug)

    natural_key.dependencies = ["certs.certification"]

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A version cannot end before it starts."})


class Topic(models.Model):
    """A skill area shared across vendors, used to tag skill domains and measure overlap."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class DomainQuerySet(models.QuerySet):
    def get_by_natural_key(self, certification, slug):
        return self.get(certification__slug=certification, slug=slug)

    def topic_rows(self):
        """(domain id, certification id, weight_min, weight_max, topic id or None) for each of
        the domains' topics: plain rows in one query, no instances, no ordering joins."""
        return self.order_by().values_list(
            "pk", "certification_id", "weight_min", "weight_max", "topics"
        )


class SkillDomain(Verified, models.Model):
    """A section of an exam's blueprint and its weight, as a range of percentages."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="domains"
    )
    version = models.ForeignKey(ExamVersion, on_delete=models.CASCADE, related_name="domains")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    weight_min = models.DecimalField(max_digits=5, decimal_places=1)
    weight_max = models.DecimalField(max_digits=5, decimal_places=1)
    order = models.PositiveIntegerField(default=0)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    verified_on = models.DateField()
    topics = models.ManyToManyField(Topic, blank=True, related_name="domains")

    history = HistoricalRecords()
    objects = DomainQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "version", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "slug"], name="domain_unique_slug"),
            models.CheckConstraint(
                condition=Q(
                    weight_min__gte=0, weight_max__lte=100, weight_max__gte=F("weight_min")
                ),
                name="domain_weight_range",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.certification.natural_key(), self.slug)

    natural_key.dependencies = ["certs.certification", "certs.examversion", "certs.topic"]

    def clean(self):
        errors = {}
        if self.weight_min is not None and self.weight_max is not None:
            if self.weight_max < self.weight_min:
                errors["weight_max"] = "The upper weight cannot be below the lower one."
            if self.weight_min < 0 or self.weight_max > 100:
                errors["weight_max"] = "Weights are percentages between 0 and 100."
        if self.version_id and self.certification_id:
            if self.version.certification_id != self.certification_id:
                errors["version"] = "The version belongs to another certification."
        if errors:
            raise ValidationError(errors)

    @property
    def weight_label(self):
        low, high = _plain(self.weight_min), _plain(self.weight_max)
        return f"{low}%" if low == high else f"{low}–{high}%"


def _plain(number):
    """200.0 -> '200', 12.5 -> '12.5'."""
    return f"{number:f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:f}"


class Category(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class FeatureQuerySet(SlugQuerySet):
    def for_matrix(self):
        """Every row of the comparison with its category, in display order."""
        return self.select_related("category")


class Feature(models.Model):
    """A row of the comparison: what is compared, and the kind of value it holds."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        MONEY = "money", "Money"
        MINUTES = "minutes", "Minutes"
        MONTHS = "months", "Months"
        COUNT = "count", "Count"
        SCORE = "score", "Score"
        LEVEL = "level", "Level"

    slug = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=80)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="features")
    order = models.PositiveIntegerField(default=0)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    basis = models.CharField(
        max_length=12,
        choices=Basis.choices,
        default=Basis.FACT,
        help_text="Assessments are labelled as such everywhere they are shown.",
    )
    is_quick_fact = models.BooleanField(
        default=False, help_text="Shown in the quick facts of every certification page."
    )

    history = HistoricalRecords()
    objects = FeatureQuerySet.as_manager()

    class Meta:
        ordering = ["category__order", "order", "slug"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["certs.category"]


class Priority(models.Model):
    """Something a visitor can say matters to them on the comparison page ("cost", "renewal
    effort"…). It points at one row, or at one topic's share of the blueprint, and says which
    direction is better, so the page can say who leads on it."""

    class Prefer(models.TextChoices):
        LOWER = "lower", "Lower is better"
        HIGHER = "higher", "Higher is better"
        NEITHER = "neither", "Neither: it depends on the reader"

    slug = models.SlugField(max_length=40, unique=True, help_text="Carried in the URL.")
    label = models.CharField(max_length=80)
    help_text = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)
    feature = models.ForeignKey(
        Feature, null=True, blank=True, on_delete=models.CASCADE, related_name="priorities"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="priorities"
    )
    prefer = models.CharField(max_length=10, choices=Prefer.choices, default=Prefer.NEITHER)

    history = HistoricalRecords()
    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(feature__isnull=False, topic__isnull=True)
                | Q(feature__isnull=True, topic__isnull=False),
                name="priority_feature_xor_topic",
            )
        ]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["certs.feature", "certs.topic"]

    def clean(self):
        if bool(self.feature_id) == bool(self.topic_id):
            raise ValidationError("Point the priority at one row or at one topic, not both.")


class ValueQuerySet(models.QuerySet):
    def get_by_natural_key(self, certification, feature):
        return self.get(certification__slug=certification, feature__slug=feature)

    def for_pages(self):
        return self.select_related("source")

    def for_matrix(self, *, certifications, features) -> list["Value"]:
        """The values of these certifications, with the certification and feature objects
        already in hand attached rather than fetched again (a third of the instances per page),
        and the sources that disagree with a value or a lifecycle: two queries."""
        certs = {c.pk: c for c in certifications}
        by_id = {f.pk: f for f in features}
        values = list(self.for_pages().filter(certification__in=list(certs)))
        for value in values:
            value.certification = certs[value.certification_id]
            value.feature = by_id[value.feature_id]
        attach_disagreements(certifications=certifications, values=values)
        return values


class Value(Verified, models.Model):
    """A cell: what one certification says for one feature, with where it comes from."""

    class Availability(models.TextChoices):
        STATED = "stated", "Stated"
        NOT_DISCLOSED = "not_disclosed", "Not disclosed by the vendor"
        NOT_FOUND = "not_found", "Not found in our sources"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="values"
    )
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="values")
    availability = models.CharField(
        max_length=20, choices=Availability.choices, default=Availability.STATED
    )
    text = models.CharField(max_length=300, blank=True, help_text="The value as shown.")
    amount = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The number behind the text, for rows that can be sorted or derived.",
    )
    unit = models.CharField(max_length=10, blank=True, help_text="USD, min, months…")
    basis = models.CharField(max_length=12, choices=Basis.choices, default=Basis.FACT)
    note = models.TextField(blank=True)
    disagreement = models.TextField(
        blank=True, help_text="What other sources say where they disagree with this value."
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="values"
    )
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.CharField(
        max_length=150, blank=True, help_text="Who last checked it against the source."
    )

    history = HistoricalRecords()
    objects = ValueQuerySet.as_manager()

    other_sources = ()  # display only: further sources that say otherwise (attach_disagreements)

    class Meta:
        ordering = ["certification", "feature"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "feature"], name="value_one_per_certification_feature"
            ),
            models.CheckConstraint(
                condition=Q(basis=Basis.ASSESSMENT)
                | Q(source__isnull=False, verified_on__isnull=False),
                name="value_fact_has_source_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(availability="stated", text=""), name="value_stated_has_text"
            ),
        ]

    def __str__(self):
        return f"{self.certification.short_name} · {self.feature.label}: {self.display}"

    def natural_key(self):
        return (*self.certification.natural_key(), *self.feature.natural_key())

    natural_key.dependencies = ["certs.certification", "certs.feature", "certs.source"]

    def clean(self):
        errors = {}
        if self.basis == Basis.FACT:
            if not self.source_id:
                errors["source"] = "A fact needs a source."
            if not self.verified_on:
                errors["verified_on"] = "A fact needs the date it was verified."
        if self.availability == self.Availability.STATED and not self.text.strip():
            errors["text"] = (
                "Give the value, or say it is not disclosed, not found or not applicable."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def display(self):
        if self.availability == self.Availability.STATED:
            return self.text
        return self.get_availability_display()

    @property
    def is_assessment(self):
        return self.basis == Basis.ASSESSMENT


class Disagreement(models.Model):
    """A further source that says something else: about one value, or about a certification's
    lifecycle (its retirement date, say). The site shows both, not just the one we kept."""

    slug = models.SlugField(max_length=80, unique=True)
    value = models.ForeignKey(
        Value, null=True, blank=True, on_delete=models.CASCADE, related_name="disagreements"
    )
    certification = models.ForeignKey(
        Certification,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lifecycle_disagreements",
        help_text="Set this instead of a value when the disagreement is about the lifecycle.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    says = models.CharField(max_length=300, help_text="What this source says instead.")

    history = HistoricalRecords()
    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False, certification__isnull=True)
                | Q(value__isnull=True, certification__isnull=False),
                name="disagreement_about_one_thing",
            )
        ]

    def __str__(self):
        return f"{self.source.publisher}: {self.says}"

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["certs.value", "certs.certification", "certs.source"]

    def clean(self):
        if bool(self.value_id) == bool(self.certification_id):
            raise ValidationError("A disagreement is about one value or one lifecycle, not both.")


def publish_blockers(*, quick_features, values) -> list[str]:
    """Why a certification cannot be published: each quick-fact row that has no value, or whose
    fact lacks a source or a verified date. `values` are Value-like objects (saved or not)."""
    by_feature = {v.feature_id: v for v in values}
    blockers = []
    for feature in quick_features:
        value = by_feature.get(feature.pk)
        if value is None:
            blockers.append(
                f"{feature.label}: no value (use “not disclosed” if it is not published)"
            )
            continue
        missing = []
        if value.basis == Basis.FACT and not value.source_id:
            missing.append("a source")
        if value.basis == Basis.FACT and not value.verified_on:
            missing.append("a verified date")
        if value.availability == Value.Availability.STATED and not (value.text or "").strip():
            missing.append("its text")
        if missing:
            blockers.append(f"{feature.label}: needs {' and '.join(missing)}")
    return blockers


def last_reviewed(values: Iterable[Value]) -> datetime.date | None:
    """A page is as fresh as its oldest fact."""
    return min((v.verified_on for v in values if v.verified_on), default=None)


def attach_disagreements(
    *, certifications: Iterable[Certification], values: Iterable[Value]
) -> None:
    """Give each value its `other_sources` and each certification its `lifecycle_sources`:
    the further sources that say something else. One query for both kinds, however many
    there are; plain lists, far cheaper for templates than a related manager per object."""
    certs = {c.pk: c for c in certifications}
    by_value = {v.pk: v for v in values}
    for cert in certs.values():
        cert.lifecycle_sources = []
    for value in by_value.values():
        value.other_sources = []
    found = Disagreement.objects.select_related("source").filter(
        Q(value__certification__in=list(certs)) | Q(certification__in=list(certs))
    )
    for disagreement in found:
        if disagreement.certification_id:
            certs[disagreement.certification_id].lifecycle_sources.append(disagreement)
        elif disagreement.value_id in by_value:
            by_value[disagreement.value_id].other_sources.append(disagreement)


class FAQQuerySet(SlugQuerySet):
    def visible_to(self, user):
        """Everything for staff; for everyone else the entries about at least one published
        certification (an entry about drafts only would announce them)."""
        if user.is_staff:
            return self
        published = Certification.objects.published().filter(faq_entries=OuterRef("pk"))
        return self.filter(Exists(published))


class FAQEntry(Verified, models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    question = models.CharField(max_length=200)
    answer = models.TextField(help_text="Paragraphs separated by a blank line.")
    correction = models.TextField(
        blank=True, help_text="Where the original article said otherwise, what we corrected."
    )
    order = models.PositiveIntegerField(default=0)
    certifications = models.ManyToManyField(Certification, related_name="faq_entries")
    sources = models.ManyToManyField(Source, related_name="faq_entries", blank=True)
    verified_on = models.DateField()

    history = HistoricalRecords()
    objects = FAQQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self):
        return self.question

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["certs.certification", "certs.source"]


class MatchupQuerySet(PublishableQuerySet):
    def published(self):
        """A write-up is public only while both its certifications are: one can be taken back
        to draft after the write-up was published."""
        return self.filter(is_published=True, first__is_published=True, second__is_published=True)

    def among(self, certifications):
        """Write-ups whose two certifications are both in `certifications`."""
        return self.filter(first__in=certifications, second__in=certifications)

    def featured(self, user):
        """The home page's write-up with both certifications loaded for pages (their
        `public_successor` set), or None: two queries, cheaper than one join."""
        matchup = self.filter(is_featured=True).visible_to(user).first()
        if matchup is None:
            return None
        certs = Certification.objects.for_pages().in_bulk([matchup.first_id, matchup.second_id])
        matchup.first, matchup.second = certs[matchup.first_id], certs[matchup.second_id]
        show_public_successors((matchup.first, matchup.second), user=user)
        return matchup

    def of_pair(self, certifications, *, user):
        """The write-up of exactly these two certifications, pointing at the instances in
        hand, or None. Always one query, so the count does not depend on how many are
        compared."""
        matchups = list(self.visible_to(user).among(certifications))
        if not matchups or len(certifications) != 2:
            return None
        matchup, by_id = matchups[0], {c.pk: c for c in certifications}
        matchup.first, matchup.second = by_id[matchup.first_id], by_id[matchup.second_id]
        return matchup


class Matchup(Verified, models.Model):
    """A written-up head-to-head of two certifications (the seed article is the first)."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    first = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()
    choose_first_if = models.TextField()
    choose_second_if = models.TextField()
    first_wins = models.TextField(blank=True, help_text="Where the first one is stronger.")
    second_wins = models.TextField(blank=True, help_text="Where the second one is stronger.")
    is_featured = models.BooleanField(default=False, help_text="Shown on the home page.")
    is_published = models.BooleanField("published", default=False)
    verified_on = models.DateField()

    history = HistoricalRecords()
    objects = MatchupQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=~Q(first=F("second")), name="matchup_two_different"),
            models.UniqueConstraint(fields=["first", "second"], name="matchup_unique_pair"),
            models.UniqueConstraint(
                fields=["is_featured"], condition=Q(is_featured=True), name="matchup_one_featured"
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["certs.certification"]

    def clean(self):
        if self.first_id and self.first_id == self.second_id:
            raise ValidationError({"second": "Pick two different certifications."})
        if self.is_published and self.first_id and self.second_id:
            drafts = [c.short_name for c in (self.first, self.second) if not c.is_published]
            if drafts:
                raise ValidationError(
                    {
                        "is_published": f"Publish {' and '.join(drafts)} first: a write-up of a "
                        "draft certification cannot be public."
                    }
                )


class BlockQuerySet(models.QuerySet):
    def get_by_natural_key(self, matchup, slug):
        return self.get(matchup__slug=matchup, slug=slug)


class EditorialBlock(models.Model):
    """One part of a matchup's article: a bottom-line point, a profile, the trap, a quote…"""

    class Kind(models.TextChoices):
        BOTTOM_LINE = "bottom_line", "Bottom-line point"
        PROFILE = "profile", "Profile"
        TRAP = "trap", "The hidden trap"
        INSIGHT = "insight", "Expert view"
        CORRECTION = "correction", "Correction to the original article"

    class Stance(models.TextChoices):
        SOURCED = "sourced", "Sourced"
        OPINION = "opinion", "Editorial opinion"

    matchup = models.ForeignKey(Matchup, on_delete=models.CASCADE, related_name="blocks")
    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    heading = models.CharField(max_length=200)
    body = models.TextField(help_text="Paragraphs separated by a blank line.")
    certification = models.ForeignKey(
        Certification, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stance = models.CharField(max_length=10, choices=Stance.choices)
    attribution = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["matchup", "kind", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["matchup", "slug"], name="block_unique_slug"),
            models.CheckConstraint(
                condition=Q(stance="opinion") | Q(source__isnull=False),
                name="block_sourced_has_source",
            ),
        ]

    def __str__(self):
        return self.heading

    def natural_key(self):
        return (*self.matchup.natural_key(), self.slug)

    natural_key.dependencies = ["certs.matchup", "certs.source", "certs.certification"]

    def clean(self):
        if self.stance == self.Stance.SOURCED and not self.source_id:
            raise ValidationError({"source": "A sourced block needs its source."})


class Question(models.Model):
    """One page of the fit wizard. Its slug is the query-string key that carries the answer."""

    slug = models.SlugField(max_length=40, unique=True)
    text = models.CharField(max_length=200, help_text="Asked as the page's heading.")
    help_text = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (self.slug,)


class ChoiceQuerySet(models.QuerySet):
    def get_by_natural_key(self, question, slug):
        return self.get(question__slug=question, slug=slug)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    slug = models.SlugField(max_length=40, help_text="The value carried in the URL.")
    label = models.CharField(max_length=160)
    hint = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = ChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["question", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["question", "slug"], name="choice_unique_slug")
        ]

    def __str__(self):
        return f"{self.question.slug}: {self.label}"

    def natural_key(self):
        return (*self.question.natural_key(), self.slug)

    natural_key.dependencies = ["certs.question"]


class WeightQuerySet(models.QuerySet):
    def get_by_natural_key(self, question, choice, certification):
        return self.get(
            choice__question__slug=question, choice__slug=choice, certification__slug=certification
        )


class Weight(models.Model):
    """How much one answer counts for (or against) one certification, and why, in plain words."""

    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="weights")
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="weights"
    )
    points = models.SmallIntegerField(help_text="From -3 (a strong reason against) to 3.")
    reason = models.CharField(max_length=240, help_text="Shown to the visitor when this counts.")

    history = HistoricalRecords()
    objects = WeightQuerySet.as_manager()

    class Meta:
        ordering = ["choice", "certification"]
        constraints = [
            models.UniqueConstraint(fields=["choice", "certification"], name="weight_unique"),
            models.CheckConstraint(
                condition=Q(points__gte=-3, points__lte=3), name="weight_points_range"
            ),
            models.CheckConstraint(condition=~Q(points=0), name="weight_points_not_zero"),
        ]

    def __str__(self):
        return f"{self.choice} → {self.certification.short_name}: {self.points:+d}"

    def natural_key(self):
        return (*self.choice.natural_key(), *self.certification.natural_key())

    natural_key.dependencies = ["certs.choice", "certs.certification"]

    def clean(self):
        if self.points is not None and not (-3 <= self.points <= 3 and self.points != 0):
            raise ValidationError({"points": "Use a whole number from -3 to 3, other than 0."})


class ContentVersion(models.Model):
    """One row whose number changes whenever any content changes. Cached pages are keyed by it,
    so an edit is visible at once on every app server and nothing is invalidated by hand."""

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"content version {self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class FixtureConflict(models.Model):
    """A row that staff changed in the admin and that a later fixture load would have changed
    too. The staff's value is kept; staff take the fixture's version or keep theirs."""

    model = models.CharField(max_length=60, help_text="The content model, e.g. certs.value.")
    key = models.CharField(max_length=300, help_text="The row's natural key.")
    object_id = models.BigIntegerField()
    differences = models.TextField()
    fixture = models.TextField(help_text="The fixture's version of the row, as JSON.")
    detected_at = models.DateTimeField()

    class Meta:
        ordering = ["model", "key"]
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="fixtureconflict_unique_row")
        ]

    def __str__(self):
        return f"{self.model} {self.key}"


class FactToReverify(Value):
    """The admin's "to re-verify" list: facts whose verified date is older than the cadence."""

    class Meta:
        proxy = True
        verbose_name = "fact to re-verify"
        verbose_name_plural = "facts to re-verify"
