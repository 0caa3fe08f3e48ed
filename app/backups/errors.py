class BackupRefused(Exception):
    """A backup or a restore that cannot be done as asked; ``message`` says what to do. Nothing
    was written where it was refused (no half archive, no half database)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
