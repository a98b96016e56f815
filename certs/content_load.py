"""Loading the fixtures into a database that staff may have edited.

The fixtures seed an empty database and are how content is reviewed in git; once staff edit in
the admin, the database is the source of truth. So a load merges row by row, using the history:

- a row new to the database is created, unless staff deleted it (it stays deleted, reported);
- a row nobody changed since the fixtures last loaded it takes the fixture's values;
- a row staff changed keeps the staff's values. When the fixture changed it too, that is a
  conflict: reported by the command and listed in the admin ("Fixture conflicts"), where staff
  take the fixture's version or keep theirs. Never overwritten silently.

"Changed by staff" means a history entry newer than the row's last "Loaded from fixtures" entry
(every admin save writes one). M2M links have no history of their own; a staff edit of them
comes with a save of their row, so it is seen all the same.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils import timezone

from .models import FixtureConflict
from .revisions import LOADER_REASON

# Sources and rows come before what cites them: a required foreign key cannot be left for
# later. Loaded in this order, as one transaction.
CONTENT_FILES = {
    "sources.json": ["certs.source"],
    "features.json": ["certs.category", "certs.feature", "certs.topic", "certs.priority"],
    "catalog.json": [
        "certs.vendor",
        "certs.focus",
        "certs.certification",
        "certs.relation",
        "certs.examversion",
        "certs.skilldomain",
        "certs.examlanguage",
    ],
    "values.json": ["certs.value", "certs.disagreement"],
    "market.json": ["certs.marketseries", "certs.marketfigure", "certs.marketstatement"],
    "faq.json": ["certs.faqentry"],
    "editorial.json": ["certs.matchup", "certs.editorialblock"],
    "wizard.json": ["certs.question", "certs.choice", "certs.weight"],
}


def content_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for labels in CONTENT_FILES.values() for label in labels]


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # staff edits the fixtures did not touch
    conflicts: list[str] = field(default_factory=list)
    still_deleted: list[str] = field(default_factory=list)
    history_entries: int = 0

    def lines(self) -> list[str]:
        out = [
            f"{len(self.created)} rows created, {len(self.updated)} updated from the fixtures, "
            f"{len(self.kept)} staff edits kept (fixture unchanged), "
            f"{len(self.conflicts)} conflicts, {len(self.still_deleted)} deleted rows left "
            f"deleted; {self.history_entries} history entries recorded"
        ]
        out += [f"CONFLICT {line}" for line in self.conflicts]
        out += [f"left deleted: {line}" for line in self.still_deleted]
        return out


def _label(obj) -> str:
    return f"{obj._meta.verbose_name} “{' / '.join(map(str, obj.natural_key()))}”"


def _shown(obj, field) -> str:
    value = getattr(obj, field.name)
    return "" if value is None else str(value)


def _values(obj, model) -> dict:
    return {
        f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if not f.primary_key
    }


def _links(obj, model) -> dict:
    return {
        f.name: set(getattr(obj, f.name).values_list("pk", flat=True))
        for f in model._meta.many_to_many
    }


class _History:
    """One model's rows and their history, each read once per load."""

    def __init__(self, model):
        self.model = model
        self.entries: dict[int, list] = {}
        rows = model.history.order_by("history_id").values_list(
            "id", "history_id", "history_type", "history_change_reason"
        )
        for pk, history_id, kind, reason in rows:
            self.entries.setdefault(pk, []).append((history_id, kind, reason))
        self.rows = {
            obj.pk: obj
            for obj in model._default_manager.prefetch_related(
                *[f.name for f in model._meta.many_to_many]
            )
        }
        self._deleted = None

    def staff_changed(self, pk) -> bool:
        """Whether a history entry newer than the row's last fixture load exists (or the row
        has history but was never loaded: staff created it)."""
        entries = self.entries.get(pk, [])
        loads = [e for e in entries if e[2] == LOADER_REASON]
        return bool(entries) and (not loads or entries[-1][0] != loads[-1][0])

    def last_load(self, pk):
        """The row's last "Loaded from fixtures" entry, or None."""
        loads = [e for e in self.entries.get(pk, []) if e[2] == LOADER_REASON]
        return self.model.history.get(history_id=loads[-1][0]) if loads else None

    def deleted_keys(self) -> set[tuple]:
        """Natural keys of rows whose latest history entry is their deletion."""
        if self._deleted is None:
            self._deleted = set()
            gone = [pk for pk, entries in self.entries.items() if entries[-1][1] == "-"]
            for record in self.model.history.filter(id__in=gone, history_type="-"):
                try:
                    self._deleted.add(tuple(record.instance.natural_key()))
                except ObjectDoesNotExist:  # its parent is gone too: covered by the parent
                    pass
        return self._deleted


