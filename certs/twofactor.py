"""The second factor for staff (django-otp): a time-based code from an authenticator app (TOTP),
or one of ten single-use recovery codes. Required for every staff account when REQUIRE_2FA is
on (the default outside DEBUG); `manage.py two_factor <username>` enrols a user."""

from base64 import b32encode
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db import transaction
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """Username, password and one code field. The device is chosen from the code's shape among
    the user's own: six digits come from the authenticator app, anything else is a recovery
    code. So there is no device list to pick from first (django-otp's default form)."""

    otp_token = forms.CharField(
        required=False,
        label="Code",
        help_text="The six digits from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Enter the code from your authenticator app, or a recovery code.",
        "device_required": "This account has no second factor yet: ask an administrator to "
        "enrol it (manage.py two_factor).",
        "invalid_token": "That code is not right, or a recovery code was already used.",
    }

    def _chosen_device(self, user):
        token = (self.cleaned_data.get("otp_token") or "").strip()
        model = TOTPDevice if len(token) == 6 and token.isdigit() else StaticDevice
        return model.objects.filter(user=user, confirmed=True).first()

    def _update_form(self, user):
        """django-otp fills a device list and echoes the password back; neither is wanted."""


class StaffAdminSite(OTPAdminSite):
    """The admin site. With REQUIRE_2FA, only sessions verified by a second factor get in (a
    signed-in but unverified member of staff is sent to the sign-in page); without it, it is
    Django's own. The setting is read per request, so tests can switch it."""

    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def login_form(self):
        return StaffAuthenticationForm if settings.REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return "admin/login_2fa.html" if settings.REQUIRE_2FA else None

    def has_permission(self, request):
        if settings.REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)


@dataclass(frozen=True)
class Enrolment:
    otpauth_url: str
    secret: str
    recovery_codes: list[str]


@transaction.atomic
def enrol(user) -> Enrolment:
    """Replace the user's second factors with a new authenticator secret and fresh recovery
    codes: the old ones stop working at once (for a lost phone, too)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    totp = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return Enrolment(totp.config_url, b32encode(totp.bin_key).decode(), codes)
