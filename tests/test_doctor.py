"""`sohoa doctor`: each missing dependency gives its own FAIL line, with its fix, and exit code 2.

The CLI tests run `sohoa doctor` as a process against the session's SeaweedFS, the real
Tesseract and Ghostscript, then take one thing away and check that exactly that check fails.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import uuid

import pymupdf
import pytest
from minio.versioningconfig import SUSPENDED, VersioningConfig
from typer.testing import CliRunner

from flows import doctor
from flows.settings import FlowSettings
from ocr import assemble, digit_reader
from ocr.settings import OcrSettings

EVERY_CHECK = {"tesseract", "ocr language", "ghostscript", "text layer font", "handwriting reader",
               "object storage", "object lock", "versioning", "catalog", "prefect api", "engine"}
CHECK_LINE = re.compile(r"^(ok  |FAIL) ([a-z ]+): (.*)$")
FIX_LINE = "     fix: "


def parse(stdout: str) -> dict[str, tuple[str, str, str]]:
    """Check name -> (status, detail, fix) from doctor's output."""
    lines = stdout.splitlines()
    checks = {}
    for index, line in enumerate(lines):
        if match := CHECK_LINE.match(line):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            fix = following.removeprefix(FIX_LINE) if following.startswith(FIX_LINE) else ""
            checks[match[2]] = (match[1].strip(), match[3], fix)
    return checks


def failed(checks: dict[str, tuple[str, str, str]]) -> set[str]:
    return {name for name, (status, _, _) in checks.items() if status == "FAIL"}


