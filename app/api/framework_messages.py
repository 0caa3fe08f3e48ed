"""The messages of Django REST framework that our API can answer with, listed so that our
catalogue translates them.

DRF's own Vietnamese catalogue (rest_framework/locale/vi) holds about twenty strings, so most
of its refusals, "Authentication credentials were not provided." first of all, reached
Vietnamese readers in English. Our catalogue (app/locale, LOCALE_PATHS) comes first in Django's
lookup, so a translation there wins over DRF's; but ``makemessages`` keeps only the strings it
finds in our sources. This module is where it finds them: nothing imports it, and
``gettext_noop`` only marks each msgid.

Each msgid is DRF's exactly (rest_framework 3.18: exceptions.py, fields.py, serializers.py,
validators.py), placeholders included: a msgid that differs by a character is never looked up.
tests/i18n/test_framework_messages.py checks them against DRF's source and in answers. Listed:
the refusals of authentication, permission, unknown resources and methods, content
negotiation and throttling, and the validation messages of the field types our query
parameters and request serializers use (Boolean, Char, Slug, Choice, Integer, Float, Date,
DateTime, File, List fields and serializers themselves).

Two refusals DRF words without the catalogue, a body that does not parse ("JSON parse error -
...") and a failed CSRF check ("CSRF Failed: ..."), are replaced by our own sentences in
app.api.errors, with DRF's English beside them as ``detail``.
"""

from django.utils.translation import gettext_noop

EXCEPTIONS = (
    gettext_noop("A server error occurred."),
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("You do not have permission to perform this action."),
    gettext_noop("Not found."),
    gettext_noop('Method "{method}" not allowed.'),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Request was throttled."),
    # DRF translates each, then formats it with the seconds to wait.
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
)

FIELDS = (
    gettext_noop("This field is required."),
    gettext_noop("This field may not be null."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop("This field may not be blank."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop('Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
    gettext_noop("A valid integer is required."),
    gettext_noop("A valid number is required."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("String value too large."),
    gettext_noop("Integer value too large to convert to float"),
    gettext_noop("Date has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Expected a date but got a datetime."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Expected a datetime but got a date."),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("Datetime value out of range."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("This list may not be empty."),
    gettext_noop("This selection may not be empty."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted data was not a file. Check the encoding type on the form."),
    gettext_noop("No filename could be determined."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Ensure this filename has at most {max_length} characters (it has {length})."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
)
