"""The catalog: sources, certifications, their exam versions, skill domains and the topics
those cover."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse

from .base import (
    ContentModel,
    NamedTerm,
    PublishableQuerySet,
    Rule,
    SlugContentModel,
    SlugQuerySet,
    Verified,
    natural_key_within,
    unique_slug_within,
)


class Vendor(SlugContentModel):
    """A company that certifies people. Staff add one in the admin and it appears in the catalog,
    the comparison picker and the wizard's platform question."""

    class Kind(models.TextChoices):
        CLOUD = "cloud", "Cloud provider"
        DATA_PLATFORM = "data_platform", "Data platform"
        AI_STACK = "ai_stack", "Hardware and AI stack"
        MODEL_VENDOR = "model_vendor", "Model vendor"
        OTHER = "other"

    slug = models.SlugField(max_length=40, unique=True, help_text="Used in URLs and filters.")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    certification_site = models.URLField(
        max_length=400, blank=True, help_text="The vendor's own certification pages."
    )
    order = models.PositiveIntegerField(default=0, help_text="Vendors are listed in this order.")

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    FOUNDATIONAL = "foundational"
    ASSOCIATE = "associate"
    PROFESSIONAL = "professional"
    EXPERT = "expert"
    SPECIALTY = "specialty"
    UNSTATED = "unstated", "Level not stated by the vendor"


class Status(models.TextChoices):
    ANNOUNCED = "announced", "Announced, not yet bookable"
    BETA = "beta"
    ACTIVE = "active"
    RETIRING = "retiring"
    RETIRED = "retired"


class SourceQuerySet(SlugQuerySet):
    def visible_to(self, user):
        """Everything for staff; for everyone else the sources that something public cites: a
        published certification (its status, facts, exam versions, skill domains, relations or
        a source that disagrees), a public FAQ entry, a published pair editorial or the market
        page (a figure, a series or a statement: that page has no drafts). One query."""
        if user.is_staff:
            return self
        from .editorial import EditorialBlock, FAQEntry, Matchup
        from .facts import Disagreement, Value
        from .market import MarketFigure, MarketSeries, MarketStatement

        cited = lambda model, **path: Exists(  # noqa: E731
            model.objects.filter(**{path.pop("via", "source"): OuterRef("pk")}, **path)
        )
        published_matchups = Matchup.objects.published()
        return self.filter(
            cited(Certification, via="status_source", is_published=True)
            | cited(Value, certification__is_published=True)
            | cited(ExamVersion, certification__is_published=True)
            | cited(SkillDomain, certification__is_published=True)
            | cited(Relation, from_certification__is_published=True)
            | cited(Disagreement, certification__is_published=True)
            | cited(Disagreement, value__certification__is_published=True)
            | cited(FAQEntry, via="sources", certifications__is_published=True)
            | cited(EditorialBlock, matchup__in=published_matchups)
            | cited(MarketFigure)
            | cited(MarketSeries, via="sources")
            | cited(MarketStatement, via="sources")
        )


