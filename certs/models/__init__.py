"""The content of the site, one module per concern: base (freshness, natural keys, drafts),
catalog (vendors, sources, certifications and their relations, focuses, exam versions, skill
domains, topics), facts (the comparison's rows and cells), editorial (FAQ, written-up
head-to-heads), market (sourced market figures and statements), wizard (questions, choices,
weights) and bookkeeping (the content version, fixture conflicts, source checks). Everything
is re-exported here, so `from certs.models import Certification` works whatever module holds it.

Every content model has a slug-based natural key so that the JSON fixtures in fixtures/ can be
loaded again and again without duplicates and exported back byte for byte (export_content). A
choice whose label would only repeat its name in title case leaves the label out: Django derives
it (`Status.BETA.label == "Beta"`).
"""

from .base import (
    Basis,
    Freshness,
    PublishableQuerySet,
    SlugQuerySet,
    Verified,
    freshness_of,
)
from .bookkeeping import ContentVersion, FixtureConflict, SourceCheck
from .catalog import (
    Certification,
    ExamLanguage,
    ExamVersion,
    Focus,
    Language,
    Level,
    Relation,
    SkillDomain,
    Source,
    Status,
    Topic,
    Vendor,
    show_public_successors,
)
from .editorial import EditorialBlock, FAQEntry, Matchup
from .facts import (
    Category,
    Disagreement,
    FactToReverify,
    Feature,
    Priority,
    Value,
    attach_disagreements,
    last_reviewed,
    publish_blockers,
)
from .market import MarketFigure, MarketSeries, MarketStatement
from .wizard import Choice, Question, Weight

__all__ = [
    "Basis",
    "Category",
    "Certification",
    "Choice",
    "ContentVersion",
    "Disagreement",
    "EditorialBlock",
    "ExamLanguage",
    "ExamVersion",
    "FAQEntry",
    "FactToReverify",
    "Feature",
    "FixtureConflict",
    "Focus",
    "Freshness",
    "Language",
    "Level",
    "MarketFigure",
    "MarketSeries",
    "MarketStatement",
    "Matchup",
    "Priority",
    "PublishableQuerySet",
    "Question",
    "Relation",
    "SkillDomain",
    "SlugQuerySet",
    "Source",
    "SourceCheck",
    "Status",
    "Topic",
    "Value",
    "Vendor",
    "Verified",
    "Weight",
    "attach_disagreements",
    "freshness_of",
    "last_reviewed",
    "publish_blockers",
    "show_public_successors",
]
