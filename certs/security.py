"""Sign-in protections for staff: the client's real address behind a proxy, lockout per account
and address plus throttling per address, the lockout page, and passwords no guesser tries first.
Visitors never sign in; everything here concerns the admin."""

import datetime
import ipaddress
import re

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone


def is_staff_user(user) -> bool:
    """Staff, and with the second factor required, verified by it in this session: who may
    preview drafts and skip the page cache."""
    if not (user.is_authenticated and user.is_staff):
        return False
    if not settings.REQUIRE_2FA:
        return True
    # django-otp's middleware gives request.user is_verified(); the user object the sign-in
    # form has just logged in carries the device it verified instead.
    is_verified = getattr(user, "is_verified", None)
    return is_verified() if is_verified else getattr(user, "otp_device", None) is not None


def client_ip(request) -> str | None:
    """The visitor's address. Behind DJANGO_TRUSTED_PROXIES proxies, each appends the address it
    saw to X-Forwarded-For, so the client is the entry that many places from the right: anything
    further left was written by the client itself and can be forged. Without a declared proxy the
    header is ignored for the same reason."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginThrottle(AxesDatabaseHandler):
    """Two counters with one limit in django-axes: failures for this username from this address
    (AXES_FAILURE_LIMIT, a person mistyping), and failures from this address for any username
    (LOGIN_ADDRESS_FAILURE_LIMIT, someone trying one password against many accounts). The
    address counter is scaled onto the first limit, because axes compares both with one number.
    AXES_LOCKOUT_PARAMETERS lists them in this order."""

    def get_failures(self, request, credentials=None) -> int:
        per_account, per_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = per_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(per_account, scaled)


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page, saying when to try again (also as Retry-After)."""
    cool_off = get_cool_off(request) or datetime.timedelta(hours=1)
    response = render(
        request,
        "lockout.html",
        {"retry_at": timezone.now() + cool_off, "minutes": round(cool_off.total_seconds() / 60)},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# Guessers start with the site's own name and a season or month with a year ("Winter2026"),
# which Django's list of common passwords does not hold.
_SITE_WORDS = ("certcompare", "comparator", "certification")
_COMMON_WORDS = frozenset(
    "password admin administrator welcome letmein qwerty azerty staff editor login "
    "spring summer autumn fall winter january february march april may june july august "
    "september october november december".split()
)


class SiteWordsValidator:
    """Refuses the site's name anywhere in a password, and a common word padded with digits or
    symbols."""

    def validate(self, password, user=None):
        letters = re.sub(r"[^a-z]", "", password.lower())
        if letters in _COMMON_WORDS or any(word in letters for word in _SITE_WORDS):
            raise ValidationError(
                "This password is among the first an attacker would try.",
                code="password_site_word",
            )

    def get_help_text(self):
        return "Your password cannot be the site's name or a season or month with a year."
