"""Storage and catalog errors. The flow retries `StorageUnavailable` and `CatalogUnavailable`
with backoff; the others are final. None is the document's fault: it stays pending.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError


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


class CatalogUnavailable(Exception):
    """The catalog database cannot be used (server down, file not openable, locked too long)."""


@contextmanager
def catalog_errors() -> Iterator[None]:
    """SQLAlchemy's OperationalError, which says the database failed rather than the query,
    as a CatalogUnavailable that says what to check."""
    try:
        yield
    except OperationalError as exc:
        raise CatalogUnavailable(
            f"the catalog cannot be used ({exc.orig or exc}): start its database server, "
            "or check SOHOA_CATALOG_URL and that SOHOA_HOME is writable"
        ) from exc
