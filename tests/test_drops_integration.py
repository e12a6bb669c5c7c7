"""Drops on a real SeaweedFS and a real drop folder: the nightly flow takes complete drops and
digitises them (real Tesseract), leaves incomplete ones and rejects bad ones with a reason."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import unicodedata
import uuid
from pathlib import Path

import pytest

from flows.drops import PROCESSED, REJECTED, REJECTED_AREA, TAKEN, list_drops, take_drops
from flows.intake import InputFile, ingest_inputs
from storage import inbox

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
BATCH = ROOT / "samples" / "batch"
AGENCY = "000.00.00.H62"
BORN_DIGITAL = "02 Công văn Sở Tư pháp.pdf"  # its text layer is read: no OCR
SCAN = "03 Giấy chứng nhận hộ kinh doanh.png"  # one page through Tesseract
TRUNCATED = "06 Hồ sơ bị cắt ngang.pdf"


@pytest.fixture(scope="module")
def drops_env(s3_settings, prefect_harness, tmp_path_factory):
    """Fresh buckets, catalog and drop folder, read by get_services() and DropSettings() as in production."""
    from flows.services import get_services

    drop_dir = tmp_path_factory.mktemp("drops")
    catalog = tmp_path_factory.mktemp("drops-catalog") / "catalog.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOHOA_HOME", str(s3_settings.home))
        patch.setenv("SOHOA_BUCKET_PREFIX", f"d-{uuid.uuid4().hex[:12]}")
        patch.setenv("SOHOA_CATALOG_URL", f"sqlite:///{catalog}")
        patch.setenv("SOHOA_DROP_DIR", str(drop_dir))
        patch.setenv("SOHOA_DROP_QUIET_SECONDS", "0")
        patch.delenv("SOHOA_S3_ENDPOINT", raising=False)
        get_services.cache_clear()
        yield get_services(), drop_dir
        get_services.cache_clear()


def put(store, key: str, data: bytes) -> None:
    store.client.put_object(store.buckets.inbox, key, io.BytesIO(data), len(data))


def inbox_keys(store, prefix: str) -> list[str]:
    return sorted(unicodedata.normalize("NFC", o.key) for o in inbox.list_objects(store, prefix))


@pytest.fixture(scope="module")
def nightly_run(drops_env):
    """Six drops, then one nightly run as the schedule starts it: (services, drop folder, listing
    before the run, the run's status counts, its flow run id)."""
    from flows.digitise import nightly

    services, drop_dir = drops_env
    store = services.store
    # Folder: complete with _READY; incomplete (manifest names a file not there); bad manifest.
    ready = drop_dir / AGENCY / "Hộp 1"
    ready.mkdir(parents=True)
    shutil.copy(BATCH / BORN_DIGITAL, ready)
    (ready / "_READY").write_bytes(b"")
    waiting = drop_dir / AGENCY / "Hộp 2"
    waiting.mkdir()
    shutil.copy(BATCH / TRUNCATED, waiting)
    (waiting / "manifest.csv").write_text(f"tệp\n{TRUNCATED}\nchưa chép xong.pdf\n", encoding="utf-8")
    bad = drop_dir / AGENCY / "Hộp 3"
    bad.mkdir()
    shutil.copy(BATCH / TRUNCATED, bad)
    (bad / "manifest.csv").write_text("tệp\nkhác.pdf\n", encoding="utf-8")
    # Inbox: complete with a manifest declaring a procedure code and register entry; no marker; bad manifest.
    put(store, f"{AGENCY}/Hộp 4/{SCAN}", (BATCH / SCAN).read_bytes())
    put(store, f"{AGENCY}/Hộp 4/manifest.csv", f"Tên tệp;Mã TTHC;Số vào sổ\n{SCAN};2.000720;HKD-125\n".encode())
    put(store, f"{AGENCY}/Hộp 5/{TRUNCATED}", (BATCH / TRUNCATED).read_bytes())
    put(store, f"{AGENCY}/Hộp 6/{TRUNCATED}", (BATCH / TRUNCATED).read_bytes())
    put(store, f"{AGENCY}/Hộp 6/manifest.csv", "tệp\nHồ sơ.pdf\n".encode("utf-16"))

    before = list_drops(services.catalog, store)
    state = nightly(return_state=True)
    return services, drop_dir, before, state.result(), state.state_details.flow_run_id


def test_listing_before_the_run_says_what_it_will_do(nightly_run):
    _, _, before, _, _ = nightly_run
    assert before.problems == []
    assert [(d.source, d.batch, d.state, d.code) for d in before.drops] == [
        ("folder", "Hộp 1", "ready", None),
        ("folder", "Hộp 2", "waiting", "files_missing"),
        ("folder", "Hộp 3", "rejected", "unlisted_files"),
        ("inbox", "Hộp 4", "ready", None),
        ("inbox", "Hộp 5", "waiting", "no_marker"),
        ("inbox", "Hộp 6", "rejected", "bad_manifest"),
    ]


def test_complete_drops_are_digitised_by_the_nightly_run(nightly_run):
    services, _, _, counts, _ = nightly_run
    records = {r.batch_name: r for r in services.catalog.records()}
    assert sorted(records) == ["Hộp 1", "Hộp 4"]
    assert counts["pending"] == 0
    folder, scan = records["Hộp 1"], records["Hộp 4"]
    assert (folder.source_path, scan.source_path) == (f"Hộp 1/{BORN_DIGITAL}", f"Hộp 4/{SCAN}")
    # The inbox's files are read from a temporary file: the name is still the dropped one.
    assert (folder.source_name, scan.source_name) == (BORN_DIGITAL, SCAN)
    assert folder.status in ("digitised", "needs_review") and folder.text
    assert scan.status in ("digitised", "needs_review") and scan.pages == 1 and scan.text
    assert scan.sha256 == hashlib.sha256((BATCH / SCAN).read_bytes()).hexdigest()
    assert services.store.get_original(scan.sha256) == (BATCH / SCAN).read_bytes()
    # What staff declared rides in the record, apart from what OCR read.
    assert scan.declared == {"procedure_code": "2.000720", "register_reference": "HKD-125"}
    assert folder.declared == {}


def test_taken_drops_move_to_processed(nightly_run):
    services, drop_dir, _, _, _ = nightly_run
    assert not (drop_dir / AGENCY / "Hộp 1").exists()
    assert sorted(p.name for p in (drop_dir / PROCESSED / AGENCY / "Hộp 1").iterdir()) == [BORN_DIGITAL, "_READY"]
    store = services.store
    assert inbox_keys(store, f"{AGENCY}/Hộp 4/") == []
    assert inbox_keys(store, f"{PROCESSED}/{AGENCY}/Hộp 4/") == [
        f"{PROCESSED}/{AGENCY}/Hộp 4/{SCAN}", f"{PROCESSED}/{AGENCY}/Hộp 4/manifest.csv"]


def drops_artifact_rows(flow_run_id) -> list[dict]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    from flows.drops import DROPS_ARTIFACT

    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]),
            key=ArtifactFilterKey(any_=[DROPS_ARTIFACT])))
    return json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data


