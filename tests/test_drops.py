"""The rules that decide what a run does with a drop, on real folders (no S3, no OCR)."""

from __future__ import annotations

import os
import time
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from flows.drops import (
    PROCESSED, REJECTED, REJECTED_AREA, TAKEN, DropSettings, FolderSource, ManifestError, QuietPeriod,
    assess, known_agencies, list_drops, parse_manifest, rejection_note,
)
from storage.catalog import Catalog

AGENCY = "000.00.00.H62"
LATER = datetime.now(timezone.utc) + timedelta(hours=1)  # every drop made by a test has settled by then
QUIET = QuietPeriod(60)


def any_code(code: str) -> bool:
    return True


def make_drop(root: Path, batch: str, files: dict[str, bytes], agency: str = AGENCY) -> Path:
    folder = root / agency / batch
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def verdict(root: Path, now: datetime = LATER, known=any_code, quiet: QuietPeriod = QUIET):
    source = FolderSource(root)
    (drop,) = source.drops()
    manifest = drop.control("manifest.csv")
    return drop, assess(drop, source.read(drop, manifest) if manifest else None, known, quiet, now)


# --- manifest.csv ---------------------------------------------------------------------------


def test_manifest_with_vietnamese_headers_semicolons_and_a_bom():
    data = ("Tên tệp;Mã TTHC;Số vào sổ;Ghi chú\n"
            "01 Quyết định.pdf;1.000894;125/2023;bản gốc\n"
            "\n"
            "sub\\02.jpg;;;\n").encode("utf-8-sig")
    rows = parse_manifest(data)
    assert [(r.file, r.declared) for r in rows] == [
        ("01 Quyết định.pdf", {"procedure_code": "1.000894", "register_reference": "125/2023"}),
        ("sub/02.jpg", {}),
    ]


def test_manifest_names_come_out_nfc():
    decomposed = unicodedata.normalize("NFD", "Quyết định.pdf")
    (row,) = parse_manifest(f"file\n{decomposed}\n".encode())
    assert row.file == unicodedata.normalize("NFC", "Quyết định.pdf") != decomposed


@pytest.mark.parametrize(("data", "says"), [
    (b"file\nH\xf4 s\xf5.pdf\n", "UTF-8"),  # Latin-1, as an old spreadsheet saves it
    (b"", "rỗng"),
    (b"name;size\na.pdf;3\n", "cột tên tệp"),
    (b"file,file\na.pdf,b.pdf\n", "cột lặp lại"),
    (b"file,procedure code\n,1.000894\n", "dòng 2: thiếu tên tệp"),
    (b"file,procedure code\na.pdf,12345\n", "dòng 2: mã thủ tục '12345' sai dạng"),
    (b"file\n\n", "không ghi tệp nào"),
])
def test_unreadable_manifests_say_why(data, says):
    with pytest.raises(ManifestError, match=says):
        parse_manifest(data)


# --- completeness ---------------------------------------------------------------------------


def test_a_drop_without_ready_or_manifest_is_left(tmp_path):
    make_drop(tmp_path, "Hộp 1", {"a.pdf": b"%PDF-1.4"})
    _, result = verdict(tmp_path)
    assert (result.state, result.code) == ("waiting", "no_marker")


def test_a_marked_drop_still_being_written_is_left(tmp_path):
    make_drop(tmp_path, "Hộp 1", {"a.pdf": b"%PDF-1.4", "_READY": b""})
    _, result = verdict(tmp_path, now=datetime.now(timezone.utc), quiet=QuietPeriod(3600))
    assert (result.state, result.code) == ("waiting", "still_writing")
    _, result = verdict(tmp_path, now=datetime.now(timezone.utc), quiet=QuietPeriod(0))
    assert result.state == "ready"


def test_restored_old_mtimes_do_not_pass_for_a_settled_drop(tmp_path):
    # `cp -p` and rsync set the source's mtime on each file; the change time still says "just now".
    folder = make_drop(tmp_path, "Hộp 1", {"a.pdf": b"%PDF-1.4", "_READY": b""})
    old = time.time() - 10 * 86400
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (old, old))
    drop, result = verdict(tmp_path, now=datetime.now(timezone.utc), quiet=QuietPeriod(3600))
    assert result.code == "still_writing"
    assert (datetime.now(timezone.utc) - drop.changed) < timedelta(minutes=5)


