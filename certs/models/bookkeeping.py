"""Rows that are not content: the content version pages are cached under, the rows a fixture
load could not merge, and the last check of each source's URL."""

from django.db import models

from ..source_checks import Outcome, describe


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


class SourceCheck(models.Model):
    """What came back the last time check_sources requested a source's URL. Not content: it keeps
    no history and is written without touching the Source row, whose latest history entry is
    the revision every open admin form was opened on."""

    source = models.OneToOneField(
        "certs.Source",
        on_delete=models.CASCADE,
        # not "check": that name is taken by Model.check(), Django's system checks
        related_name="last_check",
    )
    url = models.URLField(max_length=400, help_text="The URL requested: the source's at the time.")
    checked_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=[(o.value, o.value) for o in Outcome])
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    moved_to = models.CharField(
        max_length=2000, blank=True, help_text="Where a redirect pointed, as the server said."
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["source"]

    def __str__(self):
        return f"{self.url}: {self.summary()} ({self.checked_at:%Y-%m-%d})"

    def summary(self) -> str:
        """The outcome with its status and where it moved, or the error, e.g. "moved 301 to
        https://example.com/new"."""
        return describe(self)