def closed_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def doctor_env(s3_settings, tmp_path) -> dict[str, str]:
    """An environment in which every check passes: the session's SeaweedFS with buckets of this
    test alone, a fresh catalog, no Prefect API configured."""
    unwanted = {"PREFECT_API_URL", "PREFECT_API_KEY", "TESSDATA_PREFIX"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_") and k not in unwanted}
    env.update(
        SOHOA_HOME=str(s3_settings.home),
        SOHOA_BUCKET_PREFIX=f"d-{uuid.uuid4().hex[:12]}",
        SOHOA_CATALOG_URL=f"sqlite:///{tmp_path / 'catalog.sqlite3'}",
    )
    return env


def run_doctor(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", "doctor"], env=env,
                          capture_output=True, text=True, timeout=120)


def only_failure(result: subprocess.CompletedProcess, *names: str) -> dict[str, tuple[str, str, str]]:
    """Asserts exit code 2 and that `names` are the checks that failed, every other one ok."""
    checks = parse(result.stdout)
    assert result.returncode == 2, result.stdout + result.stderr
    assert failed(checks) == set(names), result.stdout
    assert all(status == "ok" for name, (status, _, _) in checks.items() if name not in names)
    assert f"{len(names)} of {len(checks)} checks failed" in result.stderr
    return checks


@pytest.mark.integration
def test_everything_present_exits_0_with_every_check_ok(doctor_env):
    result = run_doctor(doctor_env)
    checks = parse(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(checks) == EVERY_CHECK
    assert failed(checks) == set()
    prefix = doctor_env["SOHOA_BUCKET_PREFIX"]
    assert checks["object lock"][1] == f"{prefix}-originals: GOVERNANCE retention 3650 Days"
    assert checks["versioning"][1] == f"enabled on {prefix}-originals, {prefix}-derived, {prefix}-records"
    assert checks["catalog"][1] == "0 records"
    assert checks["prefect api"][1] == "none configured: each run starts a temporary local one"
    assert checks["text layer font"][1].startswith(f"{assemble.TEXT_FONT_FILE} (")
    assert "catalog = sqlite:///" in result.stdout


@pytest.mark.integration
def test_tesseract_off_the_path_fails(doctor_env, path_without):
    result = run_doctor({**doctor_env, "PATH": path_without("tesseract")})
    checks = only_failure(result, "tesseract", "ocr language")
    assert checks["tesseract"] == ("FAIL", "`tesseract` is not on PATH", doctor.TESSERACT_FIX)
    assert checks["ocr language"] == ("FAIL", "vie not checked: `tesseract` is not on PATH", doctor.TESSERACT_FIX)


@pytest.mark.integration
def test_vietnamese_data_missing_fails(doctor_env, tmp_path):
    empty = tmp_path / "tessdata"
    empty.mkdir()
    result = run_doctor({**doctor_env, "TESSDATA_PREFIX": str(empty)})
    checks = only_failure(result, "ocr language")
    assert checks["ocr language"] == (
        "FAIL",
        "no language data for vie (installed: none)",
        f"put vie.traineddata in TESSDATA_PREFIX ({empty}), or unset it and apt-get install tesseract-ocr-vie",
    )


@pytest.mark.integration
def test_ghostscript_off_the_path_fails(doctor_env, path_without):
    result = run_doctor({**doctor_env, "PATH": path_without("gs")})
    checks = only_failure(result, "ghostscript")
    assert checks["ghostscript"] == ("FAIL", "`gs` is not on PATH", "apt-get install ghostscript")


@pytest.mark.integration
def test_text_layer_font_missing_fails(doctor_env, tmp_path, monkeypatch):
    from flows.cli import app

    # In-process, so that the font path ocr.assemble loads can be moved.
    missing = tmp_path / "LiberationSerif-Regular.ttf"
    monkeypatch.setattr(assemble, "TEXT_FONT_FILE", missing)
    for name in [k for k in os.environ if k not in doctor_env]:
        monkeypatch.delenv(name)
    for name, value in doctor_env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["doctor"])
    checks = parse(result.stdout)
    assert result.exit_code == 2, result.output
    assert failed(checks) == {"text layer font"}, result.output
    assert checks["text layer font"] == ("FAIL", f"{missing} is missing", "apt-get install fonts-liberation2")


def test_a_font_without_vietnamese_letters_fails(tmp_path, monkeypatch):
    latin_only = tmp_path / "helvetica.ttf"
    latin_only.write_bytes(pymupdf.Font("helv").buffer)  # MuPDF's Helvetica: ă but no ự
    monkeypatch.setattr(assemble, "TEXT_FONT_FILE", latin_only)
    check = doctor.check_text_font()
    assert not check.ok
    assert re.fullmatch(rf"{re.escape(str(latin_only))} lacks \d+ Vietnamese letters \(ả\S*\)", check.detail)
    assert check.fix == "apt-get install --reinstall fonts-liberation2"


def test_the_handwriting_reader_missing_fails_with_what_to_install(monkeypatch):
    assert doctor.check_handwriting_reader(OcrSettings()).ok
    monkeypatch.setattr(digit_reader, "PACKAGE", "no_such_model_package")
    check = doctor.check_handwriting_reader(OcrSettings())
    assert not check.ok and "no_such_model_package is not installed" in check.detail
    assert check.fix == ".venv/bin/pip install -e ."
    # page numbers, table cells, lost numbers and superscripts are read with it too: only with all
    # five off is it not needed
    assert not doctor.check_handwriting_reader(OcrSettings(handwritten_digits=False)).ok
    assert not doctor.check_handwriting_reader(OcrSettings(handwritten_digits=False, page_numbers=False)).ok
    off = dict(handwritten_digits=False, page_numbers=False, empty_cells=False, lost_numbers=False)
    assert not doctor.check_handwriting_reader(OcrSettings(**off)).ok
    assert doctor.check_handwriting_reader(OcrSettings(**off, superscripts=False)).ok


def test_the_installed_font_has_every_vietnamese_letter():
    assert len(doctor.VIETNAMESE_LETTERS) == 2 + 24 * 6
    assert doctor.check_text_font().ok


@pytest.mark.integration
def test_unreachable_object_storage_fails(doctor_env):
    endpoint = f"127.0.0.1:{closed_port()}"
    result = run_doctor({**doctor_env, "SOHOA_S3_ENDPOINT": endpoint, "SOHOA_S3_ACCESS_KEY": "x",
                         "SOHOA_S3_SECRET_KEY": "y", "SOHOA_S3_CONNECT_TIMEOUT": "1"})
    checks = only_failure(result, "object storage")
    status, detail, fix = checks["object storage"]
    assert "object storage unreachable" in detail and detail.endswith("(object lock and versioning not checked)")
    assert fix == f"start the S3 server at {endpoint}, or correct SOHOA_S3_ENDPOINT"
    assert "object lock" not in checks and "versioning" not in checks


@pytest.mark.integration
def test_originals_bucket_without_object_lock_fails(doctor_env, object_store):
    # As an old install, or a server that refused object lock, left it: made without it.
    originals = f"{doctor_env['SOHOA_BUCKET_PREFIX']}-originals"
    object_store.client.make_bucket(originals)
    result = run_doctor(doctor_env)
    checks = only_failure(result, "object lock")
    status, detail, fix = checks["object lock"]
    assert detail == f"{originals} has no object lock: originals can be deleted or overwritten"
    assert fix.startswith("set SOHOA_BUCKET_PREFIX to a new prefix")


@pytest.mark.integration
def test_a_bucket_without_versioning_fails(object_store):
    # Connecting turns versioning on, so it is switched off afterwards, as another client could.
    assert doctor.check_versioning(object_store).ok
    records = object_store.buckets.records
    object_store.client.set_bucket_versioning(records, VersioningConfig(SUSPENDED))
    check = doctor.check_versioning(object_store)
    assert not check.ok
    assert check.detail == f"not enabled on {records} (Suspended)"


@pytest.mark.integration
def test_unreachable_catalog_fails(doctor_env, tmp_path):
    database = tmp_path / "no" / "such" / "folder" / "catalog.sqlite3"
    result = run_doctor({**doctor_env, "SOHOA_CATALOG_URL": f"sqlite:///{database}"})
    checks = only_failure(result, "catalog")
    assert checks["catalog"] == (
        "FAIL",
        f"sqlite:///{database}: unable to open database file",
        f"make the folder of {database} exist and writable, or correct SOHOA_CATALOG_URL",
    )


@pytest.mark.parametrize("url", ["postgresql://sohoa:secret@127.0.0.1:9/sohoa", "nosuchdb://sohoa:secret@host/x"])
def test_a_catalog_url_that_cannot_work_fails_without_showing_its_password(url):
    check = doctor.check_catalog(url)
    assert not check.ok
    assert check.detail.startswith(f"{url.split(':')[0]}://sohoa:***@")
    assert "secret" not in check.detail + check.fix
    assert "SOHOA_CATALOG_URL" in check.fix or "pip install" in check.fix


@pytest.mark.integration
def test_prefect_api_configured_but_down_fails(doctor_env):
    url = f"http://127.0.0.1:{closed_port()}/api"
    result = run_doctor({**doctor_env, "PREFECT_API_URL": url})
    checks = only_failure(result, "prefect api")
    status, detail, fix = checks["prefect api"]
    assert detail.startswith(f"{url}/health no answer (")
    assert fix.startswith("start it (prefect server start --host 127.0.0.1)")


@pytest.mark.integration
def test_prefect_api_configured_and_up_passes(doctor_env, prefect_harness):
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    result = run_doctor({**doctor_env, "PREFECT_API_URL": url})
    checks = parse(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert checks["prefect api"] == ("ok", f"{url}/health answers", "")


@pytest.mark.integration
def test_dask_scheduler_configured_but_down_fails(doctor_env):
    address = f"tcp://127.0.0.1:{closed_port()}"
    result = run_doctor({**doctor_env, "SOHOA_DASK_ADDRESS": address})
    status, detail, fix = only_failure(result, "engine")["engine"]
    assert detail.startswith(f"Dask scheduler {address}: no answer (")
    assert "unset SOHOA_DASK_ADDRESS" in fix


def test_engine_without_a_cluster_says_where_documents_run():
    check = doctor.check_engine(FlowSettings(workers=3, engine="threads", dask_address=None))
    assert check.ok and check.detail == "threads of each run, 3 documents side by side"