class Source(SlugContentModel):
    class Authority(models.TextChoices):
        VENDOR = "vendor"
        TRANSCRIPTION = "transcription", "Dated third party transcribing the vendor"
        THIRD_PARTY = "third_party", "Third party"
        ARTICLE = "article", "The original article"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=120)
    url = models.URLField(max_length=400, blank=True)
    authority = models.CharField(max_length=20, choices=Authority.choices)
    published = models.CharField(
        max_length=60,
        blank=True,
        help_text="The date the page itself states (last updated or published); blank if undated.",
    )
    accessed_on = models.DateField(help_text="When we read it.")
    note = models.TextField(blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return f"{self.title} ({self.publisher})"

    def get_absolute_url(self):
        return reverse("certs:sources") + f"#source-{self.slug}"


def cited_source() -> models.ForeignKey:
    """The source a row's facts are taken from. Protected: a source that something cites cannot
    be deleted."""
    return models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")


class Focus(NamedTerm):
    """A broad area a certification is about, for filtering the catalog (generative AI and
    agents, ML engineering and MLOps, foundations, infrastructure). Coarser than the skill-domain
    topics, which measure overlap between exam outlines."""

    slug = models.SlugField(max_length=40, unique=True, help_text="Used in the catalog's URL.")

    class Meta(NamedTerm.Meta):
        verbose_name_plural = "focuses"


class CertificationQuerySet(PublishableQuerySet):
    def bookable(self):
        """Certifications a candidate can sit (a beta counts; a retired exam, or one only
        announced, does not)."""
        return self.exclude(status__in=[Status.RETIRED, Status.ANNOUNCED])

    def for_pages(self):
        return self.select_related("vendor", "successor", "status_source")

    def with_focus(self):
        """Each certification's focus areas, in their display order, as `focus_tags` (one query).
        Not declared on the model: Django takes a declared attribute for a done prefetch."""
        return self.prefetch_related(Prefetch("focus", to_attr="focus_tags"))

    def catalog(self, user) -> list["Certification"]:
        """Every certification this viewer may see, in catalog order, each with its
        `public_successor` found among them (not joined again; a draft successor is not among
        a visitor's)."""
        certifications = list(
            self.visible_to(user)
            .select_related("vendor", "status_source")
            .order_by("vendor__order", "vendor__slug", "order", "slug")
        )
        by_pk = {c.pk: c for c in certifications}
        for cert in certifications:
            cert.public_successor = by_pk.get(cert.successor_id)
        return certifications


def show_public_successors(certifications: Iterable["Certification"], *, user) -> None:
    """Give each certification its `public_successor`: the successor this viewer may be told
    about. Visitors are not told about a successor that is still a draft (its page would be a
    404 to them, and the news may not be public yet); staff, who preview drafts, are.
    Successors must be loaded (`for_pages`)."""
    for cert in certifications:
        successor = cert.successor if cert.successor_id is not None else None
        visible = successor is not None and (user.is_staff or successor.is_published)
        cert.public_successor = successor if visible else None


class Certification(Verified, SlugContentModel):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160, help_text="The exam's or certification's title.")
    short_name = models.CharField(max_length=30, help_text="What people call it: PMLE, AI-102…")
    exam_code = models.CharField(max_length=40, blank=True, help_text="Blank if none.")
    credential = models.CharField(max_length=200, help_text="The credential the exam earns.")
    vendor = models.ForeignKey(
        Vendor,
        to_field="slug",
        db_column="vendor",
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    focus = models.ManyToManyField(
        Focus,
        blank=True,
        related_name="certifications",
        help_text="What it is about, first the main area; the catalog filters on these.",
    )
    target_role = models.TextField()
    summary = models.CharField(max_length=300)
    profile = models.TextField(help_text="Paragraphs separated by a blank line.")
    official_url = models.URLField(
        max_length=400, blank=True, help_text="Blank when our sources give no vendor page."
    )
    eligibility_limit = models.CharField(
        max_length=160,
        blank=True,
        help_text="Who alone may sit it, when not everyone, as in “Only … can sit it” (e.g. "
        "“staff of Claude Partner Network member firms”). Blank: anyone. The wizard ranks such "
        "an exam only for people who chose its vendor, and says so.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField(
        null=True, blank=True, help_text="Retirement date (retiring, retired) or beta start."
    )
    beta_ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="A beta's last testing day, when announced. Blank: open-ended or not known.",
    )
    status_note = models.TextField(blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    status_source = cited_source()
    verified_on = models.DateField()
    order = models.PositiveIntegerField(default=0)
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Drafts are invisible to visitors (staff can preview them). Publishing needs "
        "every quick-fact row filled, with its source and verified date.",
    )

    objects = CertificationQuerySet.as_manager()

    # Display only, never saved: set by the queryset methods and helpers that load pages.
    public_successor = None  # the successor this viewer may be told about
    lifecycle_sources = ()  # further sources that give another date (attach_disagreements)

    class Meta:
        ordering = ["vendor__order", "vendor__slug", "order", "slug"]
        constraints = [
            Rule(
                condition=Q(beta_ends_on=None) | Q(status=Status.BETA),
                name="certification_beta_window_only_for_beta",
                field="beta_ends_on",
                violation_error_message="Only a beta exam has a beta window; clear the date.",
            ),
            Rule(
                condition=Q(beta_ends_on=None)
                | Q(status_date=None)
                | Q(beta_ends_on__gte=F("status_date")),
                name="certification_beta_ends_after_start",
                field="beta_ends_on",
                violation_error_message="A beta cannot end before it starts.",
            ),
            Rule(
                condition=~Q(successor=F("pk")),
                name="certification_successor_not_self",
                field="successor",
                violation_error_message="A certification cannot be its own successor.",
            ),
            Rule(
                condition=~Q(status__in=[Status.RETIRING, Status.RETIRED], status_date=None),
                name="certification_retirement_has_date",
                field="status_date",
                violation_error_message="Give the retirement date of a retiring or retired exam.",
            ),
        ]

    def __str__(self):
        return f"{self.short_name}: {self.name}"

    def get_absolute_url(self):
        return reverse("certs:certification", args=[self.slug])

    @property
    def is_retired(self):
        return self.status == Status.RETIRED

    @property
    def is_bookable(self):
        return self.status not in (Status.RETIRED, Status.ANNOUNCED)


