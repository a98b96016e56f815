"""Staff edit every fact here. Validation lives in the models' clean() and constraints, so the
admin refuses invalid data with a form error and saves nothing."""

from django.contrib import admin

from .models import (
    Category,
    Certification,
    Choice,
    EditorialBlock,
    ExamVersion,
    FAQEntry,
    Feature,
    Matchup,
    Priority,
    Question,
    SkillDomain,
    Source,
    Topic,
    Value,
    Weight,
)

admin.site.site_header = "CertCompare content"
admin.site.site_title = "CertCompare admin"
admin.site.index_title = "Keep every fact current"


class ValueInline(admin.StackedInline):
    model = Value
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        ("feature", "availability", "basis"),
        ("text", "amount", "unit"),
        "note",
        "disagreement",
        ("source", "verified_on"),
    ]
    ordering = ["feature__category__order", "feature__order"]


class ExamVersionInline(admin.TabularInline):
    model = ExamVersion
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["slug", "label", "starts_on", "ends_on", "is_current", "source", "verified_on"]


class SkillDomainInline(admin.TabularInline):
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
class CertificationAdmin(admin.ModelAdmin):
    list_display = [
        "short_name",
        "name",
        "vendor",
        "level",
        "status",
        "status_date",
        "successor",
        "verified_on",
    ]
    list_display_links = ["short_name", "name"]
    list_filter = ["vendor", "level", "status"]
    search_fields = ["slug", "name", "short_name", "exam_code", "credential"]
    ordering = ["vendor", "order", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["successor", "status_source"]
    list_select_related = ["successor"]
    inlines = [ExamVersionInline, SkillDomainInline, ValueInline]
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
                    "order",
                ]
            },
        ),
        (
            "Lifecycle",
            {
                "fields": [
                    ("status", "status_date"),
                    "successor",
                    "status_note",
                    ("status_source", "verified_on"),
                ]
            },
        ),
        ("Text", {"fields": ["summary", "target_role", "profile", "official_url"]}),
    ]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "authority", "published", "accessed_on"]
    list_filter = ["authority", "publisher"]
    search_fields = ["slug", "title", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ["label", "category", "kind", "basis", "is_quick_fact", "order"]
    list_filter = ["category", "kind", "basis", "is_quick_fact"]
    search_fields = ["slug", "label", "help_text"]
    list_select_related = ["category"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["certification", "feature", "display", "basis", "source", "verified_on"]
    list_filter = ["feature__category", "feature", "certification__vendor", "basis", "availability"]
    search_fields = ["text", "note", "certification__short_name", "feature__label"]
    list_select_related = ["certification", "feature", "source"]
    autocomplete_fields = ["certification", "feature", "source"]
    date_hierarchy = "verified_on"


@admin.register(ExamVersion)
class ExamVersionAdmin(admin.ModelAdmin):
    list_display = ["certification", "label", "starts_on", "ends_on", "is_current"]
    list_filter = ["certification__vendor", "is_current"]
    search_fields = ["label", "certification__short_name"]
    list_select_related = ["certification"]
    autocomplete_fields = ["certification", "source"]


@admin.register(SkillDomain)
class SkillDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "certification", "version", "weight_min", "weight_max"]
    list_filter = ["certification__vendor", "certification"]
    search_fields = ["name", "certification__short_name"]
    list_select_related = ["certification", "version"]
    autocomplete_fields = ["certification", "source"]


@admin.register(FAQEntry)
class FAQEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "order", "verified_on"]
    list_editable = ["order"]
    search_fields = ["question", "answer"]
    filter_horizontal = ["certifications", "sources"]
    prepopulated_fields = {"slug": ["question"]}


class EditorialBlockInline(admin.StackedInline):
    model = EditorialBlock
    extra = 0
    autocomplete_fields = ["certification", "source"]


@admin.register(Matchup)
class MatchupAdmin(admin.ModelAdmin):
    list_display = ["title", "first", "second", "is_featured", "verified_on"]
    fields = [
        "title",
        "slug",
        ("first", "second"),
        "summary",
        "choose_first_if",
        "choose_second_if",
        "first_wins",
        "second_wins",
        ("is_featured", "verified_on"),
    ]
    list_filter = ["is_featured"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["first", "second"]
    list_select_related = ["first", "second"]
    inlines = [EditorialBlockInline]


@admin.register(EditorialBlock)
class EditorialBlockAdmin(admin.ModelAdmin):
    list_display = ["heading", "matchup", "kind", "stance", "order"]
    list_filter = ["matchup", "kind", "stance"]
    search_fields = ["heading", "body"]
    autocomplete_fields = ["matchup", "certification", "source"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "feature", "topic", "prefer", "order"]
    list_editable = ["order"]
    list_select_related = ["feature", "topic"]
    autocomplete_fields = ["feature", "topic"]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["slug", "label", "hint", "order"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "slug", "order"]
    list_editable = ["order"]
    inlines = [ChoiceInline]
    prepopulated_fields = {"slug": ["text"]}


@admin.register(Weight)
class WeightAdmin(admin.ModelAdmin):
    list_display = ["choice", "certification", "points", "reason"]
    list_filter = ["choice__question", "certification__vendor", "certification"]
    search_fields = ["reason", "choice__label", "certification__short_name"]
    list_select_related = ["choice__question", "certification"]
    autocomplete_fields = ["certification"]


@admin.register(Choice)
class ChoiceAdmin(admin.ModelAdmin):
    list_display = ["label", "question", "slug", "order"]
    list_filter = ["question"]
    search_fields = ["label", "slug"]
    list_select_related = ["question"]
