"""The market behind the choice: sourced figures (cloud spending shares, skills in job postings,
Azure's revenue growth, pay premiums), each series with what exactly it counts and the plain
statement we can make from it, and statements where no reliable figure exists. Edited in the
admin with sources and dates like every fact."""

from django.db import models
from django.db.models import Prefetch, Q

from .base import Rule, SlugContentModel, SlugQuerySet, Verified, slug_natural_key
from .catalog import Source, cited_source


class MarketSeriesQuerySet(SlugQuerySet):
    def for_page(self):
        """Every series with its figures (and their sources), its further sources and its
        statements (and theirs): five queries, however many rows."""
        return self.prefetch_related(
            Prefetch("figures", queryset=MarketFigure.objects.select_related("source")),
            "sources",
            Prefetch("statements", queryset=MarketStatement.objects.prefetch_related("sources")),
        )


class MarketSeries(Verified, SlugContentModel):
    """A set of figures from one source's way of counting, shown together: one chart and one
    table. Two firms that count differently (Synergy and Canalys) are two series, never one."""

    slug = models.SlugField(max_length=60, unique=True, help_text="The page anchor: /market/#slug")
    title = models.CharField(max_length=120)
    measures = models.TextField(help_text="What exactly the figures count, in plain words.")
    statement = models.TextField(
        blank=True, help_text="What can honestly be said from these figures, shown with them."
    )
    is_charted = models.BooleanField(
        "chart", default=True, help_text="Draw the figures as a bar chart beside their table."
    )
    order = models.PositiveIntegerField(default=0)
    sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="market_series",
        help_text="Further sources behind the statement; each figure names its own.",
    )
    verified_on = models.DateField(help_text="When the statement was last checked.")

    objects = MarketSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = verbose_name_plural = "market series"

    def __str__(self):
        return self.title

    natural_key = slug_natural_key("certs.source")


class MarketFigure(Verified, SlugContentModel):
    """One sourced number: a share, a growth rate or a pay premium, for one period."""

    class Unit(models.TextChoices):
        SHARE = "share", "% of a whole (0 to 100)"
        GROWTH = "growth", "% change on a year earlier"
        PREMIUM = "premium", "% of base pay"

    series = models.ForeignKey(MarketSeries, on_delete=models.CASCADE, related_name="figures")
    slug = models.SlugField(max_length=80, unique=True)
    label = models.CharField(max_length=80, help_text="Who or what the figure is about: AWS…")
    value = models.DecimalField(max_digits=7, decimal_places=1)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.SHARE)
    period = models.CharField(max_length=80, help_text="The period it covers: Q3 2025…")
    measures = models.TextField(help_text="What exactly this figure counts.")
    source = cited_source()
    verified_on = models.DateField()
    note = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["series", "order", "slug"]
        constraints = [
            Rule(
                condition=~Q(unit="share") | Q(value__gte=0, value__lte=100),
                name="marketfigure_share_is_a_percentage",
                field="value",
                violation_error_message="A share is a percentage between 0 and 100.",
            ),
            Rule(
                condition=~Q(unit="growth") | Q(value__gte=-100),
                name="marketfigure_fall_at_most_everything",
                field="value",
                violation_error_message="Nothing falls by more than 100%%.",
            ),
            Rule(
                condition=~Q(unit="premium") | Q(value__gte=0),
                name="marketfigure_premium_not_negative",
                field="value",
                violation_error_message="A pay premium is not negative.",
            ),
        ]

    def __str__(self):
        return f"{self.label}, {self.period}: {self.display}"

    natural_key = slug_natural_key("certs.marketseries", "certs.source")

    @property
    def display(self) -> str:
        """29%, +40% (a growth rate), 9.5% of base pay."""
        number = f"{self.value:f}".rstrip("0").rstrip(".") if self.value is not None else "?"
        if self.unit == self.Unit.GROWTH and self.value is not None and self.value > 0:
            number = f"+{number}"
        return f"{number}% of base pay" if self.unit == self.Unit.PREMIUM else f"{number}%"


class MarketStatement(Verified, SlugContentModel):
    """What we say in words beside a series: where no reliable figure exists (and which claims
    circulate without one), or a number given as context and deliberately not charted."""

    class Kind(models.TextChoices):
        NO_FIGURE = "no_figure", "No reliable figure"
        CONTEXT = "context", "Context, not charted"

    series = models.ForeignKey(MarketSeries, on_delete=models.CASCADE, related_name="statements")
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    heading = models.CharField(max_length=160)
    text = models.TextField(help_text="Paragraphs separated by a blank line.")
    sources = models.ManyToManyField(Source, blank=True, related_name="market_statements")
    verified_on = models.DateField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["series", "order", "slug"]

    def __str__(self):
        return self.heading

    natural_key = slug_natural_key("certs.marketseries", "certs.source")