def test_quiet_period_counts_from_the_last_change():
    changed = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)
    quiet = QuietPeriod(120)
    assert quiet.left(changed, changed + timedelta(seconds=30)) == 90
    assert quiet.left(changed, changed + timedelta(seconds=120)) == 0


def test_a_file_added_in_a_subfolder_counts_as_a_change(tmp_path):
    folder = make_drop(tmp_path, "Hộp 1", {"sub/a.pdf": b"%PDF-1.4", "_READY": b""})
    drop, _ = verdict(tmp_path)
    assert [f.name for f in drop.papers()] == ["sub/a.pdf"]
    assert drop.changed >= datetime.fromtimestamp((folder / "sub").stat().st_ctime, timezone.utc)


def test_ready_marker_takes_every_paper_but_control_and_hidden_files(tmp_path):
    make_drop(tmp_path, "Hộp 1", {"a.pdf": b"1", "sub/b.jpg": b"2", "_ready": b"", ".~lock.a.pdf#": b"",
                                  "_TAKEN.json": b"{}", "sub/Thumbs.db": b"", "desktop.ini": b""})
    drop, result = verdict(tmp_path)
    assert result.state == "ready"
    assert sorted(f.name for f in drop.papers()) == ["a.pdf", "sub/b.jpg"]


def test_manifest_lists_a_file_not_arrived_yet(tmp_path):
    make_drop(tmp_path, "Hộp 1", {"a.pdf": b"1", "manifest.csv": b"file\na.pdf\nb.pdf\n"})
    _, result = verdict(tmp_path)
    assert (result.state, result.code) == ("waiting", "files_missing")
    assert "b.pdf" in result.reason


def test_complete_manifest_carries_the_declared_values(tmp_path):
    make_drop(tmp_path, "Hộp 1", {"a.pdf": b"1", "b.pdf": b"2",
                                  "manifest.csv": "tệp,mã tthc,số vào sổ\na.pdf,1.000894,12\nb.pdf,,\n".encode()})
    _, result = verdict(tmp_path)
    assert result.state == "ready"
    assert result.declared == {"a.pdf": {"procedure_code": "1.000894", "register_reference": "12"}}


def test_manifest_and_files_match_whatever_the_unicode_form(tmp_path):
    # A Mac writes decomposed names; the manifest typed on Windows is composed.
    name = "Quyết định.pdf"
    make_drop(tmp_path, "Hộp 1", {unicodedata.normalize("NFD", name): b"1",
                                  "manifest.csv": f"file\n{unicodedata.normalize('NFC', name)}\n".encode()})
    _, result = verdict(tmp_path)
    assert result.state == "ready"


@pytest.mark.parametrize(("files", "code"), [
    ({"a.pdf": b"1", "c.pdf": b"3", "manifest.csv": b"file\na.pdf\n"}, "unlisted_files"),
    ({"a.pdf": b"1", "manifest.csv": b"file\na.pdf\na.pdf\n"}, "duplicate_names"),
    ({"a.pdf": b"1", "manifest.csv": b"size\n3\n"}, "bad_manifest"),
    ({"_READY": b""}, "empty_drop"),
    ({unicodedata.normalize("NFC", "Hồ.pdf"): b"1", unicodedata.normalize("NFD", "Hồ.pdf"): b"2",
      "_READY": b""}, "duplicate_names"),
])
def test_bad_drops_are_rejected_with_a_code(tmp_path, files, code):
    make_drop(tmp_path, "Hộp 1", files)
    _, result = verdict(tmp_path)
    assert (result.state, result.code) == ("rejected", code)
    assert result.reason


def test_a_name_that_is_not_utf8_is_rejected(tmp_path):
    folder = make_drop(tmp_path, "Hộp 1", {"_READY": b""})
    with open(os.path.join(os.fsencode(folder), b"H\xf4.pdf"), "wb") as file:  # Latin-1, from an old share
        file.write(b"1")
    _, result = verdict(tmp_path)
    assert (result.state, result.code) == ("rejected", "bad_file_name")


