import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the real content in fixtures/ (each test rolls back its changes)."""
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Page tests measure the views themselves; tests/test_caching.py turns the cache on."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage():
    # Tests render templates without running collectstatic; the manifest storage is exercised
    # by the browser tests, which serve the site exactly as production does.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        yield


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def run_manage():
    """run_manage(*args, **env): manage.py in a fresh process with these environment variables
    added, as an operator would run it; returns the CompletedProcess (output captured)."""

    def run(*args, **env):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            timeout=300,
        )

    return run


@pytest.fixture
def make_staff(db):
    """make_staff(name) -> a test client signed in as a new superuser of that name."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    def make(name="editor"):
        user = get_user_model().objects.create_superuser(
            name, f"{name}@example.com", "pw-long-enough-1"
        )
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def more_content(db):
    """more_content(): ten more certifications (half of them from a new vendor, each about a
    new focus area as well as an existing one, each requiring PMLE and AI-500 and renewing
    AI-102), rows (each with a value for every new certification) and FAQ entries, for tests
    that a page's cost does not grow with them."""
    from certs.models import Certification, Focus, Relation
    from tests.factories import (
        make_certification,
        make_faq,
        make_feature,
        make_focus,
        make_value,
        make_vendor,
    )

    def add():
        vendor = make_vendor("test-vendor-more", name="More Vendor", order=60)
        focuses = [make_focus(), Focus.objects.get(slug="genai")]
        certs = [make_certification(vendor=vendor if n % 2 else "aws") for n in range(10)]
        targets = Certification.objects.filter(slug__in=["pmle", "ai-500", "ai-102"])
        for cert in certs:
            cert.focus.set(focuses)
            for target in targets:
                kind = Relation.Kind.RENEWS if target.slug == "ai-102" else Relation.Kind.REQUIRES
                Relation.objects.create(
                    from_certification=cert,
                    to_certification=target,
                    kind=kind,
                    source=cert.status_source,
                    verified_on=cert.verified_on,
                )
        features = [make_feature() for _ in range(10)]
        for cert in certs:
            for feature in features:
                make_value(cert, feature)
        for n in range(10):
            make_faq(certifications=certs[: n + 1])
        return certs

    return add
