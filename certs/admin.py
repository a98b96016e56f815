"""Staff edit every fact here. Validation lives in the models' clean() and constraints, so the
admin refuses invalid data with a form error and saves nothing."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.forms.models import BaseInlineFormSet
from django.template.loader import render_to_string
from django.utils import formats, timezone
from simple_history.admin import SimpleHistoryAdmin

from .content_load import take_fixture_version
from .models import (
    Category,
    Certification,
    Choice,
    Disagreement,
    EditorialBlock,
    ExamLanguage,
    ExamVersion,
    FactToReverify,
    FAQEntry,
    Feature,
    FixtureConflict,
    Focus,
    MarketFigure,
    MarketSeries,
    MarketStatement,
    Matchup,
    Priority,
    Question,
    Relation,
    SkillDomain,
    Source,
    Topic,
    Value,
    Vendor,
    Weight,
    publish_blockers,
)
from .revisions import RevisionGuardForm, revision_subquery, stale_rows
from .source_checks import NEEDS_A_LOOK, Outcome
from .twofactor import StaffAdminSite

# django-otp's documented way to guard the default site: every admin page, and its sign-in form,
# then asks for the second factor when REQUIRE_2FA is on.
admin.site.__class__ = StaffAdminSite
admin.site.site_header = "CertCompare content"
admin.site.site_title = "CertCompare admin"
admin.site.index_title = "Keep every fact current"


class ChangeReasonForm(RevisionGuardForm):
    change_reason = forms.CharField(
        required=False,
        max_length=100,
        help_text="Recorded in the history with your name, e.g. “Vendor raised the fee”. "
        "Applies to the rows edited below too.",
    )


def _with_fields(fieldsets, *names):
    """The fieldsets plus any of `names` they do not show yet (hidden fields render invisibly)."""
    shown = set(flatten_fieldsets(fieldsets))
    missing = [name for name in names if name not in shown]
    if not missing:
        return fieldsets
    *head, (title, options) = fieldsets
    return [*head, (title, {**options, "fields": [*options["fields"], *missing]})]


class GuardedInline:
    """An inline whose rows refuse to save over a colleague's newer edit (certs/revisions.py)."""

    form = RevisionGuardForm

    def get_fieldsets(self, request, obj=None):
        return _with_fields(super().get_fieldsets(request, obj), "seen_revision")


class ContentAdmin(SimpleHistoryAdmin):
    """Every content model: history with a field-by-field diff and revert (django-simple-history),
    a change reason typed with each save, for the object and its inline rows alike, and a stale
    form refused instead of saved over a colleague's edit."""

    form = ChangeReasonForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "change_reason" not in flatten_fieldsets(fieldsets):
            fieldsets = [*fieldsets, ("Why this change", {"fields": ["change_reason"]})]
        return _with_fields(fieldsets, "seen_revision")

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # an unchanged object is not written: its revision stays for colleagues
        obj._change_reason = form.cleaned_data.get("change_reason", "")
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get("change_reason", "")
        for obj in formset.save(commit=False):
            obj._change_reason = reason
            obj._history_user = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj._history_user = request.user
            obj.delete()
        formset.save_m2m()


