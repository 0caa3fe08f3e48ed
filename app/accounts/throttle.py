"""Sign-in throttling over ``SignInFailure``: growing back-off per user name *and* address.

Both the sign-in pages and ``POST /api/v1/auth/token/`` go through ``begin_attempt`` before the
password is checked, and ``forgive`` after a correct one (app.accounts.services.sign_in). Nothing
here ever locks a user name outright: issue 8 found that 5 wrong passwords from anyone locked the
real user out for 15 minutes, and 20 from one address (a NAT, a proxy) everyone behind it.

- **Per user name and address** (the pair): the first ``FREE_FAILURES`` failures cost nothing;
  from then on each attempt waits 1 s after the last failure, then 2 s, 4 s … up to
  ``MAX_WAIT``. Someone guessing a password from one place is slowed down; the same name from
  any other address is not.
- **Per user name** (from every address, ``NAME_CEILING`` failures in the window): the name is
  under a distributed attack, so every address's back-off for it starts at its first failure
  instead of its sixth. An address with no failure for the name is never made to wait, so the
  right password from a new address signs in however hard the name is hammered from elsewhere.
- **Per address** (``settings.SIGNIN_ADDRESS_CEILING`` failures in the window across names, high
  enough for a NAT): that address, and only it, waits 1 s, 2 s, 4 s … after its last failure.

Failures count for ``WINDOW``. Each attempt is written as a failure *before* the password is
checked (under an advisory lock per user name and per address), so parallel guesses are counted
before any of them is hashed; a correct password then deletes the pair's failures. Refused
attempts check no password and write nothing, so a wait ends when it says it will. API tokens
are not touched by any of this: scripts keep working while their owner's name is attacked.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from app.accounts.models import SignInFailure

FREE_FAILURES = 5
MAX_WAIT = timedelta(minutes=10)
NAME_CEILING = 50
WINDOW = timedelta(hours=1)

USERNAME_MAX_LENGTH = SignInFailure._meta.get_field("username").max_length


def now() -> datetime:
    """The throttle's clock; the tests stop it (tests/accounts/test_sign_in_throttle.py)."""
    return timezone.now()


class SignInRefused(Exception):
    """Too many failures; ``message`` says how long to wait, ``retry_at`` is when it ends and
    ``retry_after_seconds`` the same wait as the message's, for the ``Retry-After`` header
    (whole seconds, at least 1: the sentence and the header never disagree)."""

    def __init__(self, message: str, retry_at: datetime, *, retry_after_seconds: int):
        super().__init__(message)
        self.message = message
        self.retry_at = retry_at
        self.retry_after_seconds = retry_after_seconds


def _refused(sentence: str, retry_at: datetime, moment: datetime) -> SignInRefused:
    """``sentence`` with its %(wait)s, the wait from ``moment`` to ``retry_at``."""
    seconds = _whole_seconds(retry_at - moment)
    return SignInRefused(
        sentence % {"wait": _duration(seconds)}, retry_at, retry_after_seconds=seconds
    )


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


def backoff(failures_over: int) -> timedelta:
    """The wait after the last failure once ``failures_over`` failures are past the free ones
    (0 → 1 s, 1 → 2 s, 2 → 4 s …), never more than MAX_WAIT."""
    # The exponent is bounded so that a long attack cannot make the number huge.
    return min(timedelta(seconds=2 ** min(failures_over, 30)), MAX_WAIT)


def begin_attempt(*, username: str, address: str | None) -> Attempt:
    """Refuse (SignInRefused) an attempt that must still wait, else write it as a failure and
    return it. Commits before the password is checked."""
    username = username[:USERNAME_MAX_LENGTH]
    with transaction.atomic():
        _lock(f"sign-in user {username}")
        if address is not None:
            _lock(f"sign-in address {address}")
        moment = now()
        since = moment - WINDOW
        of_name = SignInFailure.objects.filter(username=username, at__gte=since)
        pair = of_name.filter(address=address) if address else of_name.filter(address__isnull=True)
        free = 0 if of_name.count() >= NAME_CEILING else FREE_FAILURES
        pair_until = _wait_until(pair, free)
        if pair_until is not None and pair_until > moment:
            raise _refused(
                _(
                    "Too many failed sign-ins for this user name from your address: try again "
                    "in %(wait)s."
                ),
                pair_until,
                moment,
            )
        if address is not None:
            of_address = SignInFailure.objects.filter(address=address, at__gte=since)
            address_until = _wait_until(of_address, settings.SIGNIN_ADDRESS_CEILING)
            if address_until is not None and address_until > moment:
                raise _refused(
                    _("Too many failed sign-ins from your address: try again in %(wait)s."),
                    address_until,
                    moment,
                )
        SignInFailure.objects.filter(at__lt=since).delete()
        SignInFailure.objects.create(username=username, address=address, at=moment)
    return Attempt(username=username, address=address)


def forgive(attempt: Attempt) -> None:
    """A correct password: the failures of this user name from this address (this attempt's
    row included) are gone. Failures from elsewhere stay: signing in does not reset the
    back-off of someone guessing the same name from another address."""
    failures = SignInFailure.objects.filter(username=attempt.username)
    if attempt.address is None:
        failures.filter(address__isnull=True).delete()
    else:
        failures.filter(address=attempt.address).delete()


def _wait_until(failures, free: int) -> datetime | None:
    """When the next attempt may be made, given these failures of which ``free`` cost nothing;
    None while there are no more than that."""
    count = failures.count()
    if count == 0 or count < free:
        return None
    last = failures.order_by("-at").values_list("at", flat=True).first()
    return last + backoff(count - free)


def _whole_seconds(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds()))


def _duration(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def _lock(key: str) -> None:
    # Held to the end of the transaction: the check and the write of one attempt happen before
    # any parallel attempt for the same user name or address is checked.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