def test_the_run_publishes_what_it_did_with_each_drop(nightly_run):
    rows = drops_artifact_rows(nightly_run[4])
    assert sorted((row["lô"], row["việc"]) for row in rows) == [
        ("Hộp 1", "taken"), ("Hộp 2", "left"), ("Hộp 3", "rejected"),
        ("Hộp 4", "taken"), ("Hộp 5", "left"), ("Hộp 6", "rejected")]


def test_incomplete_drops_are_left_alone(nightly_run):
    services, drop_dir, _, _, _ = nightly_run
    assert sorted(p.name for p in (drop_dir / AGENCY / "Hộp 2").iterdir()) == [TRUNCATED, "manifest.csv"]
    assert inbox_keys(services.store, f"{AGENCY}/Hộp 5/") == [f"{AGENCY}/Hộp 5/{TRUNCATED}"]


def test_bad_manifests_are_rejected_with_a_reason(nightly_run):
    services, drop_dir, _, _, _ = nightly_run
    rejected = drop_dir / REJECTED_AREA / AGENCY / "Hộp 3"
    assert not (drop_dir / AGENCY / "Hộp 3").exists()
    reason = (rejected / REJECTED).read_text(encoding="utf-8")
    assert "unlisted_files" in reason and TRUNCATED in reason
    store = services.store
    assert inbox_keys(store, f"{AGENCY}/Hộp 6/") == []
    prefix = f"{REJECTED_AREA}/{AGENCY}/Hộp 6/"
    assert inbox_keys(store, prefix) == [prefix + TRUNCATED, prefix + REJECTED, prefix + "manifest.csv"]
    reason = inbox.get(store, prefix + REJECTED).decode("utf-8")
    assert "bad_manifest" in reason and "UTF-8" in reason


