"""benchmarks/second_set: its manifest is complete, and build.py takes a file from a clone of its
source repository, checks it and cuts it to its kept pages (a small repository made here)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("second_set_build", ROOT / "benchmarks" / "second_set" / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def test_every_file_of_the_manifest_says_where_it_comes_from_and_what_is_true():
    rows = [json.loads(line) for line in build.MANIFEST.read_text(encoding="utf-8").splitlines() if line]
    assert len({row["file"] for row in rows}) == len(rows) >= 20
    for row in rows:
        assert row["repo"].count("/") == 1 and len(row["commit"]) == 40 and len(row["sha256"]) == 64
        assert row["capture"] in ("born_digital", "scan", "low_resolution_image") and row["fields"]
        assert row["repo"] not in ("namn44241/OCR_Vietocr", "KaiKenju/Vietnamese_OCR_documents",
                                   "ailabteam/VietAdmin-OCR-LLM-RAG")  # the held-back set's sources


def _pdf(pages: int) -> bytes:
    with pymupdf.open() as doc:
        for number in range(pages):
            doc.new_page().insert_text((72, 72), f"Trang {number + 1}")
        return doc.tobytes()


def test_a_file_is_taken_from_its_commit_checked_and_cut_to_its_kept_pages(tmp_path):
    clone = tmp_path / "owner+papers"
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    data = _pdf(3)
    (clone / "qd.pdf").write_bytes(data)
    git = ["git", "-C", str(clone), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "qd.pdf"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a paper"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    row = {"file": "QD.pdf", "repo": "owner/papers", "commit": commit, "path": "qd.pdf",
           "sha256": hashlib.sha256(data).hexdigest()}
    assert build.original(row, [tmp_path / "other", clone]) == data
    with pymupdf.open(stream=build.kept_pages(data, [1, 3]), filetype="pdf") as kept:
        assert [page.get_text().strip() for page in kept] == ["Trang 1", "Trang 3"]
    # another file's bytes, or no clone of the repository, give nothing
    assert build.original({**row, "sha256": "0" * 64}, [clone]) is None
    assert build.original({**row, "repo": "owner/elsewhere"}, [clone]) is None
