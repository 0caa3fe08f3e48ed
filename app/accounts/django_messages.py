"""Django's own messages that its Vietnamese catalogue lacks, listed so that ours translates
them (app/locale comes first in Django's lookup; ``makemessages`` keeps only what it finds in
our sources, so they are marked here; nothing imports this module).

Django 5.2's ``MinimumLengthValidator`` words its refusal with ``%d``; its Vietnamese catalogue
translates only the older ``%(min_length)d`` form, so ``add_user`` and the admin's password
forms refused a short password in English. The msgids are Django's exactly
(django/contrib/auth/password_validation.py), as tests/i18n/test_framework_messages.py checks.
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    8,
)
