"""Storage errors. The flow retries `StorageUnavailable` with backoff; the others are final."""


class StorageError(Exception):
    """Any failure of object storage or of the managed server."""


class StorageUnavailable(StorageError):
    """The server cannot be reached or is overloaded (refused, timed out, 5xx): retry later."""


class IntegrityError(StorageError):
    """Bytes do not match their SHA-256 (on upload the server said BadDigest, or on download)."""


class ServerStartError(StorageError):
    """The managed SeaweedFS did not start; the message names its log file."""


class ObjectNotFound(StorageError):
    """The bucket, key or version does not exist."""