class RelationQuerySet(models.QuerySet):
    def about(self, cert: "Certification", user) -> list["Relation"]:
        """The relations from and to `cert` whose other end this viewer may see (a target
        outside the catalog, named only, always shows). One query: the few relations of one
        certification are filtered here rather than by subqueries SQLite plans slowly."""
        relations = self.filter(
            Q(from_certification=cert) | Q(to_certification=cert)
        ).select_related("from_certification", "to_certification", "source")

        def shown(relation):
            other = (
                relation.to_certification
                if relation.from_certification_id == cert.pk
                else relation.from_certification
            )
            return other is None or user.is_staff or other.is_published

        return [relation for relation in relations if shown(relation)]

    def named_targets(self, user) -> list[tuple[int, str, str]]:
        """(certification id, kind, the other certification's short name or named target)
        for every relation whose target this viewer may see, a certification's together. One
        query, plain rows (by certification id: sorting by certification joins two tables)."""
        visible = Certification.objects.visible_to(user)
        rows = (
            self.filter(Q(to_certification=None) | Q(to_certification__in=visible))
            .order_by("from_certification_id", "kind", "to_certification__short_name", "to_name")
            .values_list("from_certification_id", "kind", "to_certification__short_name", "to_name")
        )
        return [(cert, kind, short_name or name) for cert, kind, short_name, name in rows]

    def get_by_natural_key(self, certification, kind, target):
        return self.get(
            Q(to_certification__slug=target) | Q(to_certification=None, to_name=target),
            from_certification__slug=certification,
            kind=kind,
        )


class Relation(Verified, ContentModel):
    """How one certification stands to another: it requires it, it is best taken after it, or
    passing it renews (or counts towards) the other. Replacement is the certification's own
    `successor`, kept with its lifecycle. A target outside the catalog is named in `to_name`."""

    class Kind(models.TextChoices):
        REQUIRES = "requires", "requires"
        RECOMMENDED_BEFORE = "recommended_before", "is best taken after"
        RENEWS = "renews_or_counts_towards", "renews or counts towards"

    # The same relation read from its target's side ("AI-103 is required for AI-500").
    INVERSE = {
        Kind.REQUIRES: "is required for",
        Kind.RECOMMENDED_BEFORE: "is best taken before",
        Kind.RENEWS: "is renewed by passing",
    }

    from_certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="relations"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    to_certification = models.ForeignKey(
        Certification,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbound_relations",
    )
    to_name = models.CharField(
        max_length=160, blank=True, help_text="Only when the other certification is not listed."
    )
    note = models.TextField(blank=True, help_text="Shown beside the relation.")
    source = cited_source()
    verified_on = models.DateField()

    objects = RelationQuerySet.as_manager()

    class Meta:
        ordering = ["from_certification", "kind", "to_certification", "to_name"]
        constraints = [
            Rule(
                condition=(Q(to_certification=None) & ~Q(to_name=""))
                | (~Q(to_certification=None) & Q(to_name="")),
                name="relation_one_target",
                field="to_certification",
                violation_error_message="Pick the other certification, or name it if it is "
                "not listed, not both.",
            ),
            Rule(
                condition=~Q(to_certification=F("from_certification")),
                name="relation_not_to_itself",
                field="to_certification",
                violation_error_message="A certification cannot relate to itself.",
            ),
            models.UniqueConstraint(
                fields=["from_certification", "kind", "to_certification", "to_name"],
                name="relation_unique",
            ),
        ]

    def __str__(self):
        return f"{self.from_certification.short_name} {self.get_kind_display()} {self.target_name}"

    @property
    def inverse_label(self):
        return self.INVERSE[self.kind]

    @property
    def target_name(self):
        return self.to_certification.short_name if self.to_certification_id else self.to_name

    def natural_key(self):
        target = self.to_certification.slug if self.to_certification_id else self.to_name
        return (*self.from_certification.natural_key(), self.kind, target)

    natural_key.dependencies = ["certs.certification", "certs.source"]


class ExamVersionQuerySet(models.QuerySet):
    def get_by_natural_key(self, certification, slug):
        return self.get(certification__slug=certification, slug=slug)

    def with_domains(self):
        """The versions of one certification, the current first, each with its source and its
        skill domains (with theirs): two queries. Sorted on their own columns: the default
        ordering starts with the certification, which would join two tables to sort rows that
        all share one."""
        domains = SkillDomain.objects.select_related("source").order_by("order", "slug")
        return (
            self.select_related("source")
            .prefetch_related(Prefetch("domains", queryset=domains))
            .order_by("-is_current", "-starts_on", "slug")
        )