def test_the_same_name_dropped_again_becomes_a_new_batch(nightly_run):
    services, drop_dir, _, _, _ = nightly_run
    again = drop_dir / AGENCY / "Hộp 1"
    again.mkdir()
    shutil.copy(BATCH / TRUNCATED, again)
    (again / "_READY").write_bytes(b"")
    store = services.store
    put(store, f"{AGENCY}/Hộp 4/{TRUNCATED}", (BATCH / TRUNCATED).read_bytes())
    put(store, f"{AGENCY}/Hộp 4/_READY", b"")
    outcomes = {(o.drop.source, o.drop.batch): o for o in take_drops(services)}
    folder, bucket = outcomes["folder", "Hộp 1"], outcomes["inbox", "Hộp 4"]
    assert (folder.action, folder.batch_name, folder.registered) == ("taken", "Hộp 1 (2)", 1)
    assert (bucket.action, bucket.batch_name, bucket.registered) == ("taken", "Hộp 4 (2)", 1)
    assert (drop_dir / PROCESSED / AGENCY / "Hộp 1 (2)" / TRUNCATED).is_file()
    assert (drop_dir / PROCESSED / AGENCY / "Hộp 1" / BORN_DIGITAL).is_file()  # the first one untouched
    assert inbox_keys(store, f"{PROCESSED}/{AGENCY}/Hộp 4 (2)/") == [
        f"{PROCESSED}/{AGENCY}/Hộp 4 (2)/{TRUNCATED}", f"{PROCESSED}/{AGENCY}/Hộp 4 (2)/_READY"]
    assert outcomes["folder", "Hộp 2"].action == outcomes["inbox", "Hộp 5"].action == "left"


@pytest.mark.parametrize("where", ["folder", "inbox"])
def test_a_run_stopped_midway_resumes_into_its_batch(drops_env, where):
    # What a run that stopped after storing one of two files leaves behind: the marker naming the
    # batch, one record registered, and the drop still where staff put it.
    services, drop_dir = drops_env
    store = services.store
    name = f"Hộp 7 {where}"
    files = {"a.pdf": (BATCH / TRUNCATED).read_bytes(), "b.pdf": b"%PDF-1.4 not really\n"}
    marker = json.dumps({"batch_name": name}, ensure_ascii=False).encode()
    if where == "folder":
        folder = drop_dir / AGENCY / name
        folder.mkdir(parents=True)
        for file, data in [*files.items(), ("_READY", b""), (TAKEN, marker)]:
            (folder / file).write_bytes(data)
        stored_a = folder / "a.pdf"
    else:
        for file, data in [*files.items(), ("_READY", b""), (TAKEN, marker)]:
            put(store, f"{AGENCY}/{name}/{file}", data)
        stored_a = drop_dir / "a.pdf"
        stored_a.write_bytes(files["a.pdf"])
    first = ingest_inputs([InputFile(stored_a, f"{name}/a.pdf")], AGENCY, services, batch_name=name)
    outcomes = {o.drop.batch: o for o in take_drops(services)}
    resumed = outcomes[name]
    assert (resumed.action, resumed.batch_id, resumed.batch_name) == ("taken", first.batch_id, name)
    assert (resumed.registered, resumed.already_registered) == (1, 1)
    assert sorted(r.source_path for r in services.catalog.records(first.batch_id)) == [f"{name}/a.pdf", f"{name}/b.pdf"]
    if where == "folder":
        assert not folder.exists()
        assert sorted(p.name for p in (drop_dir / PROCESSED / AGENCY / name).iterdir()) == ["_READY", "a.pdf", "b.pdf"]
    else:
        assert inbox_keys(store, f"{AGENCY}/{name}/") == []
        assert [k.rsplit("/", 1)[1] for k in inbox_keys(store, f"{PROCESSED}/{AGENCY}/{name}/")] == [
            "_READY", "a.pdf", "b.pdf"]


