"""What every content model shares: freshness against the review cadence, the slug natural
key that lets fixtures load again and again without duplicates, and the draft/published
switch."""

import datetime
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
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

    @cached_property
    def freshness(self):
        # Cached on the instance: a comparison reads it several times per cell, and an
        # instance lives for one request, within one day.
        return self.freshness_on(timezone.localdate())

    def freshness_on(self, today: datetime.date):
        return freshness_of(
            self.verified_on, today=today, cadence_days=settings.REVIEW_CADENCE_DAYS
        )


class Basis(models.TextChoices):
    """A fact can be checked against a source; an assessment is our (or the seed's) judgement."""

    FACT = "fact"
    ASSESSMENT = "assessment", "Editorial assessment"


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PublishableQuerySet(SlugQuerySet):
    """For models with a draft/published switch."""

    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Everything for staff (drafts are previewable), published ones for everyone else."""
        return self if user.is_staff else self.published()


class Rule(models.CheckConstraint):
    """A rule written once: the database enforces it, and a form that breaks it shows its
    message beside `field` (Django reports a plain check constraint above the whole form)."""

    def __init__(self, *, field: str, **kwargs):
        self.field = field
        super().__init__(**kwargs)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        # A form never has the primary key as a field, yet it is known (or None, for a new row):
        # rules comparing with it ("not its own successor") must still run in forms.
        if exclude:
            exclude = {name for name in exclude if name not in (model._meta.pk.name, "pk")}
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}

    def __eq__(self, other):
        return super().__eq__(other) and getattr(other, "field", None) == self.field


def unique_slug_within(parent: str, *, name: str) -> models.UniqueConstraint:
    """A child row's natural key: its slug, unique among the rows of one `parent` (a version's
    slug within its certification's versions)."""
    return models.UniqueConstraint(fields=[parent, "slug"], name=name)


class ContentHistory(HistoricalRecords):
    """History for every concrete content model. A proxy (an admin list of some of a model's
    rows) shares its model's history rather than keeping one of its own."""

    def finalize(self, sender, **kwargs):
        if not sender._meta.proxy:
            super().finalize(sender, **kwargs)


class ContentModel(models.Model):
    """Every content model keeps its history: who changed what, when and why, with a
    field-by-field diff and revert in the admin (django-simple-history)."""

    history = ContentHistory(inherit=True)

    class Meta:
        abstract = True


def slug_natural_key(*dependencies: str):
    """A slug model's natural key, naming the models (`"certs.source"`) whose rows a fixture
    must hold before its own: dumpdata orders the rows by them."""

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = list(dependencies)
    return natural_key


def natural_key_within(parent: str, *dependencies: str):
    """The natural key of a row whose slug is unique within `parent` (`unique_slug_within`): the
    parent's natural key, then the slug. `dependencies` as for `slug_natural_key`."""

    def natural_key(self):
        return (*getattr(self, parent).natural_key(), self.slug)

    natural_key.dependencies = list(dependencies)
    return natural_key


class SlugContentModel(ContentModel):
    """A content model addressed by its own unique slug, in fixtures and in URLs."""

    objects = SlugQuerySet.as_manager()
    natural_key = slug_natural_key()

    class Meta:
        abstract = True


class NamedTerm(SlugContentModel):
    """An entry of a short list that staff name and put in order (the categories of the
    comparison's rows, skill topics, the catalog's focuses): shown by its name, listed by
    `order`, addressed by its slug (declared by each list, with its own length and help)."""

    name = models.CharField(max_length=80)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name
