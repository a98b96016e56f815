"""Staff sign-in: the lockout behind a proxy, throttling by address, the second factor, strong
passwords and the idle timeout. Visitors never sign in; all of this is about the admin."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from certs.models import Certification

from .factories import make_certification, make_faq

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-staff-passphrase-7"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # Each sign-in hashes a password; Django's real hasher takes a quarter of a second for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def boss():
    return get_user_model().objects.create_superuser("boss", "b@example.com", PASSWORD)


def sign_in(client, username, password, *, via=None, code=None):
    """A sign-in as it reaches the app through nginx: the client's address is the last entry of
    X-Forwarded-For, whatever the client itself put before it."""
    headers = {"X-Forwarded-For": f"10.9.9.9, {via}"} if via else {}
    data = {"username": username, "password": password}
    if code is not None:
        data["otp_token"] = code
    return client.post(LOGIN, data, headers=headers)


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = 1


def test_wrong_passwords_from_one_address_do_not_lock_out_the_real_user(
    client, boss, behind_nginx, settings
):
    # Before, every request through nginx came from 127.0.0.1: five wrong passwords from
    # anywhere locked `boss` out everywhere for an hour.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "boss", "wrong", via="203.0.113.5")
    locked = sign_in(client, "boss", PASSWORD, via="203.0.113.5")
    assert locked.status_code == 429
    real = sign_in(client, "boss", PASSWORD, via="198.51.100.7")
    assert real.status_code == 302 and real["Location"] == "/admin/"


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, boss, behind_nginx):
    for n in range(5):
        # The attacker writes a new address each time; nginx appends the one it saw.
        client.post(
            LOGIN,
            {"username": "boss", "password": "wrong"},
            headers={"X-Forwarded-For": f"192.0.2.{n}, 203.0.113.5"},
        )
    assert sign_in(client, "boss", PASSWORD, via="203.0.113.5").status_code == 429


def test_without_a_declared_proxy_the_header_is_ignored(client, boss, settings):
    assert settings.TRUSTED_PROXIES == 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        # Otherwise each made-up address would start a fresh count.
        sign_in(client, "boss", "wrong", via=f"192.0.2.{n}")
    assert sign_in(client, "boss", PASSWORD, via="198.51.100.7").status_code == 429


def test_one_password_sprayed_over_many_usernames_is_throttled(
    client, boss, behind_nginx, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    statuses = [
        sign_in(client, f"user{n}", "Winter2026", via="203.0.113.9").status_code for n in range(30)
    ]
    assert statuses[:19] == [200] * 19  # the form again, with its error
    assert set(statuses[19:]) == {429}
    # ... the whole address: even a right password from there waits ...
    assert sign_in(client, "boss", PASSWORD, via="203.0.113.9").status_code == 429
    # ... and nobody else does.
    assert sign_in(client, "boss", PASSWORD, via="198.51.100.7").status_code == 302


def test_the_lockout_page_says_when_to_try_again(client, boss, behind_nginx, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "boss", "wrong", via="203.0.113.5")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    html = response.content.decode()
    assert re.search(r"Try again after <time datetime=\"[^\"]+\">\d\d:\d\d UTC</time>", html)
    assert "in about 60 minutes" in html


# The second factor


@pytest.fixture
def two_factor(settings):
    settings.REQUIRE_2FA = True
    # After a wrong code django-otp refuses every code for 1, 2, 4... seconds; tests do not wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0


def enrol(username):
    out = StringIO()
    call_command("two_factor", username, stdout=out)
    text = out.getvalue()
    uri = re.search(r"otpauth://\S+", text).group(0)
    codes = re.findall(r"^  ([a-z2-7]{8})$", text, re.M)
    return uri, codes


def current_totp(user):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_staff_without_a_second_factor_cannot_reach_the_admin(client, boss, two_factor):
    refused = sign_in(client, "boss", PASSWORD, code="123456")
    assert refused.status_code == 200
    assert "no second factor yet" in refused.content.decode()
    # Even a session signed in by password alone is not let in.
    client.force_login(boss)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get("/admin/certs/value/").status_code == 302


def test_the_authenticator_code_lets_staff_in(client, boss, two_factor):
    uri, codes = enrol("boss")
    assert uri.startswith("otpauth://totp/CertCompare%3Aboss?secret=") and len(codes) == 10
    assert sign_in(client, "boss", PASSWORD).status_code == 200  # password alone: asked for a code
    assert sign_in(client, "boss", PASSWORD, code="000000").status_code == 200
    response = sign_in(client, "boss", PASSWORD, code=current_totp(boss))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/certs/value/").status_code == 200


def test_a_recovery_code_works_once(client, boss, two_factor):
    _, codes = enrol("boss")
    assert sign_in(client, "boss", PASSWORD, code=codes[0]).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    again = sign_in(client, "boss", PASSWORD, code=codes[0])
    assert again.status_code == 200
    assert "already used" in again.content.decode()
    assert sign_in(client, "boss", PASSWORD, code=codes[1]).status_code == 302


def test_enrolling_again_replaces_the_old_factors(client, boss, two_factor):
    _, old_codes = enrol("boss")
    _, new_codes = enrol("boss")
    assert sign_in(client, "boss", PASSWORD, code=old_codes[0]).status_code == 200
    assert sign_in(client, "boss", PASSWORD, code=new_codes[0]).status_code == 302


def test_unverified_staff_do_not_preview_drafts(client, boss, two_factor):
    draft = make_certification(is_published=False)
    client.force_login(boss)
    assert client.get(f"/certifications/{draft.slug}/").status_code == 404
    enrol("boss")
    sign_in(client, "boss", PASSWORD, code=current_totp(boss))
    assert client.get(f"/certifications/{draft.slug}/").status_code == 200


def test_the_second_factor_is_on_by_default_outside_debug(run_manage):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.REQUIRE_2FA)",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="x",
    )
    assert result.stdout.split()[-1] == "True", result.stderr


# Passwords and sessions


@pytest.mark.parametrize(
    "password", ["Winter2026", "certcompare", "Winter2026!!", "certcompare-2026", "short-1A!"]
)
def test_weak_staff_passwords_are_refused(password):
    user = get_user_model()(username="newstaff", is_staff=True)
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_password_is_accepted():
    validate_password("tangerine-lighthouse-47", get_user_model()(username="newstaff"))


def test_the_admin_refuses_a_weak_password_for_a_new_user(client, boss):
    client.force_login(boss)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "newstaff",
            "usable_password": "true",
            "password1": "Winter2026",
            "password2": "Winter2026",
        },
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not get_user_model().objects.filter(username="newstaff").exists()


def test_an_idle_staff_session_expires(client, boss, settings, monkeypatch):
    assert settings.SESSION_COOKIE_AGE == 4 * 3600
    client.force_login(boss)
    start = timezone.now()

    def at(hours):
        monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(hours=hours))
        return client.get("/admin/")

    # Every request pushes the end further: working for eight hours is fine ...
    for hours in (1, 3.5, 6, 8):
        assert at(hours).status_code == 200, hours
    # ... four hours without a request is not.
    response = at(12.5)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_visitors_still_get_no_cookie(client):
    for url in ("/", "/faq/", "/compare/pmle-vs-ai-102/"):
        assert not client.get(url).cookies, url


def test_draft_faq_entries_and_sources_stay_private(client, boss):
    draft = make_certification(is_published=False)
    faq = make_faq(certifications=[draft], question="Is the secret exam any good?")
    faq.sources.add(draft.status_source)
    published = Certification.objects.get(slug="pmle")
    shared = make_faq(certifications=[draft, published], question="Shared with a draft?")
    for url, text in [
        ("/faq/", "Is the secret exam any good?"),
        ("/sources/", f'id="source-{draft.status_source.slug}"'),
    ]:
        assert text not in client.get(url).content.decode(), url
    assert shared.question in client.get("/faq/").content.decode()
    # Staff preview everything.
    client.force_login(boss)
    assert "Is the secret exam any good?" in client.get("/faq/").content.decode()
    assert f'id="source-{draft.status_source.slug}"' in client.get("/sources/").content.decode()
