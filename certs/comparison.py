"""Side-by-side comparison of certifications, as plain data.

Nothing here knows about requests or templates: the view fetches the rows with a constant
number of queries and hands them over; these functions only arrange them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Category, Certification, Feature, Source, Value


@dataclass(frozen=True)
class Cell:
    certification: Certification
    value: Value | None


@dataclass(frozen=True)
class Row:
    feature: Feature
    cells: tuple[Cell, ...]
    differs: bool


@dataclass(frozen=True)
class Group:
    category: Category
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Matrix:
    certifications: tuple[Certification, ...]
    groups: tuple[Group, ...]
    sources: tuple[Source, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for group in self.groups for row in group.rows)


def _comparable(value: Value | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.display.casefold().split())


def build_matrix(
    *,
    certifications: Sequence[Certification],
    features: Iterable[Feature],
    values: Iterable[Value],
) -> Matrix:
    """Arrange `values` into rows (one per feature, grouped by category, in the features' order)
    with one cell per certification, mark the rows whose cells differ, and list the sources the
    cells cite, in order of first appearance."""
    by_key = {(v.certification_id, v.feature_id): v for v in values}
    groups: list[Group] = []
    current: Category | None = None
    rows: list[Row] = []
    for feature in features:
        if current is not None and feature.category_id != current.pk:
            groups.append(Group(category=current, rows=tuple(rows)))
            rows = []
        current = feature.category
        cells = tuple(Cell(c, by_key.get((c.pk, feature.pk))) for c in certifications)
        differs = len({_comparable(cell.value) for cell in cells}) > 1
        rows.append(Row(feature=feature, cells=cells, differs=differs))
    if current is not None:
        groups.append(Group(category=current, rows=tuple(rows)))

    sources: dict[int, Source] = {}
    for group in groups:
        for row in group.rows:
            for cell in row.cells:
                if cell.value is not None and cell.value.source is not None:
                    sources.setdefault(cell.value.source.pk, cell.value.source)
    return Matrix(
        certifications=tuple(certifications), groups=tuple(groups), sources=tuple(sources.values())
    )
