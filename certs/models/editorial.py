"""The editorial around the facts: FAQ entries and the written-up head-to-heads (matchups)
with their blocks (bottom line, profiles, the trap, the expert view, corrections)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from .base import (
    ContentModel,
    PublishableQuerySet,
    Rule,
    SlugContentModel,
    SlugQuerySet,
    Verified,
    natural_key_within,
    slug_natural_key,
    unique_slug_within,
)
from .catalog import Certification, Source, show_public_successors
from .market import MarketSeries


def market_series_link(help_text: str) -> models.ForeignKey:
    """An optional link from a piece of editorial to the market figures behind it; deleting the
    series only drops the link."""
    return models.ForeignKey(
        MarketSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


class FAQQuerySet(SlugQuerySet):
    def visible_to(self, user):
        """Everything for staff; for everyone else the entries about at least one published
        certification (an entry about drafts only would announce them)."""
        if user.is_staff:
            return self
        published = Certification.objects.published().filter(faq_entries=OuterRef("pk"))
        return self.filter(Exists(published))


class FAQEntry(Verified, SlugContentModel):
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
    market_series = market_series_link(
        "The market figures that bear on this answer; the answer links to them."
    )

    objects = FAQQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self):
        return self.question

    natural_key = slug_natural_key("certs.certification", "certs.source", "certs.marketseries")


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
        pair = [matchup.first_id, matchup.second_id]
        certs = Certification.objects.for_pages().order_by().in_bulk(pair)  # a dict: no sort
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


class Matchup(Verified, SlugContentModel):
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

    objects = MatchupQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            Rule(
                condition=~Q(first=F("second")),
                name="matchup_two_different",
                field="second",
                violation_error_message="Pick two different certifications.",
            ),
            models.UniqueConstraint(fields=["first", "second"], name="matchup_unique_pair"),
            models.UniqueConstraint(
                fields=["is_featured"], condition=Q(is_featured=True), name="matchup_one_featured"
            ),
        ]

    def __str__(self):
        return self.title

    natural_key = slug_natural_key("certs.certification")

    def clean(self):
        # Across tables (the certifications' own switches), so no check constraint can say it.
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

    def of_matchup(self, matchup):
        """One write-up's blocks in display order, with their sources and market links (sorted
        on their own columns: the default ordering starts with the matchup, a join)."""
        return (
            self.filter(matchup=matchup)
            .select_related("source", "market_series")
            .order_by("kind", "order", "slug")
        )


class EditorialBlock(ContentModel):
    """One part of a matchup's article: a bottom-line point, a profile, the trap, a quote…"""

    class Kind(models.TextChoices):
        BOTTOM_LINE = "bottom_line", "Bottom-line point"
        PROFILE = "profile"
        TRAP = "trap", "The hidden trap"
        INSIGHT = "insight", "Expert view"
        CORRECTION = "correction", "Correction to the original article"

    class Stance(models.TextChoices):
        SOURCED = "sourced"
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
    market_series = market_series_link(
        "The market figures that bear on this claim; the block links to them."
    )

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["matchup", "kind", "order", "slug"]
        constraints = [
            unique_slug_within("matchup", name="block_unique_slug"),
            Rule(
                condition=Q(stance="opinion") | Q(source__isnull=False),
                name="block_sourced_has_source",
                field="source",
                violation_error_message="A sourced block needs its source.",
            ),
        ]

    def __str__(self):
        return self.heading

    natural_key = natural_key_within(
        "matchup", "certs.matchup", "certs.source", "certs.certification", "certs.marketseries"
    )
