"""The errors the upload services raise; the API turns each into a 400, 404 or 409."""

from django.utils.translation import gettext


class UploadRefused(ValueError):
    """A request that cannot be taken as sent (400): ``parameter`` names what to fix."""

    def __init__(self, parameter: str, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.code = code


class UploadNotFound(LookupError):
    def __init__(self, upload_id) -> None:
        super().__init__(f"No upload {upload_id}.")
        self.parameter = "id"
        self.message = gettext("no upload %(id)s") % {"id": upload_id}


class UploadStateConflict(Exception):
    """The upload is not in a state that allows the action (409). The message names the state
    in the reader's words; ``status``, when given, is its code, which the API sends beside."""

    def __init__(self, message: str, *, code: str = "state", status: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class OriginalFileMissing(LookupError):
    """The batch's file is not kept (404): a duplicate removed with no twin to stand for it, or
    a file gone from UPLOAD_ROOT."""

    def __init__(self, upload_id) -> None:
        super().__init__(f"No original file for upload {upload_id}.")
        self.parameter = "id"
        self.message = gettext("the file of upload %(id)s is no longer kept") % {"id": upload_id}
