"""The comparison's rows and cells: categories, features (rows), values (cells) with their
sources, the sources that disagree, and what a visitor may prioritise."""

import datetime
from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from .base import (
    Basis,
    ContentModel,
    NamedTerm,
    Rule,
    SlugContentModel,
    SlugQuerySet,
    Verified,
    slug_natural_key,
)
from .catalog import Certification, Source, Topic, cited_source


class Category(NamedTerm):
    """A group of the comparison's rows (at a glance, exam logistics, keeping the credential…)."""

    slug = models.SlugField(max_length=60, unique=True)

    class Meta(NamedTerm.Meta):
        verbose_name_plural = "categories"


class FeatureQuerySet(SlugQuerySet):
    def for_matrix(self):
        """Every row of the comparison with its category, in display order."""
        return self.select_related("category")


class Feature(SlugContentModel):
    """A row of the comparison: what is compared, and the kind of value it holds."""

    class Kind(models.TextChoices):
        TEXT = "text"
        MONEY = "money"
        MINUTES = "minutes"
        MONTHS = "months"
        COUNT = "count"
        SCORE = "score"
        LEVEL = "level"

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

    objects = FeatureQuerySet.as_manager()

    class Meta:
        ordering = ["category__order", "order", "slug"]

    def __str__(self):
        return self.label

    natural_key = slug_natural_key("certs.category")


class Priority(SlugContentModel):
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

    class Meta:
        ordering = ["order", "slug"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(feature__isnull=False, topic__isnull=True)
                | Q(feature__isnull=True, topic__isnull=False),
                name="priority_feature_xor_topic",
                violation_error_message="Point the priority at one row or at one topic, not both.",
            )
        ]

    def __str__(self):
        return self.label

    natural_key = slug_natural_key("certs.feature", "certs.topic")


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
        # Unordered: callers index them by (certification, feature), and the default ordering
        # would join four tables to sort them.
        values = list(self.for_pages().filter(certification__in=list(certs)).order_by())
        for value in values:
            value.certification = certs[value.certification_id]
            value.feature = by_id[value.feature_id]
        attach_disagreements(certifications=certifications, values=values)
        return values


class Value(Verified, ContentModel):
    """A cell: what one certification says for one feature, with where it comes from."""

    class Availability(models.TextChoices):
        STATED = "stated"
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

    objects = ValueQuerySet.as_manager()

    other_sources = ()  # display only: further sources that say otherwise (attach_disagreements)

    class Meta:
        ordering = ["certification", "feature"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "feature"], name="value_one_per_certification_feature"
            ),
            Rule(
                condition=Q(basis=Basis.ASSESSMENT) | Q(source__isnull=False),
                name="value_fact_has_source",
                field="source",
                violation_error_message="A fact needs a source.",
            ),
            Rule(
                condition=Q(basis=Basis.ASSESSMENT) | Q(verified_on__isnull=False),
                name="value_fact_has_verified_date",
                field="verified_on",
                violation_error_message="A fact needs the date it was verified.",
            ),
            Rule(
                condition=~Q(availability="stated", text=""),
                name="value_stated_has_text",
                field="text",
                violation_error_message="Give the value, or say it is not disclosed, not found "
                "or not applicable.",
            ),
        ]

    def __str__(self):
        return f"{self.certification.short_name} · {self.feature.label}: {self.display}"

    def natural_key(self):
        return (*self.certification.natural_key(), *self.feature.natural_key())

    natural_key.dependencies = ["certs.certification", "certs.feature", "certs.source"]

    @property
    def display(self):
        if self.availability == self.Availability.STATED:
            return self.text
        return self.get_availability_display()

    @property
    def is_assessment(self):
        return self.basis == Basis.ASSESSMENT


class Disagreement(SlugContentModel):
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
    source = cited_source()
    says = models.CharField(max_length=300, help_text="What this source says instead.")

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False, certification__isnull=True)
                | Q(value__isnull=True, certification__isnull=False),
                name="disagreement_about_one_thing",
                violation_error_message="A disagreement is about one value or one lifecycle, "
                "not both.",
            )
        ]

    def __str__(self):
        return f"{self.source.publisher}: {self.says}"

    natural_key = slug_natural_key("certs.value", "certs.certification", "certs.source")


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


class FactToReverify(Value):
    """The admin's "to re-verify" list: facts whose verified date is older than the cadence."""

    class Meta:
        proxy = True
        verbose_name = "fact to re-verify"
        verbose_name_plural = "facts to re-verify"