def merge(paths: list[Path]) -> LoadReport:
    """Load the fixture files in `paths` (in CONTENT_FILES order) into the database."""
    report, histories, deferred, synced = LoadReport(), {}, [], []
    seen_conflicts = set()
    with transaction.atomic():
        for path in paths:
            for raw in json.loads(path.read_text(encoding="utf-8")):
                model = apps.get_model(raw["model"])
                if model not in histories:
                    histories[model] = _History(model)
                history = histories[model]
                (item,) = serializers.deserialize("python", [raw], handle_forward_references=True)
                obj = item.object
                if obj.pk is None:
                    _create(item, raw, history, report, deferred)
                    continue
                current = history.rows[obj.pk]
                fixture_links = {name: set(pks) for name, pks in item.m2m_data.items()}
                same = (
                    not item.deferred_fields
                    and _values(obj, model) == _values(current, model)
                    and fixture_links == _links(current, model)
                )
                staff_since = history.staff_changed(obj.pk)
                if same:
                    if staff_since:  # staff's value now agrees with the fixtures: in sync again
                        synced.append(current)
                    continue
                if not staff_since:
                    item.save()
                    report.updated.append(_label(current))
                    if item.deferred_fields:
                        deferred.append(item)
                    continue
                last = history.last_load(obj.pk)
                if last is not None and _values(last, model) == _values(obj, model):
                    report.kept.append(_label(current))
                    continue
                line = _conflict(model, current, obj, fixture_links, raw)
                seen_conflicts.add((raw["model"], line.key))
                report.conflicts.append(f"{_label(current)}: {line.differences}")
        for item in deferred:
            item.save_deferred_fields()
        # Conflicts that no longer arise (the fixture or staff came round) are cleared.
        for conflict in FixtureConflict.objects.all():
            if (conflict.model, conflict.key) not in seen_conflicts:
                conflict.delete()
        report.history_entries = record_history(also=synced)
    return report


def _create(item, raw, history, report, deferred):
    obj = item.object
    if any(not f.null for f in item.deferred_fields):  # its parent was deleted and stays so
        parents = ", ".join(f"{f.name} {key}" for f, key in item.deferred_fields.items())
        report.still_deleted.append(f"{obj._meta.verbose_name} of the deleted {parents}")
        return
    if tuple(obj.natural_key()) in history.deleted_keys():
        report.still_deleted.append(_label(obj))
        return
    item.save()
    report.created.append(_label(obj))
    if item.deferred_fields:
        deferred.append(item)


def _conflict(model, current, obj, fixture_links, raw):
    differences = [
        f"{f.verbose_name}: fixture “{_shown(obj, f)}”, database “{_shown(current, f)}”"
        for f in model._meta.concrete_fields
        if not f.primary_key and getattr(obj, f.attname) != getattr(current, f.attname)
    ]
    current_links = _links(current, model)
    differences += [
        f"{model._meta.get_field(name).verbose_name}: the fixture links others"
        for name, pks in fixture_links.items()
        if pks != current_links.get(name)
    ]
    key = " / ".join(map(str, current.natural_key()))
    conflict, _ = FixtureConflict.objects.update_or_create(
        model=raw["model"],
        key=key,
        defaults={
            "object_id": current.pk,
            "differences": "; ".join(differences),
            "fixture": json.dumps(raw, ensure_ascii=False, sort_keys=True),
            "detected_at": timezone.now(),
        },
    )
    return conflict


def record_history(*, also=()) -> int:
    """Loading saves rows raw, which django-simple-history does not record. Give each row a
    history entry when it has none, or when it differs from its latest entry, and leave every
    unchanged row alone, so loading the same fixtures again adds nothing. Rows in `also` (staff
    values the fixtures now agree with) get an entry too: they are in sync with the fixtures."""
    now, created = timezone.now(), 0
    again = {(type(obj), obj.pk) for obj in also}
    for model in content_models():
        history = model.history.model
        fields = [f.attname for f in model._meta.fields]
        latest = {}
        for record in history.objects.order_by("history_date", "history_id"):
            latest[record.id] = record
        new = []
        for obj in model._default_manager.all():
            last = latest.get(obj.pk)
            same = last and all(getattr(last, f) == getattr(obj, f) for f in fields)
            if same and (model, obj.pk) not in again:
                continue
            new.append(
                history(
                    **{f: getattr(obj, f) for f in fields},
                    history_date=now,
                    history_type="~" if last else "+",
                    history_change_reason=LOADER_REASON,
                )
            )
        history.objects.bulk_create(new)
        created += len(new)
    return created


def is_empty() -> bool:
    return not any(model._default_manager.exists() for model in content_models())


def reset() -> None:
    """Delete every content row, its history and the conflicts: a development database back to
    nothing, ready to be seeded again. Users are kept."""
    with transaction.atomic():
        for model in reversed(content_models()):
            model._default_manager.all().delete()
            model.history.all().delete()
        FixtureConflict.objects.all().delete()


def take_fixture_version(conflict, *, user) -> None:
    """Resolve a conflict in the fixture's favour: the row gets the fixture's values, saved as a
    normal edit (history with who and why, the content version bumped)."""
    (item,) = serializers.deserialize("python", [json.loads(conflict.fixture)])
    obj = item.object
    obj._change_reason = "Took the fixture's version over a staff edit"
    obj._history_user = user
    obj.save()
    for name, pks in item.m2m_data.items():
        getattr(obj, name).set(pks)
    conflict.delete()
