"""No silent overwrite: an admin form remembers which revision of its row it was opened on, and a
save is refused when someone else has changed the row since.

A row's revision is its latest history entry (django-simple-history writes one with every save,
the fixture loader included), so no extra column is needed and every writer is covered. The check
runs inside the admin's save transaction with the row locked (SELECT … FOR UPDATE on PostgreSQL;
SQLite's IMMEDIATE transactions already let one writer in at a time), so two editors saving at
the same instant cannot both pass it.
"""

import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

LOADER_REASON = "Loaded from fixtures"


def _history(model):
    return model._meta.concrete_model.history


def latest_revision(model, pk) -> int:
    """The id of the row's latest history entry; 0 for a row that has none."""
    return _history(model).filter(id=pk).aggregate(latest=Max("history_id"))["latest"] or 0


def revision_subquery(model) -> Subquery:
    """`latest_revision` for every row of a changelist, in the same query."""
    latest = _history(model).filter(id=OuterRef("pk")).order_by("-history_id")
    return Subquery(latest.values("history_id")[:1])


def lock_row(model, pk) -> None:
    """Hold the row until the save commits, so a colleague's save waits for this one."""
    list(model._meta.concrete_model._default_manager.select_for_update().filter(pk=pk).values("pk"))


def _author(record) -> str:
    if record.history_user_id:
        return record.history_user.get_username()
    if record.history_change_reason == LOADER_REASON:
        return "the fixture loader"
    return "someone (no user recorded)"


def _shown(model, field_name, value) -> str:
    field = model._meta.get_field(field_name)
    if value in (None, ""):
        return "(empty)"
    if field.is_relation and field.many_to_one:
        try:
            return str(field.related_model._default_manager.get(pk=value))
        except ObjectDoesNotExist:
            return f"(deleted #{value})"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _record(model, pk, revision):
    if not revision:
        return None
    return _history(model).filter(id=pk, history_id=revision).first()


def their_changes(model, pk, seen: int) -> dict | None:
    """What others changed since revision `seen`: {field name: ModelChange}; None when the
    revision the form was opened on is unknown (then everything may have changed)."""
    opened = _record(model, pk, seen)
    latest = _record(model, pk, latest_revision(model, pk))
    if opened is None or latest is None:
        return None
    return {change.field: change for change in latest.diff_against(opened).changes}


def describe_changes(model, pk, seen: int, changes: dict | None) -> str:
    """Who changed this row since revision `seen`, and what each changed field now holds."""
    later = list(
        _history(model)
        .filter(id=pk, history_id__gt=seen)
        .select_related("history_user")
        .order_by("history_id")
    )
    latest = later[-1]
    if changes is None:
        what = "its content"
    else:
        what = "; ".join(
            f"{model._meta.get_field(name).verbose_name} is now "
            f"“{_shown(model, name, change.new)}” "
            f"(you opened “{_shown(model, name, change.old)}”)"
            for name, change in changes.items()
        )
    who = ", ".join(dict.fromkeys(_author(record) for record in later))
    when = timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M")
    reason = f" (reason: {latest.history_change_reason})" if latest.history_change_reason else ""
    noun = model._meta.concrete_model._meta.verbose_name
    return f"{who} changed this {noun} at {when}{reason} after you opened it: {what}."


def _as_form_data(field, value):
    if isinstance(field, forms.BooleanField):
        return "on" if value else ""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class RevisionField(forms.IntegerField):
    """The revision a form was opened on. It never counts as a change, so an untouched inline
    row is not written back just because its revision moved on."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)

    def has_changed(self, initial, data):
        return False


class RevisionGuardForm(forms.ModelForm):
    """For every admin form and inline row: a save over a newer revision is refused when this
    form changed the row too; a row this form left alone is simply not written back."""

    seen_revision = RevisionField()
    _untouched = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_revision"].initial = latest_revision(
                type(self.instance), self.instance.pk
            )

    def has_changed(self):
        return not self._untouched and super().has_changed()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not self.has_changed():
            return cleaned
        model, pk = type(self.instance), self.instance.pk
        lock_row(model, pk)
        seen, current = cleaned.get("seen_revision") or 0, latest_revision(model, pk)
        if current == seen:
            return cleaned
        theirs = their_changes(model, pk, seen)
        if theirs == {}:
            return cleaned  # saved again with the same values: nothing would be undone
        mine = self._changed_since(_record(model, pk, seen)) if theirs is not None else None
        if mine == set():
            self._untouched = True  # the colleague's values stay; nothing here to save
            return cleaned
        # Re-rendered, the form is on the current revision and shows the colleague's values
        # wherever this editor had not typed: a second save is a choice made knowingly.
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_revision")] = str(current)
        for name, change in (theirs or {}).items():
            if name in self.fields and name not in mine:
                self.data[self.add_prefix(name)] = _as_form_data(self.fields[name], change.new)
        raise ValidationError(
            describe_changes(model, pk, seen, theirs)
            + " Nothing was saved. The form now shows their values where you had changed "
            "nothing, and keeps yours; check them, then save again.",
            code="stale",
        )

    def _changed_since(self, opened) -> set[str]:
        """The fields this form changes compared with the revision it was opened on."""
        mine = set()
        for name in self.fields:
            try:
                field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field: the change reason, the revision
                continue
            if field.primary_key:
                continue
            if field.many_to_many:
                if name in self.changed_data:  # M2M links have no history: assume ours
                    mine.add(name)
                continue
            new = self.cleaned_data.get(name)
            if field.is_relation:
                new = getattr(new, "pk", new)
            if new != getattr(opened, field.attname):
                mine.add(name)
        return mine


def stale_rows(model, posted, pks) -> list[str]:
    """For a bulk action: the rows among `pks` that others changed since the list was shown,
    each with who changed what. `posted` holds the list's hidden `seen-<pk>` revisions."""
    problems = []
    for pk in pks:
        lock_row(model, pk)
        try:
            seen = int(posted.get(f"seen-{pk}", ""))
        except ValueError:
            seen = 0  # no revision posted: treated as opened before every known save
        if latest_revision(model, pk) == seen:
            continue
        changes = their_changes(model, pk, seen)
        if changes != {}:
            row = model._meta.concrete_model._default_manager.get(pk=pk)
            problems.append(f"{row}: {describe_changes(model, pk, seen, changes)}")
    return problems
