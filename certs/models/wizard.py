"""The fit wizard's questions, their choices, and per choice and certification a weight
with the reason shown to the visitor."""

from django.db import models
from django.db.models import Q

from .base import (
    ContentModel,
    Rule,
    SlugContentModel,
    SlugQuerySet,
    natural_key_within,
    unique_slug_within,
)
from .catalog import Certification, Vendor


class QuestionQuerySet(SlugQuerySet):
    def for_wizard(self) -> list["Question"]:
        """Every question in order, each with `offered`: its choices as a visitor sees them.
        Three queries, however many questions, choices and vendors."""
        questions = list(self.prefetch_related("choices"))
        bookable = Certification.objects.published().bookable()
        vendors = list(Vendor.objects.filter(certifications__in=bookable).distinct())
        for question in questions:
            question.offered = offered_choices(list(question.choices.all()), vendors)
        return questions


def offered_choices(choices: list["Choice"], vendors: list[Vendor]) -> list["Choice"]:
    """The platform question (the one whose choices name vendors) also offers every vendor
    with a bookable certification that no choice names yet, under the vendor's own name and
    slug, so a vendor staff add appears without a code change. Those choices are not saved:
    a platform answer is eligibility, not preference, so it carries no weights. Platforms
    come first in the vendors' order, then the other answers ("none yet", "several")."""
    named = {c.platform_id for c in choices if c.platform_id}
    if not named:
        return choices
    taken = {c.slug for c in choices}
    extra = [
        Choice(
            question=choices[0].question,
            slug=vendor.slug if vendor.slug not in taken else f"vendor-{vendor.slug}",
            label=vendor.name,
            hint=vendor.get_kind_display(),
            platform=vendor,
        )
        for vendor in vendors
        if vendor.slug not in named
    ]
    position = {vendor.slug: vendor.order for vendor in vendors}

    def key(choice):
        if choice.platform_id:
            return (0, position.get(choice.platform_id, choice.order), choice.slug)
        return (1, choice.order, choice.slug)

    return sorted(choices + extra, key=key)


class Question(SlugContentModel):
    """One page of the fit wizard. Its slug is the query-string key that carries the answer."""

    slug = models.SlugField(max_length=40, unique=True)
    text = models.CharField(max_length=200, help_text="Asked as the page's heading.")
    help_text = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = QuestionQuerySet.as_manager()

    # Display only, never saved: the choices as offered, set by `for_wizard()`.
    offered = ()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self):
        return self.text


class ChoiceQuerySet(models.QuerySet):
    def get_by_natural_key(self, question, slug):
        return self.get(question__slug=question, slug=slug)


class Choice(ContentModel):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    slug = models.SlugField(max_length=40, help_text="The value carried in the URL.")
    label = models.CharField(max_length=160)
    hint = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)
    platform = models.ForeignKey(
        Vendor,
        to_field="slug",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="For the platform question: the vendor whose exams this answer makes eligible "
        "(exams of other vendors are listed apart). Blank: every platform. A vendor without a "
        "choice of its own is offered under its name.",
    )

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["question", "order", "slug"]
        constraints = [unique_slug_within("question", name="choice_unique_slug")]

    def __str__(self):
        return f"{self.question.slug}: {self.label}"

    natural_key = natural_key_within("question", "certs.question")


POINTS = "Use a whole number from -3 to 3, other than 0."


class WeightQuerySet(models.QuerySet):
    def get_by_natural_key(self, question, choice, certification):
        return self.get(
            choice__question__slug=question, choice__slug=choice, certification__slug=certification
        )


class Weight(ContentModel):
    """How much one answer counts for (or against) one certification, and why, in plain words."""

    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="weights")
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="weights"
    )
    points = models.SmallIntegerField(help_text="From -3 (a strong reason against) to 3.")
    reason = models.CharField(max_length=240, help_text="Shown to the visitor when this counts.")

    objects = WeightQuerySet.as_manager()

    class Meta:
        ordering = ["choice", "certification"]
        constraints = [
            models.UniqueConstraint(fields=["choice", "certification"], name="weight_unique"),
            Rule(
                condition=Q(points__gte=-3, points__lte=3),
                name="weight_points_range",
                field="points",
                violation_error_message=POINTS,
            ),
            Rule(
                condition=~Q(points=0),
                name="weight_points_not_zero",
                field="points",
                violation_error_message=POINTS,
            ),
        ]

    def __str__(self):
        return f"{self.choice} → {self.certification.short_name}: {self.points:+d}"

    def natural_key(self):
        return (*self.choice.natural_key(), *self.certification.natural_key())

    natural_key.dependencies = ["certs.choice", "certs.certification"]
