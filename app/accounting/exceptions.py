"""Why a report cannot be computed, in words a caller can act on.

The API turns these into 400 / 404 responses naming the parameter, the ``stats`` command into a
CommandError; neither ever shows a traceback. Messages are in the language active when raised
(the request's, for the API).
"""

from django.utils.translation import gettext


class InvalidReportParameter(ValueError):
    """A parameter is well-formed but makes no report (e.g. districts in the 2025 set)."""

    def __init__(self, *, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class UnknownUnit(LookupError):
    """No admin unit has this code in the requested boundary set and level."""

    def __init__(self, *, code: str, boundary_set: str, level: str):
        message = gettext("no %(level)s with code %(code)r in boundary set %(boundary_set)s") % {
            "level": level,
            "code": code,
            "boundary_set": boundary_set,
        }
        super().__init__(message)
        self.parameter = "unit"
        self.message = message
