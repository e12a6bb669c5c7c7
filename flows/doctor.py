"""`sohoa doctor`: is every dependency of the pipeline present and working?

One check per dependency, each looking at exactly what the pipeline uses (the same
commands on PATH, the same font file, the same buckets and catalog URL, the same Prefect
setting), and each failure with the one thing to do about it.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Callable

import distributed
import httpx
import pymupdf
import pytesseract
from minio.commonconfig import ENABLED
from pydantic import BaseModel
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from flows.settings import FlowSettings
from ocr import assemble, digit_reader, ghostscript, pdfa, tesseract
from ocr.errors import DigitReaderMissing
from ocr.settings import OcrSettings
from storage.catalog import Catalog
from storage.errors import StorageError
from storage.objects import ObjectStore
from storage.settings import StorageSettings

log = logging.getLogger(__name__)

TESSERACT_FIX = tesseract.INSTALL_COMMAND
GHOSTSCRIPT_FIX = ghostscript.INSTALL_COMMAND
GHOSTSCRIPT_REINSTALL = "apt-get install --reinstall ghostscript"
FONT_FIX = "apt-get install fonts-liberation2"
FONT_REINSTALL = "apt-get install --reinstall fonts-liberation2"
COMMAND_TIMEOUT_SECONDS = 30
PREFECT_TIMEOUT_SECONDS = 5

# Every letter the text layer may have to write: đ and the 12 vowels with each of the 6 tones.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
VIETNAMESE_LETTERS = "đĐ" + "".join(
    unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS + _VOWELS.upper() for tone in _TONES
)


class Check(BaseModel, frozen=True):
    name: str
    ok: bool
    detail: str
    fix: str = ""  # what to do, for a failed check


def run_checks(storage: StorageSettings, ocr: OcrSettings) -> list[Check]:
    """Every check, in the order the pipeline meets the dependencies."""
    checks: list[Check] = []
    steps: list[tuple[str, Callable[[], Check | list[Check]]]] = [
        ("tesseract", check_tesseract),
        ("ocr language", lambda: check_ocr_language(ocr.language)),
        ("ghostscript", check_ghostscript),
        ("text layer font", check_text_font),
        ("handwriting reader", lambda: check_handwriting_reader(ocr)),
        ("object storage", lambda: check_object_storage(storage)),
        ("catalog", lambda: check_catalog(storage.effective_catalog_url)),
        ("prefect api", check_prefect_api),
        ("engine", lambda: check_engine(FlowSettings())),
    ]
    for name, step in steps:
        try:
            result = step()
        except Exception as exc:  # an unforeseen failure is still a failure, and the other checks go on
            log.exception("doctor: the %s check failed unexpectedly", name)
            result = Check(name=name, ok=False, detail=f"{type(exc).__name__}: {exc}",
                           fix="see SOHOA_HOME/logs/sohoa.log and report it")
        checks.extend(result if isinstance(result, list) else [result])
    return checks


def effective_configuration(storage: StorageSettings, ocr: OcrSettings) -> list[tuple[str, str]]:
    """What the checks ran against, secrets masked."""
    return [
        ("SOHOA_HOME", str(storage.home)),
        ("S3 endpoint", storage.s3_endpoint or "managed SeaweedFS under SOHOA_HOME"),
        ("buckets", f"{storage.bucket_prefix}-originals, -derived, -records, -inbox"),
        ("catalog", mask_url(storage.effective_catalog_url)),
        ("OCR language", ocr.language),
        ("Prefect API", _prefect_api_url() or "none (each run starts a temporary local one)"),
    ]


def mask_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a SQLAlchemy URL)"  # the URL itself may hold a password


def check_tesseract() -> Check:
    # The calls ocr.tesseract.check_tesseract makes; not that function itself, which is cached
    # and does not tell a missing program from missing language data.
    try:
        version = pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError):
        return Check(name="tesseract", ok=False, detail="`tesseract` is not on PATH", fix=TESSERACT_FIX)
    return Check(name="tesseract", ok=True, detail=f"version {version} ({shutil.which('tesseract')})")


def check_ocr_language(language: str) -> Check:
    name = "ocr language"
    try:
        installed = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError):
        return Check(name=name, ok=False, detail=f"{language} not checked: `tesseract` is not on PATH",
                     fix=TESSERACT_FIX)
    missing = tesseract.missing_languages(language, installed)
    if missing:
        install = f"apt-get install {tesseract.language_packages(missing)}"
        prefix = os.environ.get("TESSDATA_PREFIX")
        if prefix:  # Tesseract looks there instead of in the packages' folder
            files = ", ".join(f"{lang}.traineddata" for lang in missing)
            install = f"put {files} in TESSDATA_PREFIX ({prefix}), or unset it and {install}"
        return Check(name=name, ok=False,
                     detail=f"no language data for {', '.join(missing)} (installed: {', '.join(installed) or 'none'})",
                     fix=install)
    return Check(name=name, ok=True, detail=f"{language} installed")


def check_ghostscript() -> Check:
    """`gs` as ocr.ghostscript runs it, and the sRGB profile ocr.pdfa embeds in every PDF/A."""
    name = "ghostscript"
    gs = shutil.which(ghostscript.GS)
    if gs is None:
        return Check(name=name, ok=False, detail=f"`{ghostscript.GS}` is not on PATH", fix=GHOSTSCRIPT_FIX)
    completed = subprocess.run([gs, "--version"], capture_output=True, text=True,
                               timeout=COMMAND_TIMEOUT_SECONDS, check=False)
    if completed.returncode != 0:
        return Check(name=name, ok=False,
                     detail=f"`{gs} --version` failed (exit {completed.returncode}): {completed.stderr.strip()}",
                     fix=GHOSTSCRIPT_REINSTALL)
    profile = next((path for path in pdfa.SRGB_PROFILES if path.is_file()), None)
    if profile is None:
        return Check(name=name, ok=False,
                     detail=f"no srgb.icc among {', '.join(map(str, pdfa.SRGB_PROFILES))}",
                     fix=GHOSTSCRIPT_REINSTALL)
    return Check(name=name, ok=True, detail=f"version {completed.stdout.strip()} ({gs}), sRGB profile {profile}")


def check_text_font() -> Check:
    """The font file ocr.assemble embeds in the invisible text layer, and its Vietnamese letters."""
    name = "text layer font"
    path = assemble.TEXT_FONT_FILE
    if not path.is_file():
        return Check(name=name, ok=False, detail=f"{path} is missing", fix=FONT_FIX)
    try:
        font = pymupdf.Font(fontfile=str(path))
    except RuntimeError as exc:  # MuPDF's error for a file that is not a font
        return Check(name=name, ok=False, detail=f"{path} cannot be read as a font: {exc}",
                     fix=FONT_REINSTALL)
    missing = [letter for letter in VIETNAMESE_LETTERS if not font.has_glyph(ord(letter))]
    if missing:
        shown = "".join(missing[:12]) + ("..." if len(missing) > 12 else "")
        return Check(name=name, ok=False,
                     detail=f"{path} lacks {len(missing)} Vietnamese letters ({shown})",
                     fix=FONT_REINSTALL)
    return Check(name=name, ok=True, detail=f"{path} ({font.name}, every Vietnamese letter)")


def check_handwriting_reader(ocr: OcrSettings) -> Check:
    """The second recogniser that reads handwritten numbers and days, page numbers, figures in
    table cells, articles' lost numbers and units' superscripts (ocr/digit_reader.py)."""
    name = "handwriting reader"
    if not ocr.second_recogniser:
        off = ("SOHOA_OCR_HANDWRITTEN_DIGITS=false, SOHOA_OCR_PAGE_NUMBERS=false, SOHOA_OCR_EMPTY_CELLS=false, "
               "SOHOA_OCR_LOST_NUMBERS=false, SOHOA_OCR_SUPERSCRIPTS=false")
        return Check(name=name, ok=True, detail=f"off ({off})")
    try:
        model, _ = digit_reader.model_files()
        digit_reader.digit_reader()
    except DigitReaderMissing as exc:
        return Check(name=name, ok=False, detail=str(exc), fix=digit_reader.INSTALL_COMMAND)
    return Check(name=name, ok=True, detail=f"PP-OCRv5 recogniser {model}")


def check_object_storage(settings: StorageSettings) -> list[Check]:
    """Reachable (connecting makes any missing bucket, as every command does), then object lock
    and versioning, read back from the server rather than assumed."""
    try:
        store = ObjectStore.connect(settings)
    except StorageError as exc:
        if settings.s3_endpoint:
            fix = f"start the S3 server at {settings.s3_endpoint}, or correct SOHOA_S3_ENDPOINT"
        else:
            fix = "sohoa services up (its log: sohoa services status)"
        return [Check(name="object storage", ok=False,
                      detail=f"{exc} (object lock and versioning not checked)", fix=fix)]
    where = settings.s3_endpoint or "managed SeaweedFS"
    return [
        Check(name="object storage", ok=True, detail=f"{where}: buckets {settings.bucket_prefix}-* ready"),
        check_object_lock(store),
        check_versioning(store),
    ]


def check_object_lock(store: ObjectStore) -> Check:
    name = "object lock"
    bucket = store.buckets.originals
    if not store.originals_locked:
        return Check(
            name=name, ok=False,
            detail=f"{bucket} has no object lock: originals can be deleted or overwritten",
            # S3 turns object lock on only when a bucket is made.
            fix="set SOHOA_BUCKET_PREFIX to a new prefix on a server with object lock (SeaweedFS, MinIO), "
                "so its buckets are made locked, and copy the originals there",
        )
    lock = store.client.get_object_lock_config(bucket)
    return Check(name=name, ok=True,
                 detail=f"{bucket}: {lock.mode} retention {lock.duration} {lock.duration_unit}")


def check_versioning(store: ObjectStore) -> Check:
    """Every bucket sohoa relies on for history; the inbox is a drop folder, unversioned by design."""
    buckets = (store.buckets.originals, store.buckets.derived, store.buckets.records)
    statuses = {bucket: store.client.get_bucket_versioning(bucket).status for bucket in buckets}
    off = {bucket: status for bucket, status in statuses.items() if status != ENABLED}
    if off:
        return Check(
            name="versioning", ok=False,
            detail="not enabled on " + ", ".join(f"{bucket} ({status or 'never set'})" for bucket, status in off.items()),
            fix="run any sohoa command (connecting turns versioning on); if it stays off, "
                "the S3 server does not keep it: use SeaweedFS, MinIO or Ceph",
        )
    return Check(name="versioning", ok=True, detail=f"enabled on {', '.join(buckets)}")


def check_catalog(url: str) -> Check:
    name = "catalog"
    try:
        catalog = Catalog(url)
        try:
            records = sum(catalog.status_counts().values())
        finally:
            catalog.close()
    except ArgumentError as exc:  # also an unknown database kind
        return Check(name=name, ok=False, detail=f"{mask_url(url)}: {exc}",
                     fix="correct SOHOA_CATALOG_URL (sqlite:////path/catalog.sqlite3, postgresql+psycopg://...)")
    except ImportError as exc:
        return Check(name=name, ok=False, detail=f"{mask_url(url)}: its database driver is missing ({exc})",
                     fix=f"install the driver into the virtualenv: .venv/bin/pip install {exc.name}")
    except DBAPIError as exc:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            fix = f"make the folder of {parsed.database} exist and writable, or correct SOHOA_CATALOG_URL"
        else:
            fix = f"start the database server at {parsed.host}:{parsed.port}, or correct SOHOA_CATALOG_URL"
        return Check(name=name, ok=False, detail=f"{mask_url(url)}: {exc.orig}", fix=fix)
    return Check(name=name, ok=True, detail=f"{records} records")


def check_prefect_api() -> Check:
    """The Prefect server flows report to, when one is configured (PREFECT_API_URL)."""
    name = "prefect api"
    url = _prefect_api_url()
    if not url:
        return Check(name=name, ok=True, detail="none configured: each run starts a temporary local one")
    health = f"{url.rstrip('/')}/health"
    try:
        response = httpx.get(health, timeout=PREFECT_TIMEOUT_SECONDS, headers=_prefect_auth())
    except httpx.HTTPError as exc:
        answer = f"no answer ({exc})"
    else:
        if response.status_code == 200:
            return Check(name=name, ok=True, detail=f"{health} answers")
        answer = f"answered {response.status_code}"
    return Check(name=name, ok=False, detail=f"{health} {answer}",
                 fix="start it (prefect server start --host 127.0.0.1), "
                     "or unset PREFECT_API_URL to run flows with a temporary local one")


def check_engine(settings: FlowSettings) -> Check:
    """Where documents run (flows/engine.py): a configured Dask scheduler must answer, with workers."""
    name = "engine"
    if not settings.dask_address:
        ranges = (f"; long PDFs' page ranges on a local Dask cluster of {settings.workers} processes"
                  if settings.engine == "dask" else "")
        return Check(name=name, ok=True,
                     detail=f"threads of each run, {settings.workers} documents side by side{ranges}")
    try:
        with distributed.Client(settings.dask_address, timeout=PREFECT_TIMEOUT_SECONDS) as client:
            threads = client.nthreads()
    except (OSError, TimeoutError) as exc:
        return Check(name=name, ok=False, detail=f"Dask scheduler {settings.dask_address}: no answer ({exc})",
                     fix="start it (dask scheduler), or unset SOHOA_DASK_ADDRESS to run in this process")
    if not threads:
        return Check(name=name, ok=False, detail=f"Dask scheduler {settings.dask_address}: no worker",
                     fix=f"start workers where sohoa is installed: dask worker {settings.dask_address} --nthreads 1")
    return Check(name=name, ok=True, detail=f"Dask scheduler {settings.dask_address}: {len(threads)} workers, "
                                            f"{sum(threads.values())} threads")


def _prefect_api_url() -> str | None:
    # Prefect's own setting, so a URL from a Prefect profile counts as well as the variable.
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def _prefect_auth() -> dict[str, str]:
    from prefect.settings import PREFECT_API_KEY

    key = PREFECT_API_KEY.value()  # Prefect Cloud needs it; a local server ignores it
    return {"Authorization": f"Bearer {key}"} if key else {}
