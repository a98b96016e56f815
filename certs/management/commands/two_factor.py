"""Enrol a member of staff in the second factor, or reset it (a lost phone, used-up codes)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from certs.twofactor import enrol


class Command(BaseCommand):
    help = (
        "Give a user a new authenticator secret and ten fresh recovery codes; any earlier ones "
        "stop working. Hand the output to the user over a safe channel."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        enrolment = enrol(user)
        self.stdout.write(
            f"Second factor for {username}. Add it to an authenticator app (scan or paste):\n"
            f"  otpauth URI: {enrolment.otpauth_url}\n"
            f"  secret:      {enrolment.secret}\n"
            "Recovery codes (each works once, keep them somewhere safe):\n"
            + "".join(f"  {code}\n" for code in enrolment.recovery_codes)
        )
        if not user.is_staff:
            self.stderr.write(f"Note: {username} is not staff, so cannot use the admin anyway.")