class ExamVersion(Verified, ContentModel):
    """One version of an exam (a guide or exam code) with the dates it applies."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="versions"
    )
    slug = models.SlugField(max_length=60)
    label = models.CharField(max_length=120)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    source = cited_source()
    verified_on = models.DateField()

    objects = ExamVersionQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "-is_current", "-starts_on", "slug"]
        constraints = [
            unique_slug_within("certification", name="version_unique_slug"),
            Rule(
                condition=Q(starts_on=None) | Q(ends_on=None) | Q(ends_on__gte=F("starts_on")),
                name="version_ends_after_start",
                field="ends_on",
                violation_error_message="A version cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.certification.short_name} · {self.label}"

    natural_key = natural_key_within("certification", "certs.certification")


class Topic(NamedTerm):
    """A skill area shared across vendors, used to tag skill domains and measure overlap."""

    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=300, blank=True)


class DomainQuerySet(models.QuerySet):
    def get_by_natural_key(self, certification, slug):
        return self.get(certification__slug=certification, slug=slug)

    def topic_rows(self):
        """(domain id, certification id, weight_min, weight_max, topic id or None, name, order)
        for each of the domains' topics: plain rows in one query, no instances, no ordering
        joins."""
        return self.order_by().values_list(
            "pk", "certification_id", "weight_min", "weight_max", "topics", "name", "order"
        )


class SkillDomain(Verified, ContentModel):
    """A section of an exam's blueprint and its weight, as a range of percentages."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="domains"
    )
    version = models.ForeignKey(ExamVersion, on_delete=models.CASCADE, related_name="domains")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    weight_min = models.DecimalField(max_digits=5, decimal_places=1)
    weight_max = models.DecimalField(max_digits=5, decimal_places=1)
    order = models.PositiveIntegerField(default=0)
    source = cited_source()
    verified_on = models.DateField()
    topics = models.ManyToManyField(Topic, blank=True, related_name="domains")

    objects = DomainQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "version", "order", "slug"]
        constraints = [
            unique_slug_within("certification", name="domain_unique_slug"),
            Rule(
                condition=Q(
                    weight_min__gte=0, weight_max__lte=100, weight_max__gte=F("weight_min")
                ),
                name="domain_weight_range",
                field="weight_max",
                violation_error_message="Weights are percentages between 0 and 100, the upper "
                "one not below the lower one.",
            ),
        ]

    def __str__(self):
        return self.name

    natural_key = natural_key_within(
        "certification", "certs.certification", "certs.examversion", "certs.topic"
    )

    def clean(self):
        # Across two tables, so no check constraint can say it.
        if self.version_id and self.certification_id:
            if self.version.certification_id != self.certification_id:
                raise ValidationError({"version": "The version belongs to another certification."})

    @property
    def weight_label(self):
        low, high = _plain(self.weight_min), _plain(self.weight_max)
        return f"{low}%" if low == high else f"{low}–{high}%"


def _plain(number):
    """200.0 -> '200', 12.5 -> '12.5'."""
    return f"{number:f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:f}"


class Language(models.TextChoices):
    """Languages an exam can be sat in, as the wizard asks them."""

    ENGLISH = "en"
    JAPANESE = "ja"
    KOREAN = "ko"
    CHINESE = "zh", "Chinese (Simplified)"
    SPANISH = "es"
    PORTUGUESE = "pt"


class ExamLanguageQuerySet(models.QuerySet):
    def get_by_natural_key(self, certification, language):
        return self.get(certification__slug=certification, language=language)


class ExamLanguage(ContentModel):
    """A language an exam is delivered in, until a date if delivery in it ends. A certification
    with none listed is one whose languages we could not confirm: the wizard then excludes
    nobody for language, and says so."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="languages"
    )
    language = models.CharField(max_length=5, choices=Language.choices)
    until = models.DateField(
        null=True, blank=True, help_text="The last day it is delivered in this language."
    )
    source = cited_source()
    verified_on = models.DateField()

    objects = ExamLanguageQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "language"], name="examlanguage_unique"
            )
        ]

    def __str__(self):
        return f"{self.certification.short_name} in {self.get_language_display()}"

    def natural_key(self):
        return (*self.certification.natural_key(), self.language)

    natural_key.dependencies = ["certs.certification", "certs.source"]
