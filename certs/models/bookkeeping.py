"""Rows that are not content: the content version pages are cached under, and the rows a
fixture load could not merge."""

from django.db import models


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
