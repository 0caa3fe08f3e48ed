"""The lock every state change of an upload takes first."""

from app.uploads.models import Upload
from app.uploads.services.errors import UploadNotFound


def locked_upload(upload_id) -> Upload:
    upload = Upload.objects.select_for_update().filter(pk=upload_id).first()
    if upload is None:
        raise UploadNotFound(upload_id)
    return upload
