"""Why a record cannot be shown or changed, in words a caller can act on.

The API's one error handler (app.api.errors) turns an exception carrying ``parameter`` and
``message`` into a 404 (LookupError) or a 400 (ValueError); the views answer a
``RecordStateConflict`` with a 409. Refusals for lack of permission are
``app.accounts.policy.NotAllowed`` (403).
"""


class UnknownLayer(LookupError):
    def __init__(self, *, layer: str, message: str):
        super().__init__(message)
        self.parameter = "layer"
        self.message = message
        self.layer = layer


class RecordNotFound(LookupError):
    """No such record, or one the user may not see: the two answers are the same, so that a
    coordinator cannot learn that another organisation's draft exists."""

    def __init__(self, *, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class ChangeRefused(ValueError):
    """A change that cannot be stored as sent (400); ``parameter`` names the field to fix."""

    def __init__(self, *, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class RecordStateConflict(Exception):
    """The record is not in a state that allows the action (deleting a deleted record): 409."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
