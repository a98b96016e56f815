"""A fact's cell, a derived cost's cell and their provenance lines, as template tags.

They are printed once per fact (a 4-way comparison prints over a hundred), and as Python they
render several times faster than the same markup as included templates. Every value goes
through `_e`, the escaping Django's own `escape` does (it is html.escape), without the
lazy-string checks that made format_html the next bottleneck here.
"""

from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from ..comparison import CostCell, money
from ..models import Value

register = template.Library()

_ASSESSMENT = mark_safe(
    '<span class="provenance provenance--assessment"><span class="tag tag--assessment">'
    "Assessment</span> our judgement, not a vendor figure</span>"
)
_NO_ENTRY = mark_safe('<span class="cell__value cell__value--missing">No entry yet</span>')


def _e(value) -> str:
    return escape(str(value))


@register.simple_tag
def source_line(src, when=None, fresh=None, assessment=False):
    """Where a fact comes from and when we checked it, or that it is our own assessment."""
    if assessment:
        return _ASSESSMENT
    if not src:
        return ""
    return mark_safe(
        f'<span class="provenance">Source: {_publisher(src)}{_checked(when, fresh)}</span>'
    )


@register.simple_tag
def value_cells(row):
    """A comparison row's facts, one table cell per certification: one tag for the whole row
    rather than one per cell, and today's date worked out once."""
    today = timezone.localdate()
    return mark_safe(
        "".join(f"\n      <td>\n        {_cell(c.value, today)}\n      </td>" for c in row.cells)
    )


@register.simple_tag
def value_cell(value):
    """One fact as a table cell's content: the value, its note, any sources that disagree, and
    its provenance. `value` comes from Value.objects.for_pages() (or is None)."""
    return _cell(value, timezone.localdate())


def _cell(value, today):
    if value is None:
        return _NO_ENTRY
    missing = " cell__value--missing" if value.availability != Value.Availability.STATED else ""
    parts = [f'<span class="cell__value{missing}">{_e(value.display)}</span>']
    if value.note:
        parts.append(f'<span class="cell__note">{_e(value.note)}</span>')
    others = value.other_sources
    if value.disagreement or others:
        says = "".join(f" {_publisher(o.source)} says: {_e(o.says)}" for o in others)
        parts.append(
            '<span class="cell__disagree"><strong>Sources disagree.</strong> '
            f"{_e(value.disagreement)}{says}</span>"
        )
    fresh = value.freshness_on(today)
    parts.append(source_line(value.source, value.verified_on, fresh, value.is_assessment))
    return mark_safe("\n".join(parts))


@register.simple_tag
def cost_cell(cell: CostCell):
    """A derived cost as a table cell's content: the total (or why there is none), how it was
    worked out, and links to the rows it was derived from."""
    if cell.total is None:
        total = '<span class="cell__value cell__value--missing">Not computable</span>'
    else:
        total = f'<span class="cell__value">{_e(money(cell.total, cell.currency))}</span>'
    derived = ", ".join(
        f'<a href="#row-{_e(f.feature.slug)}">{_e(f.feature.label.lower())}</a>' for f in cell.facts
    )
    return mark_safe(
        f'{total}\n        <span class="cell__note">{_e(cell.explanation)}</span>\n        '
        f'<span class="provenance">Derived from: {derived}</span>'
    )


def _publisher(src) -> str:
    if src.url:
        return f'<a href="{_e(src.url)}" rel="noopener">{_e(src.publisher)}</a>'
    return _e(src.publisher)


def _checked(when, fresh) -> str:
    if not when:
        return ""
    day = when.isoformat()
    badge = f' <span class="fresh fresh--{_e(fresh)}">{_e(fresh.label)}</span>' if fresh else ""
    return f' · verified <time datetime="{day}">{day}</time>{badge}'