class GuardedActionsAdmin(ContentAdmin):
    """A changelist whose bulk actions refuse rows changed since the list was shown: each row
    carries its revision in a hidden field of the list's form."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(revision=revision_subquery(self.model))

    @admin.display(description="revision")
    def revision_marker(self, obj):
        return render_to_string(
            "admin/certs/revision_cell.html", {"pk": obj.pk, "revision": obj.revision or 0}
        )

    def refuse_stale(self, request, queryset) -> bool:
        """True (with a message per row) when any selected row changed since the list was
        shown; the action then changes nothing at all."""
        problems = stale_rows(self.model, request.POST, list(queryset.values_list("pk", flat=True)))
        for problem in problems:
            self.message_user(request, problem, messages.ERROR)
        if problems:
            self.message_user(
                request,
                "Nothing was changed: the list above now shows the current values.",
                messages.WARNING,
            )
        return bool(problems)


class PublishGateFormSet(BaseInlineFormSet):
    """A certification cannot be published while a quick-fact row lacks a value, a source or a
    verified date; the message names the rows. Runs on the values as submitted."""

    def clean(self):
        super().clean()
        if not self.instance.is_published or any(self.errors):
            return
        values = [
            form.instance
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]
        blockers = publish_blockers(
            quick_features=Feature.objects.filter(is_quick_fact=True), values=values
        )
        if blockers:
            raise ValidationError(
                [f"{self.instance.short_name or 'This certification'} cannot be published yet:"]
                + blockers
            )


class DisagreementInline(GuardedInline, admin.TabularInline):
    """The sources that disagree about a certification's lifecycle; ValueDisagreementInline
    lists those about one value with the same columns."""

    model = Disagreement
    extra = 0
    fk_name = "certification"
    autocomplete_fields = ["source"]
    fields = ["slug", "source", "says"]
    verbose_name = "source that disagrees about the lifecycle"


class ValueInline(GuardedInline, admin.StackedInline):
    model = Value
    formset = PublishGateFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        ("feature", "availability", "basis"),
        ("text", "amount", "unit"),
        "note",
        "disagreement",
        ("source", "verified_on", "verified_by"),
    ]
    ordering = ["feature__category__order", "feature__order"]


class ExamVersionInline(GuardedInline, admin.TabularInline):
    model = ExamVersion
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["slug", "label", "starts_on", "ends_on", "is_current", "source", "verified_on"]


class ExamLanguageInline(GuardedInline, admin.TabularInline):
    model = ExamLanguage
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["language", "until", "source", "verified_on"]


class RelationInline(GuardedInline, admin.TabularInline):
    model = Relation
    fk_name = "from_certification"
    extra = 0
    autocomplete_fields = ["to_certification", "source"]
    verbose_name = "relation to another certification"


class SkillDomainInline(GuardedInline, admin.TabularInline):
    model = SkillDomain
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        "version",
        "slug",
        "name",
        "weight_min",
        "weight_max",
        "order",
        "source",
        "verified_on",
    ]


@admin.register(Certification)
class CertificationAdmin(GuardedActionsAdmin):
    list_display = [
        "short_name",
        "name",
        "vendor",
        "level",
        "status",
        "status_date",
        "successor",
        "is_published",
        "verified_on",
        "revision_marker",
    ]
    list_display_links = ["short_name", "name"]
    list_filter = ["vendor", "level", "status", "focus", "is_published"]
    actions = ["publish"]
    search_fields = ["slug", "name", "short_name", "exam_code", "credential"]
    ordering = ["vendor__order", "vendor__slug", "order", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["successor", "status_source"]
    list_select_related = ["vendor", "successor"]
    filter_horizontal = ["focus"]
    inlines = [
        RelationInline,
        ExamVersionInline,
        ExamLanguageInline,
        SkillDomainInline,
        ValueInline,
        DisagreementInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "slug",
                    "exam_code",
                    "credential",
                    ("vendor", "level"),
                    "focus",
                    "order",
                    "is_published",
                ]
            },
        ),
        (
            "Lifecycle",
            {
                "fields": [
                    ("status", "status_date", "beta_ends_on"),
                    "successor",
                    "status_note",
                    ("status_source", "verified_on"),
                ]
            },
        ),
        (
            "Text",
            {"fields": ["summary", "target_role", "profile", "official_url", "eligibility_limit"]},
        ),
    ]

    @admin.action(description="Publish the selected certifications")
    @transaction.atomic
    def publish(self, request, queryset):
        if self.refuse_stale(request, queryset):
            return
        quick = list(Feature.objects.filter(is_quick_fact=True))
        for cert in queryset.prefetch_related("values"):
            blockers = publish_blockers(quick_features=quick, values=cert.values.all())
            if blockers:
                self.message_user(
                    request,
                    f"{cert.short_name} was not published: " + "; ".join(blockers),
                    messages.ERROR,
                )
                continue
            cert.is_published = True
            cert._change_reason = "Published"
            cert.save()
            self.message_user(request, f"{cert.short_name} is published.", messages.SUCCESS)


def check_summary(check, url: str) -> str:
    """A source's last check for a list column: what came back and when, and whether the URL
    has changed since (then the check says nothing about the new one)."""
    when = formats.date_format(timezone.localtime(check.checked_at), "DATE_FORMAT")
    stale = "" if check.url == url else "; URL changed since"
    return f"{check.summary()}, {when}{stale}"


class LastCheckFilter(admin.SimpleListFilter):
    title = "last check"
    parameter_name = "check"

    def lookups(self, request, model_admin):
        return [(outcome.value, outcome.value) for outcome in Outcome] + [
            ("never", "never checked")
        ]

    def queryset(self, request, queryset):
        if self.value() == "never":
            return queryset.filter(last_check__isnull=True)
        if self.value():
            return queryset.filter(last_check__outcome=self.value())
        return queryset


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = [
        "title",
        "publisher",
        "authority",
        "published",
        "accessed_on",
        "last_check_summary",
    ]
    list_filter = [LastCheckFilter, "authority", "publisher"]
    # The reverse one-to-one joins in the list's one query, so the column costs no query per row.
    list_select_related = ["last_check"]
    search_fields = ["slug", "title", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}

    @admin.display(
        description="last check (manage.py check_sources)", ordering="last_check__checked_at"
    )
    def last_check_summary(self, obj):
        check = getattr(obj, "last_check", None)
        return check_summary(check, obj.url) if check else "never checked"


@admin.register(Category)
class CategoryAdmin(ContentAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Feature)
class FeatureAdmin(ContentAdmin):
    list_display = ["label", "category", "kind", "basis", "is_quick_fact", "order"]
    list_filter = ["category", "kind", "basis", "is_quick_fact"]
    search_fields = ["slug", "label", "help_text"]
    list_select_related = ["category"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(Value)
class ValueAdmin(ContentAdmin):
    list_display = ["certification", "feature", "display", "basis", "source", "verified_on"]
    list_filter = ["feature__category", "feature", "certification__vendor", "basis", "availability"]
    search_fields = ["text", "note", "certification__short_name", "feature__label"]
    list_select_related = ["certification", "feature", "source"]
    autocomplete_fields = ["certification", "feature", "source"]
    date_hierarchy = "verified_on"


@admin.register(ExamVersion)
class ExamVersionAdmin(ContentAdmin):
    list_display = ["certification", "label", "starts_on", "ends_on", "is_current"]
    list_filter = ["certification__vendor", "is_current"]
    search_fields = ["label", "certification__short_name"]
    list_select_related = ["certification"]
    autocomplete_fields = ["certification", "source"]


@admin.register(SkillDomain)
class SkillDomainAdmin(ContentAdmin):
    list_display = ["name", "certification", "version", "weight_min", "weight_max"]
    list_filter = ["certification__vendor", "certification"]
    search_fields = ["name", "certification__short_name"]
    list_select_related = ["certification", "version"]
    autocomplete_fields = ["certification", "source"]


@admin.register(FAQEntry)
class FAQEntryAdmin(ContentAdmin):
    list_display = ["question", "order", "verified_on"]
    search_fields = ["question", "answer"]
    filter_horizontal = ["certifications", "sources"]
    prepopulated_fields = {"slug": ["question"]}


class EditorialBlockInline(GuardedInline, admin.StackedInline):
    model = EditorialBlock
    extra = 0
    autocomplete_fields = ["certification", "source"]


@admin.register(Matchup)
class MatchupAdmin(ContentAdmin):
    list_display = ["title", "first", "second", "is_featured", "is_published", "verified_on"]
    list_filter = ["is_featured", "is_published"]
    fields = [
        "title",
        "slug",
        ("first", "second"),
        "summary",
        "choose_first_if",
        "choose_second_if",
        "first_wins",
        "second_wins",
        ("is_featured", "is_published", "verified_on"),
        "change_reason",
    ]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["first", "second"]
    list_select_related = ["first", "second"]
    inlines = [EditorialBlockInline]


@admin.register(EditorialBlock)
class EditorialBlockAdmin(ContentAdmin):
    list_display = ["heading", "matchup", "kind", "stance", "order"]
    list_filter = ["matchup", "kind", "stance"]
    search_fields = ["heading", "body"]
    autocomplete_fields = ["matchup", "certification", "source"]


@admin.register(Vendor)
class VendorAdmin(ContentAdmin):
    """A vendor added here appears in the catalog's filters, the comparison picker and the
    wizard's platform question as soon as it has a published certification."""

    list_display = ["name", "slug", "kind", "order", "certification_site"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Focus, Topic)
