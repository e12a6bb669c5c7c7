import atexit
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid

import pytest

from storage import seaweed
from storage.catalog import Catalog
from storage.objects import ObjectStore
from storage.settings import StorageSettings


# Prefect's files for the test session go to a temporary folder, not the developer's SOHOA_HOME.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="sohoa-test-prefect-")
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)

# CI installs every tool (`make test`), so there a skip means a tool is missing, not a test that does not apply.
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is reported as failed, with the reason it skipped."""
    report = yield
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"skipped under CI={os.environ['CI']}, which allows no skip: {reason}"
    return report


@pytest.fixture(scope="session")
def s3_settings(tmp_path_factory):
    """One managed SeaweedFS for the whole session, under a temporary SOHOA_HOME."""
    # Explicit values win over any SOHOA_* variables in the developer's environment.
    settings = StorageSettings(
        home=tmp_path_factory.mktemp("sohoa-home"),
        s3_endpoint=None,
        s3_access_key=None,
        s3_secret_key=None,
    )
    seaweed.ensure_running(settings)
    yield settings
    seaweed.stop(settings)


@pytest.fixture
def object_store(s3_settings):
    """A store whose buckets belong to this test alone."""
    settings = s3_settings.model_copy(update={"bucket_prefix": f"t-{uuid.uuid4().hex[:12]}"})
    return ObjectStore.connect(settings)


@pytest.fixture(scope="session")
def prefect_harness():
    """A throwaway Prefect API for the session (about 9 s to start, so only once)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


@contextlib.contextmanager
def services_env(s3_settings, tmp_path_factory, prefix: str):
    """get_services() reaching the session's server with fresh buckets (named `prefix-…`) and catalog."""
    from flows.services import get_services

    catalog = tmp_path_factory.mktemp(f"{prefix}-catalog") / "catalog.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOHOA_HOME", str(s3_settings.home))
        patch.setenv("SOHOA_BUCKET_PREFIX", f"{prefix}-{uuid.uuid4().hex[:12]}")
        patch.setenv("SOHOA_CATALOG_URL", f"sqlite:///{catalog}")
        patch.delenv("SOHOA_S3_ENDPOINT", raising=False)
        get_services.cache_clear()
        yield get_services()
        get_services.cache_clear()


@pytest.fixture(scope="session")
def sohoa_env(s3_settings, tmp_path_factory):
    """Environment under which get_services() reaches the session's server with fresh buckets and catalog."""
    with services_env(s3_settings, tmp_path_factory, "e") as services:
        yield services


@pytest.fixture
def path_without(tmp_path_factory):
    """`path_without("gs", ...)`: a PATH offering every command of the current one but those,
    as a folder of links, to show what sohoa does on a machine without them."""

    def build(*tools: str) -> str:
        folder = tmp_path_factory.mktemp("path-without")
        for directory in os.environ.get("PATH", "").split(os.pathsep):
            if not os.path.isdir(directory):
                continue
            for entry in os.scandir(directory):
                link = folder / entry.name
                # The first of a name on PATH wins, as in a shell.
                if entry.name in tools or link.is_symlink() or not os.access(entry.path, os.X_OK):
                    continue
                if entry.is_file():
                    link.symlink_to(entry.path)
        path = str(folder)
        assert not [tool for tool in tools if shutil.which(tool, path=path)]
        return path

    return build


@pytest.fixture
def catalog(tmp_path):
    """An empty catalog in a SQLite file of its own."""
    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    yield catalog
    catalog.close()


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL server on loopback for the session (Debian's `postgresql`, about 1 s)."""
    from pgcluster import PostgresCluster, postgres_bin

    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server not installed: apt-get install postgresql (make test does)")
    cluster = PostgresCluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster):
    """The URL of a new, empty database on the session's PostgreSQL server."""
    return postgres_cluster.new_database()


# A catalog on SQLite, and on PostgreSQL as an integration test.
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def catalog_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def shared(catalog_url):
    catalog = Catalog(catalog_url)
    yield catalog
    catalog.close()


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """One headless Chromium WebDriver for the session (tests/browser.py); prefer `browser`, which is clean."""
    from browser import BrowserMissing, start_chromium

    try:
        driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    except BrowserMissing as error:
        # `make test` installs both packages, so a missing one is a broken install, never a skip.
        pytest.fail(str(error))
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium):
    """The session's Chromium on a blank page with no cookies, so tests do not inherit each other's logins."""
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chromium.get("about:blank")
    return chromium


@pytest.fixture
def screenshot(chromium, request):
    """`screenshot("after-login")` saves the viewport under $SOHOA_TEST_ARTIFACTS/screenshots (tests/artifacts)."""
    from browser import artifacts_dir, save_screenshot

    def take(name: str):
        stem = re.sub(r"[^\w.-]+", "_", f"{request.module.__name__}.{request.node.name}-{name}")
        return save_screenshot(chromium, artifacts_dir() / "screenshots" / f"{stem}.png")

    return take


@pytest.fixture
def live_server():
    """`base_url = live_server(app)` serves an ASGI app on a free loopback port until the test ends."""
    from browser import serve_in_thread

    with contextlib.ExitStack() as servers:
        yield lambda app: servers.enter_context(serve_in_thread(app))


def own_home_env(home) -> dict:
    """This environment for a `sohoa` subprocess under `home`, with no other SOHOA_* setting."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    return {**environment, "SOHOA_HOME": str(home)}


def sohoa_cli(home, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], env=own_home_env(home), input=stdin,
                          capture_output=True, text=True, timeout=120)


def wait_or_kill(process: subprocess.Popen, timeout: float = 20) -> None:
    """Wait for a process asked to stop; kill it when it does not within `timeout` seconds."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
