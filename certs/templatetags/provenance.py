"""A fact's cell and its provenance line, as template tags.

They are printed once per fact (a 4-way comparison prints over a hundred), and as Python they
render several times faster than the same markup as included templates; format_html escapes
every value exactly as the template engine would.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..models import Value

register = template.Library()

_ASSESSMENT = mark_safe(
    '<span class="provenance provenance--assessment"><span class="tag tag--assessment">'
    "Assessment</span> our judgement, not a vendor figure</span>"
)
_NO_ENTRY = mark_safe('<span class="cell__value cell__value--missing">No entry yet</span>')


@register.simple_tag
def source_line(src, when=None, fresh=None, assessment=False):
    """Where a fact comes from and when we checked it, or that it is our own assessment."""
    if assessment:
        return _ASSESSMENT
    if not src:
        return ""
    return format_html(
        '<span class="provenance">Source: {}{}</span>', _publisher(src), _checked(when, fresh)
    )


@register.simple_tag
def value_cell(value):
    """One fact as a table cell's content: the value, its note, any sources that disagree, and
    its provenance. `value` comes from Value.objects.for_pages() (or is None)."""
    if value is None:
        return _NO_ENTRY
    missing = " cell__value--missing" if value.availability != Value.Availability.STATED else ""
    parts = [format_html('<span class="cell__value{}">{}</span>', missing, value.display)]
    if value.note:
        parts.append(format_html('<span class="cell__note">{}</span>', value.note))
    others = value.other_sources
    if value.disagreement or others:
        parts.append(
            format_html(
                '<span class="cell__disagree"><strong>Sources disagree.</strong> {}{}</span>',
                value.disagreement,
                format_html_join(
                    "", " {} says: {}", ((_publisher(o.source), o.says) for o in others)
                ),
            )
        )
    parts.append(source_line(value.source, value.verified_on, value.freshness, value.is_assessment))
    return format_html_join("\n", "{}", ((part,) for part in parts))


def _publisher(src):
    if src.url:
        return format_html('<a href="{}" rel="noopener">{}</a>', src.url, src.publisher)
    return src.publisher


def _checked(when, fresh):
    if not when:
        return ""
    day = when.isoformat()
    badge = (
        format_html(' <span class="fresh fresh--{}">{}</span>', fresh, fresh.label) if fresh else ""
    )
    return format_html(' · verified <time datetime="{}">{}</time>{}', day, day, badge)