def test_an_inbox_file_written_again_while_its_drop_moves_is_not_deleted(drops_env):
    from flows.drops import InboxSource

    services, _ = drops_env
    store = services.store
    name = "Hộp 9"
    for file, data in [("a.pdf", b"1"), ("b.pdf", b"first scan"), ("_READY", b"")]:
        put(store, f"{AGENCY}/{name}/{file}", data)
    source = InboxSource(store)
    (drop,) = [d for d in source.drops() if d.name == name]
    put(store, f"{AGENCY}/{name}/b.pdf", b"second scan, never taken")  # staff replace it meanwhile
    source.move(drop, PROCESSED, name)
    assert inbox_keys(store, f"{AGENCY}/{name}/") == [f"{AGENCY}/{name}/b.pdf"]
    assert inbox.get(store, f"{AGENCY}/{name}/b.pdf") == b"second scan, never taken"
    assert [k.rsplit("/", 1)[1] for k in inbox_keys(store, f"{PROCESSED}/{AGENCY}/{name}/")] == [
        "_READY", "a.pdf", "b.pdf"]
    inbox.remove(store, [f"{AGENCY}/{name}/b.pdf"])  # the later tests list every drop


def test_an_inbox_file_removed_during_the_take_fails_only_its_drop(drops_env, monkeypatch):
    from flows.drops import DropsNotTaken

    services, drop_dir = drops_env
    store = services.store
    name = "Hộp 10"
    for file, data in [("a.pdf", b"%PDF-1.4 gone"), ("_READY", b"")]:
        put(store, f"{AGENCY}/{name}/{file}", data)
    other = drop_dir / AGENCY / "Hộp 11"
    other.mkdir(parents=True)
    (other / "x.pdf").write_bytes(b"%PDF-1.4 " + uuid.uuid4().hex.encode())
    (other / "_READY").write_bytes(b"")
    download = inbox.download

    def removed_meanwhile(store, key: str, path: Path) -> None:
        if key.startswith(f"{AGENCY}/{name}/"):
            inbox.remove(store, [key])  # staff delete it after the listing
        download(store, key, path)

    monkeypatch.setattr(inbox, "download", removed_meanwhile)
    with pytest.raises(DropsNotTaken, match=name) as caught:
        take_drops(services)
    outcomes = {o.drop.batch: o for o in caught.value.outcomes}
    assert outcomes[name].action == "error" and "a.pdf" in outcomes[name].error
    assert outcomes["Hộp 11"].action == "taken"
    assert inbox_keys(store, f"{AGENCY}/{name}/") == [f"{AGENCY}/{name}/_READY", f"{AGENCY}/{name}/{TAKEN}"]
    inbox.remove(store, inbox_keys(store, f"{AGENCY}/{name}/"))  # the later tests list every drop


def test_command_line_lists_and_takes_drops(drops_env):
    import subprocess
    import sys

    services, drop_dir = drops_env
    folder = drop_dir / AGENCY / "Hộp 8"
    folder.mkdir(parents=True)
    (folder / "x.pdf").write_bytes(b"%PDF-1.4 " + uuid.uuid4().hex.encode())  # new bytes: no duplicate

    def sohoa(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True,
                              timeout=120, cwd=ROOT)

    listed = sohoa("drops", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    drops = {d["batch"]: d for d in json.loads(listed.stdout)["drops"]}
    assert (drops["Hộp 8"]["state"], drops["Hộp 8"]["code"]) == ("waiting", "no_marker")
    (folder / "_READY").write_bytes(b"")
    taken = sohoa("drops", "take")
    assert taken.returncode == 0, taken.stderr
    (record,) = [r for r in services.catalog.records() if r.batch_name == "Hộp 8"]
    assert (record.source_path, record.status) == ("Hộp 8/x.pdf", "pending")
    assert (drop_dir / PROCESSED / AGENCY / "Hộp 8" / "x.pdf").is_file()
    listed = json.loads(sohoa("drops", "list", "--format", "json").stdout)
    assert "Hộp 8" not in {d["batch"] for d in listed["drops"]}


def test_a_drop_folder_that_cannot_be_read_fails_the_nightly_run_after_processing(drops_env, monkeypatch):
    from flows.digitise import RunFailed, nightly

    services, drop_dir = drops_env
    monkeypatch.setenv("SOHOA_DROP_DIR", str(drop_dir / "not-mounted"))
    assert services.catalog.ids_with_status("pending")  # left by the tests above, which only took drops
    state = nightly(return_state=True)
    with pytest.raises(RunFailed, match="not-mounted"):
        state.result()
    assert services.catalog.ids_with_status("pending") == []
    # What the run did with the inbox's drops is still published.
    rows = drops_artifact_rows(state.state_details.flow_run_id)
    assert ("Hộp 5", "left") in {(row["lô"], row["việc"]) for row in rows}
