"""/healthz: whether this installation can do its work, for monitors and the service manager.

It tells the database reachable, no migration unapplied, an upload worker's heartbeat fresh and
UPLOAD_ROOT's disk with room; it answers without sign-in and holds no data of the registry.
"""
