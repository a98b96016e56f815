"""The catalog page's filters and orders, as plain data.

Nothing here knows about requests or templates: the view loads the visible catalog once (with
its vendors and focus areas) and hands it over with the visitor's choice (validated by
certs/forms.py); these functions pick what matches, put it in the chosen order and count, for
every option of every filter, how many certifications it would show. The whole catalog is a
few dozen rows, so filtering it here costs no query at all, whatever is ticked.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from .models import Certification, Focus, Level, Status, Vendor

# Each label follows "sorted by".
SORTS = {
    "vendor": "vendor",
    "name": "name (A to Z)",
    "level": "level (entry level first)",
    "lifecycle": "retirement or beta date (latest first)",
}
DEFAULT_SORT = "vendor"
FACETS = ("vendor", "level", "status", "focus")

# Specialty exams sit beside the professional ones; a level the vendor does not state comes last.
LEVEL_RANK = {
    Level.FOUNDATIONAL: 0,
    Level.ASSOCIATE: 1,
    Level.PROFESSIONAL: 2,
    Level.SPECIALTY: 2,
    Level.EXPERT: 3,
    Level.UNSTATED: 4,
}


@dataclass(frozen=True)
class CatalogChoice:
    """What the visitor asked for: within a filter any ticked option matches, across filters
    all must."""

    vendor: frozenset[str] = frozenset()
    level: frozenset[str] = frozenset()
    status: frozenset[str] = frozenset()
    focus: frozenset[str] = frozenset()
    sort: str = DEFAULT_SORT

    @property
    def filtered(self) -> bool:
        return any(getattr(self, facet) for facet in FACETS)


@dataclass(frozen=True)
class Option:
    value: str  # as it goes in the query string
    label: str
    count: int  # how many of the certifications that pass the other filters have this option
    chosen: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter
    legend: str
    options: list[Option]


@dataclass(frozen=True)
class Listing:
    certifications: list[Certification]  # the ones shown, in the chosen order
    total: int  # the whole catalog
    choice: CatalogChoice
    facets: list[Facet]
    sorts: list[tuple[str, str, bool]] = field(default_factory=list)  # (value, label, chosen)

    @property
    def grouped(self) -> bool:
        """Listed under a heading per vendor (the catalog order) or as one table."""
        return self.choice.sort == DEFAULT_SORT

    @property
    def sort_label(self) -> str:
        return SORTS[self.choice.sort]

    @property
    def vendor_count(self) -> int:
        return len(self.facets[0].options)


def vendors_of(catalog: Sequence[Certification]) -> list[Vendor]:
    """The vendors of these certifications, in catalog order."""
    return list({cert.vendor_id: cert.vendor for cert in catalog}.values())


def focuses_of(catalog: Sequence[Certification]) -> list[Focus]:
    """The focus areas these certifications are about, in display order (loaded with_focus)."""
    found = {focus.pk: focus for cert in catalog for focus in cert.focus_tags}
    return sorted(found.values(), key=lambda focus: (focus.order, focus.slug))


def browse(*, catalog: Sequence[Certification], choice: CatalogChoice) -> Listing:
    """The certifications of `catalog` (in catalog order) that match `choice`, in its order, with
    every filter's options and their counts."""
    shown = [cert for cert in catalog if _matches(cert, choice)]
    labels = {
        "vendor": [(v.slug, v.name) for v in vendors_of(catalog)],
        "level": _present(Level, {c.level for c in catalog} | choice.level),
        "status": _present(Status, {c.status for c in catalog} | choice.status),
        "focus": [(f.slug, f.name) for f in focuses_of(catalog)],
    }
    legends = {"vendor": "Vendor", "level": "Level", "status": "Status", "focus": "Topic"}
    facets = [
        Facet(name, legends[name], _options(catalog, choice, name, labels[name])) for name in FACETS
    ]
    return Listing(
        certifications=_sorted(shown, choice.sort),
        total=len(catalog),
        choice=choice,
        facets=facets,
        sorts=[(value, label, value == choice.sort) for value, label in SORTS.items()],
    )


def _values(cert: Certification, facet: str) -> set[str]:
    if facet == "vendor":
        return {cert.vendor_id}
    if facet == "focus":
        return {focus.slug for focus in cert.focus_tags}
    return {getattr(cert, facet)}


def _matches(cert: Certification, choice: CatalogChoice, *, ignoring: str = "") -> bool:
    return all(
        not getattr(choice, facet) or _values(cert, facet) & getattr(choice, facet)
        for facet in FACETS
        if facet != ignoring
    )


def _present(choices, values: set[str]) -> list[tuple[str, str]]:
    """The choices of an enumeration that occur in `values`, in the enumeration's order."""
    return [(value, label) for value, label in choices.choices if value in values]


def _options(catalog, choice: CatalogChoice, facet: str, labels) -> list[Option]:
    # Counted against the other filters only, so a count says what ticking the option adds.
    others = [cert for cert in catalog if _matches(cert, choice, ignoring=facet)]
    chosen = getattr(choice, facet)
    return [
        Option(
            value=value,
            label=label,
            count=sum(value in _values(cert, facet) for cert in others),
            chosen=value in chosen,
        )
        for value, label in labels
    ]


def _sorted(certifications: list[Certification], sort: str) -> list[Certification]:
    """In the chosen order; ties keep the catalog order (sorted() is stable)."""
    if sort == "name":
        return sorted(certifications, key=lambda cert: cert.name.casefold())
    if sort == "level":
        return sorted(certifications, key=lambda cert: LEVEL_RANK.get(cert.level, len(LEVEL_RANK)))
    if sort == "lifecycle":
        dated = [cert for cert in certifications if cert.status_date]
        undated = [cert for cert in certifications if not cert.status_date]
        return sorted(dated, key=lambda cert: cert.status_date, reverse=True) + undated
    return list(certifications)