class TagAdmin(ContentAdmin):
    """The two ordered tag lists: a certification's focus (the catalog's filter) and a skill
    domain's topic (the overlap measure). Each is found by name or slug, its slug filled from
    its name."""

    list_display = ["name", "slug", "order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Relation)
class RelationAdmin(ContentAdmin):
    list_display = ["from_certification", "kind", "target_name", "source", "verified_on"]
    list_filter = ["kind"]
    list_select_related = ["from_certification", "to_certification", "source"]
    search_fields = ["from_certification__short_name", "to_certification__short_name", "to_name"]
    autocomplete_fields = ["from_certification", "to_certification", "source"]


@admin.register(Priority)
class PriorityAdmin(ContentAdmin):
    list_display = ["label", "slug", "feature", "topic", "prefer", "order"]
    list_select_related = ["feature", "topic"]
    autocomplete_fields = ["feature", "topic"]


class ChoiceInline(GuardedInline, admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["slug", "label", "hint", "order", "platform"]


@admin.register(Question)
class QuestionAdmin(ContentAdmin):
    list_display = ["text", "slug", "order"]
    inlines = [ChoiceInline]
    prepopulated_fields = {"slug": ["text"]}


@admin.register(Weight)
class WeightAdmin(ContentAdmin):
    list_display = ["choice", "certification", "points", "reason"]
    list_filter = ["choice__question", "certification__vendor", "certification"]
    search_fields = ["reason", "choice__label", "certification__short_name"]
    list_select_related = ["choice__question", "certification"]
    autocomplete_fields = ["certification"]


@admin.register(Choice)
class ChoiceAdmin(ContentAdmin):
    list_display = ["label", "question", "slug", "order"]
    list_filter = ["question"]
    search_fields = ["label", "slug"]
    list_select_related = ["question"]


class MarketFigureInline(GuardedInline, admin.StackedInline):
    model = MarketFigure
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        ("slug", "order"),
        ("label", "period"),
        ("value", "unit"),
        "measures",
        "note",
        ("source", "verified_on"),
    ]


class MarketStatementInline(GuardedInline, admin.StackedInline):
    model = MarketStatement
    extra = 0
    fields = [("slug", "kind", "order"), "heading", "text", "sources", "verified_on"]
    filter_horizontal = ["sources"]


@admin.register(MarketSeries)
class MarketSeriesAdmin(ContentAdmin):
    """The market page (/market/): a series per way of counting, its figures and statements
    inline."""

    list_display = ["title", "slug", "is_charted", "order", "verified_on"]
    search_fields = ["title", "measures", "statement"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sources"]
    fields = [
        "title",
        "slug",
        "measures",
        "statement",
        ("is_charted", "order", "verified_on"),
        "sources",
        "change_reason",
    ]
    inlines = [MarketFigureInline, MarketStatementInline]


@admin.register(MarketFigure)
class MarketFigureAdmin(ContentAdmin):
    list_display = ["label", "period", "display", "series", "source", "verified_on"]
    list_filter = ["series", "unit"]
    search_fields = ["slug", "label", "period", "measures", "note"]
    list_select_related = ["series", "source"]
    autocomplete_fields = ["series", "source"]
    date_hierarchy = "verified_on"


@admin.register(MarketStatement)
class MarketStatementAdmin(ContentAdmin):
    list_display = ["heading", "series", "kind", "order", "verified_on"]
    list_filter = ["series", "kind"]
    search_fields = ["slug", "heading", "text"]
    list_select_related = ["series"]
    autocomplete_fields = ["series"]
    filter_horizontal = ["sources"]


class ValueDisagreementInline(DisagreementInline):
    fk_name = "value"
    verbose_name = "source that disagrees"


ValueAdmin.inlines = [ValueDisagreementInline]


@admin.register(Disagreement)
class DisagreementAdmin(ContentAdmin):
    list_display = ["slug", "value", "certification", "source", "says"]
    list_select_related = ["value__certification", "value__feature", "certification", "source"]
    search_fields = ["slug", "says"]
    autocomplete_fields = ["value", "certification", "source"]


def overdue():
    """Facts verified longer ago than the review cadence."""
    cutoff = timezone.localdate() - datetime.timedelta(days=settings.REVIEW_CADENCE_DAYS)
    return Q(verified_on__lt=cutoff)


def source_failed():
    """Facts whose source's URL, as it is now, last answered anything but ok. Once staff
    change the URL the old check no longer counts."""
    return Q(source__last_check__outcome__in=NEEDS_A_LOOK) & Q(
        source__last_check__url=F("source__url")
    )


class WhyListedFilter(admin.SimpleListFilter):
    title = "why listed"
    parameter_name = "why"

    def lookups(self, request, model_admin):
        return [
            ("overdue", f"verified over {settings.REVIEW_CADENCE_DAYS} days ago"),
            ("source", "the source's page failed its last check"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(overdue())
        if self.value() == "source":
            return queryset.filter(source_failed())
        return queryset


@admin.register(FactToReverify)
class FactToReverifyAdmin(GuardedActionsAdmin):
    """Facts older than the review cadence, oldest first, and facts whose source's page failed
    its last check (moved, broken, an error, unreachable), with a one-click re-verification."""

    list_display = [
        "certification",
        "feature",
        "display",
        "source",
        "source_check",
        "verified_on",
        "verified_by",
        "revision_marker",
    ]
    list_select_related = ["certification", "feature", "source__last_check"]
    list_filter = [WhyListedFilter, "certification__vendor", "certification"]
    actions = ["verified_today"]
    ordering = ["verified_on", "certification__slug", "feature__slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(Q(basis="fact") & (overdue() | source_failed()))

    @admin.display(description="source's last check")
    def source_check(self, obj):
        check = getattr(obj.source, "last_check", None) if obj.source else None
        if check is None or check.outcome == Outcome.OK:
            return ""
        return check_summary(check, obj.source.url)

    def has_add_permission(self, request):
        return False

    @admin.action(description="Verified today, source unchanged")
    def verified_today(self, request, queryset):
        today, who = timezone.localdate(), request.user.get_username()
        with transaction.atomic():
            if self.refuse_stale(request, queryset):
                return
            # Save as Value (not the proxy) so history and the content version see the change.
            values = Value.objects.filter(pk__in=queryset.values("pk"))
            for value in values:
                value.verified_on, value.verified_by = today, who
                value._change_reason = "Re-verified; source unchanged"
                value.save(update_fields=["verified_on", "verified_by"])
        self.message_user(
            request, f"{len(values)} fact(s) marked as verified today by {who}.", messages.SUCCESS
        )


@admin.register(FixtureConflict)
class FixtureConflictAdmin(admin.ModelAdmin):
    """Rows a fixture load would have changed after staff did: the staff value was kept."""

    list_display = ["model", "key", "differences", "detected_at"]
    list_filter = ["model"]
    search_fields = ["key", "differences"]
    readonly_fields = ["model", "key", "object_id", "differences", "fixture", "detected_at"]
    actions = ["take_fixture_version", "keep_database_version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Take the fixture's version (replaces the staff edit)")
    @transaction.atomic
    def take_fixture_version(self, request, queryset):
        for conflict in queryset:
            take_fixture_version(conflict, user=request.user)
        self.message_user(request, "The fixture's version now applies.", messages.SUCCESS)

    @admin.action(description="Keep the database's version")
    def keep_database_version(self, request, queryset):
        queryset.delete()
        self.message_user(
            request,
            "Kept. Run `make export` and commit fixtures/ so the fixtures agree; until then "
            "the next load reports these rows again.",
            messages.SUCCESS,
        )
