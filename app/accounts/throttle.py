"""Sign-in throttling over ``SignInFailure``: a lockout per user name, a rate limit per address.

Both the sign-in page and ``POST /api/v1/auth/token/`` go through ``begin_attempt`` before the
password is checked, and ``forgive`` after a correct one (app.accounts.services.sign_in):

- **Lockout**: a user name with 5 failed passwords within 15 minutes is locked for 15 minutes
  from the 5th; while locked every attempt is refused, a correct password too.
- **Rate limit**: an address with 20 failed attempts (whatever the user names) in the last
  10 minutes is refused until the oldest of those 20 is 10 minutes old.

Each attempt is written as a failure *before* the password is checked (under an advisory lock
per user name and per address), so parallel guesses are counted before any of them is hashed;
a correct password then deletes the user name's failures. Refused attempts check no password
and write nothing, so a lockout ends when it says it will. Rows older than any window are
pruned as attempts are written.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from app.accounts.models import SignInFailure

LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
LOCKOUT_DURATION = timedelta(minutes=15)
ADDRESS_FAILURES = 20
ADDRESS_WINDOW = timedelta(minutes=10)
# A failure can matter for this long: a lockout found in the window lasts as long again.
KEEP_FAILURES = max(LOCKOUT_WINDOW + LOCKOUT_DURATION, ADDRESS_WINDOW)

USERNAME_MAX_LENGTH = SignInFailure._meta.get_field("username").max_length


class SignInRefused(Exception):
    """Too many failures; ``message`` says when to try again, ``retry_at`` is that moment."""

    def __init__(self, message: str, retry_at: datetime):
        super().__init__(message)
        self.message = message
        self.retry_at = retry_at

    @property
    def retry_after_seconds(self) -> int:
        """For the ``Retry-After`` header: whole seconds, at least 1."""
        return max(1, math.ceil((self.retry_at - timezone.now()).total_seconds()))


@dataclass(frozen=True)
class Attempt:
    """One attempt written as a failure until ``forgive`` deletes it."""

    username: str
    address: str | None


def client_address(request) -> str | None:
    """The address a request came from: ``REMOTE_ADDR``, or the header named by the
    CLIENT_ADDRESS_HEADER setting behind a reverse proxy (the last address of a list, the one
    the proxy appended). None when it is not an IP address."""
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        raw = raw.split(",")[-1]
    else:
        raw = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def begin_attempt(*, username: str, address: str | None) -> Attempt:
    """Refuse (SignInRefused) a locked user name or a limited address, else write the attempt
    as a failure and return it. Commits before the password is checked."""
    username = username[:USERNAME_MAX_LENGTH]
    with transaction.atomic():
        _lock(f"sign-in user {username}")
        if address is not None:
            _lock(f"sign-in address {address}")
        now = timezone.now()
        locked_until = _locked_until(username, now)
        if locked_until is not None:
            raise SignInRefused(
                _(
                    "Too many failed sign-ins for this user name: it is locked until %(time)s "
                    "(%(minutes)s min). Try again then."
                )
                % _when(locked_until, now),
                locked_until,
            )
        if address is not None:
            limited_until = _limited_until(address, now)
            if limited_until is not None:
                raise SignInRefused(
                    _(
                        "Too many failed sign-ins from your address: try again at %(time)s "
                        "(in %(minutes)s min)."
                    )
                    % _when(limited_until, now),
                    limited_until,
                )
        SignInFailure.objects.filter(at__lt=now - KEEP_FAILURES).delete()
        SignInFailure.objects.create(username=username, address=address)
    return Attempt(username=username, address=address)


def forgive(attempt: Attempt) -> None:
    """A correct password: the user name's failures (this attempt's row included) are gone."""
    SignInFailure.objects.filter(username=attempt.username).delete()


def _locked_until(username: str, now: datetime) -> datetime | None:
    """The end of the lockout in force, if any: 15 minutes after a failure that was the 5th
    within 15 minutes."""
    times = list(
        SignInFailure.objects.filter(
            username=username, at__gte=now - LOCKOUT_WINDOW - LOCKOUT_DURATION
        )
        .order_by("at")
        .values_list("at", flat=True)
    )
    until = None
    for index in range(LOCKOUT_FAILURES - 1, len(times)):
        if times[index] - times[index - LOCKOUT_FAILURES + 1] <= LOCKOUT_WINDOW:
            until = times[index] + LOCKOUT_DURATION
    return until if until is not None and until > now else None


def _limited_until(address: str, now: datetime) -> datetime | None:
    """When the address may try again, if it has 20 failures in the last 10 minutes."""
    recent = list(
        SignInFailure.objects.filter(address=address, at__gte=now - ADDRESS_WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)[:ADDRESS_FAILURES]
    )
    if len(recent) < ADDRESS_FAILURES:
        return None
    return recent[-1] + ADDRESS_WINDOW


def _lock(key: str) -> None:
    # Held to the end of the transaction: the check and the write of one attempt happen before
    # any parallel attempt for the same user name or address is checked.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def _when(moment: datetime, now: datetime) -> dict[str, str | int]:
    return {
        "time": formats.time_format(timezone.localtime(moment), "H:i"),
        "minutes": max(1, math.ceil((moment - now).total_seconds() / 60)),
    }