def test_unknown_agency_is_rejected_once_the_drop_is_marked(tmp_path, catalog):
    from storage.agencies import load_agencies

    load_agencies(catalog, (Path(__file__).parents[1] / "samples/agencies/vinh_phuc_2022.csv").read_bytes())
    known = known_agencies(catalog)
    assert known(AGENCY) and not known("XX.99")
    make_drop(tmp_path, "Hộp 1", {"a.pdf": b"1"}, agency="XX.99")
    _, result = verdict(tmp_path, known=known)
    assert result.code == "no_marker"  # not touched until staff say it is complete
    (tmp_path / "XX.99" / "Hộp 1" / "_READY").write_bytes(b"")
    _, result = verdict(tmp_path, known=known)
    assert (result.state, result.code) == ("rejected", "unknown_agency")


def test_without_an_agency_list_any_well_formed_code_is_known(catalog):
    known = known_agencies(catalog)
    assert known(AGENCY) and not known("UBND xã") and not known("a/b")


def test_processed_and_rejected_areas_and_stray_files_are_not_drops(tmp_path):
    make_drop(tmp_path, "Hộp 1", {"a.pdf": b"1"})
    make_drop(tmp_path / PROCESSED, "Hộp 0", {"a.pdf": b"1"})
    make_drop(tmp_path / REJECTED_AREA, "Hộp 0", {"a.pdf": b"1"})
    (tmp_path / AGENCY / "loose.pdf").write_bytes(b"1")
    assert [(d.agency, d.name) for d in FolderSource(tmp_path).drops()] == [(AGENCY, "Hộp 1")]


# --- moving -----------------------------------------------------------------------------------


def test_rejected_drop_moves_with_its_reason_and_never_overwrites(tmp_path):
    source = FolderSource(tmp_path)
    for round in (1, 2):
        make_drop(tmp_path, "Hộp 1", {"a.pdf": b"1", "manifest.csv": b"file\nb.pdf\n"})
        drop, result = verdict(tmp_path)
        note = rejection_note(drop, result, LATER)
        moved = Path(source.move(drop, REJECTED_AREA, "Hộp 1", note=(REJECTED, note.encode())))
        assert not (tmp_path / AGENCY / "Hộp 1").exists()
        assert moved == tmp_path / REJECTED_AREA / AGENCY / ("Hộp 1" if round == 1 else "Hộp 1 (2)")
        text = (moved / REJECTED).read_text(encoding="utf-8")
        assert "unlisted_files" in text and "a.pdf" in text and "Lý do" in text
        assert (moved / "a.pdf").read_bytes() == b"1"


def test_the_taking_marker_does_not_follow_a_drop_to_processed(tmp_path):
    make_drop(tmp_path, "Hộp 1", {"a.pdf": b"1", "_READY": b"", TAKEN: '{"batch_name": "Hộp 1"}'.encode()})
    source = FolderSource(tmp_path)
    (drop,) = source.drops()
    moved = Path(source.move(drop, PROCESSED, "Hộp 1"))
    assert sorted(p.name for p in moved.iterdir()) == ["_READY", "a.pdf"]


# --- listing ------------------------------------------------------------------------------------


def test_listing_names_a_missing_drop_folder_and_lists_the_rest(tmp_path, catalog):
    listing = list_drops(catalog, None, DropSettings(dir=tmp_path / "not-mounted", quiet_seconds=0))
    assert listing.drops == [] and "not-mounted" in listing.problems[0]


def test_listing_shows_each_drop_with_its_state(tmp_path, catalog):
    make_drop(tmp_path, "Hộp 1", {"a.pdf": b"12", "_READY": b""})
    make_drop(tmp_path, "Hộp 2", {"a.pdf": b"1"})
    listing = list_drops(catalog, None, DropSettings(dir=tmp_path, quiet_seconds=0))
    assert [(d.batch, d.state, d.code, d.files, d.bytes) for d in listing.drops] == [
        ("Hộp 1", "ready", None, 1, 2), ("Hộp 2", "waiting", "no_marker", 1, 1)]


@pytest.fixture
def catalog(tmp_path_factory):
    catalog = Catalog(f"sqlite:///{tmp_path_factory.mktemp('catalog') / 'catalog.sqlite3'}")
    yield catalog
    catalog.close()


def test_one_taking_run_at_a_time_per_home(tmp_path):
    from types import SimpleNamespace

    from flows.drops import DropsNotTaken, _exclusive, take_drops

    services = SimpleNamespace(storage_settings=SimpleNamespace(home=tmp_path), catalog=None, store=None)
    with _exclusive(tmp_path / "drops.lock"):
        with pytest.raises(DropsNotTaken, match="another run is taking drops"):
            take_drops(services, DropSettings(dir=tmp_path / "drops"))
