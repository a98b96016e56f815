"""Atom feeds of the change log, site-wide and per certification, for people who want to know
when a fact about the exam they are studying for changes."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .changes import change_log
from .models import Certification


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        return get_object_or_404(Certification.objects.published(), slug=slug)

    def title(self, obj):
        if obj is None:
            return "CertCompare: changes to AI/ML certification facts"
        return f"CertCompare: changes to {obj.short_name} ({obj.name})"

    def subtitle(self, obj):
        return "Every change to a published fact, with its source."

    def link(self, obj):
        if obj is None:
            return reverse("certs:changes")
        return reverse("certs:certification-changes", args=[obj.slug])

    def items(self, obj):
        return change_log(certification=obj, limit=50)

    def item_title(self, item):
        return item.summary

    def item_description(self, item):
        source = f" Source: {item.source.title} ({item.source.publisher})." if item.source else ""
        reason = f" Reason: {item.reason}." if item.reason else ""
        return f"{item.summary}.{source}{reason}"

    def item_link(self, item):
        return item.certification.get_absolute_url() + f"#row-{item.feature_slug}"

    def item_guid(self, item):
        return f"change:{item.certification.slug}:{item.feature_slug}:{item.when.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.when

    def item_updateddate(self, item):
        return item.when
