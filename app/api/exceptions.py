"""Why a list cannot be served, in words a caller can act on.

Selectors raise these; ``app.api.errors.exception_handler`` turns them into a 404 or a 400 that
names the parameter. Any exception carrying ``parameter`` and ``message`` is handled the same way,
so the accounting selectors' exceptions need no import here.
"""


class UnknownReference(LookupError):
    """A well-formed parameter names something that does not exist (an organisation slug, an admin
    unit code): 404, like any unknown resource."""

    def __init__(self, *, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class AmbiguousParameter(ValueError):
    """A parameter matches more than one thing and needs another parameter to choose: 400."""

    def __init__(self, *, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
