"""Prefect flows, the CLI, and the assembling of a record from the parts.

Prefect keeps its database and files under SOHOA_HOME unless told otherwise, so that two
homes never share state; this must happen before prefect is first imported.
"""

import os

from storage.settings import StorageSettings

_home = StorageSettings().home
os.environ.setdefault("PREFECT_HOME", str(_home / "prefect"))
os.makedirs(os.environ["PREFECT_HOME"], exist_ok=True)
# Analytics off: no traffic off the machine, and it removes a "database is locked" traceback.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Without PREFECT_API_URL a run starts a temporary Prefect server; Prefect waits 20 s for it, which
# a night run on a busy machine (or a fresh database's migrations) can exceed.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
