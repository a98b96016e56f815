"""The public record of what changed, built from the history staff edits leave behind, and the
calendar of lifecycle dates. Plain functions over rows the views fetch in a constant number of
queries; nothing here knows about requests."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Certification, ExamVersion, Feature, Source, Status, Value

# Only what a reader sees counts as a change; a re-verification alone is not news.
SHOWN_FIELDS = ("availability", "text", "amount", "unit", "source_id")


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    certification: Certification
    feature_label: str
    feature_slug: str
    before: str
    after: str
    source: Source | None
    reason: str

    @property
    def summary(self) -> str:
        return (
            f"{self.feature_label} of {self.certification.short_name} changed from "
            f"“{self.before}” to “{self.after}” on {self.when:%Y-%m-%d}"
        )


def _shown(record) -> str:
    if record.availability == "stated":
        return record.text
    return dict(record._meta.get_field("availability").choices).get(record.availability, "")


def value_changes(
    *,
    records: Iterable,
    certifications: dict[int, Certification],
    features: dict[int, tuple[str, str]],
    sources: dict[int, Source],
    limit: int = 100,
) -> list[Change]:
    """Pair each historical value row with the one before it (same value, earlier) and keep the
    pairs where something a reader sees changed, newest first. `records` are HistoricalValue
    rows of published certifications, in any order; `features` maps id -> (label, slug)."""
    by_value: dict[int, list] = {}
    for record in records:
        by_value.setdefault(record.id, []).append(record)
    changes = []
    for history in by_value.values():
        history.sort(key=lambda r: (r.history_date, r.history_id))
        for before, after in zip(history, history[1:], strict=False):
            if after.history_type != "~":
                continue
            if all(getattr(before, f) == getattr(after, f) for f in SHOWN_FIELDS):
                continue
            cert = certifications.get(after.certification_id)
            if cert is None:
                continue
            label, slug = features.get(after.feature_id, ("A value", ""))
            changes.append(
                Change(
                    when=after.history_date,
                    certification=cert,
                    feature_label=label,
                    feature_slug=slug,
                    before=_shown(before),
                    after=_shown(after),
                    source=sources.get(after.source_id),
                    reason=after.history_change_reason or "",
                )
            )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


@dataclass(frozen=True)
class LifecycleEvent:
    date: datetime.date
    certification: Certification
    what: str
    source: Source
    kind: str = "guide"  # beta, retirement, status or guide: the shape it gets on the timeline


def lifecycle_events(
    *, certifications: Sequence[Certification], versions: Sequence[ExamVersion]
) -> list[LifecycleEvent]:
    """Every dated lifecycle fact: betas, retirements, exam versions starting and ending."""
    events = []
    for cert in certifications:
        if cert.status_date is None:
            continue
        what = {
            Status.BETA: "beta opens",
            Status.RETIRING: "retires",
            Status.RETIRED: "retired",
            Status.ACTIVE: "status date",
        }[cert.status]
        if cert.public_successor and cert.status in (Status.RETIRING, Status.RETIRED):
            what += f"; replaced by {cert.public_successor.short_name}"
        kind = {Status.BETA: "beta", Status.ACTIVE: "status"}.get(cert.status, "retirement")
        events.append(LifecycleEvent(cert.status_date, cert, what, cert.status_source, kind))
    for version in versions:
        if version.starts_on:
            events.append(
                LifecycleEvent(
                    version.starts_on,
                    version.certification,
                    f"{version.label} starts",
                    version.source,
                )
            )
        if version.ends_on:
            events.append(
                LifecycleEvent(
                    version.ends_on,
                    version.certification,
                    f"{version.label} ends",
                    version.source,
                )
            )
    events.sort(key=lambda e: (e.date, e.certification.slug, e.what))
    return events


def split_by(events: list[LifecycleEvent], today: datetime.date):
    """(upcoming soonest first, past most recent first)."""
    upcoming = [e for e in events if e.date >= today]
    past = [e for e in events if e.date < today]
    return upcoming, list(reversed(past))


def change_log(*, certification=None, limit=100):
    """Changes to published facts (optionally of one certification), newest first: for the
    change-log pages and their feeds."""
    published = {c.pk: c for c in Certification.objects.published()}
    records = Value.history.filter(certification_id__in=list(published))
    if certification is not None:
        records = records.filter(certification_id=certification.pk)
    changed_values = records.filter(history_type="~").values("id")
    return value_changes(
        records=records.filter(id__in=changed_values),
        certifications=published,
        features={f.pk: (f.label, f.slug) for f in Feature.objects.only("label", "slug")},
        sources={s.pk: s for s in Source.objects.all()},
        limit=limit,
    )
