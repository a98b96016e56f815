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
