"""Build the second real set, the one `real_documents.py --corpus` scores beside ../shared/realdocs.

    .venv/bin/python benchmarks/second_set/build.py OUT --sources DIR [DIR ...]

Its documents are not in this repository (the source repositories carry no licence; official
documents of state bodies are free of copyright, Law on Intellectual Property art. 15, but are
kept for testing only). `manifest.jsonl` names each one: the public repository, commit and path
it comes from, its SHA-256, the pages kept, and the truth read by hand. Each DIR is a clone (or a
bare mirror) of one of those repositories, named `owner+name` or `name`; the file is taken with
`git show COMMIT:PATH`, checked against its SHA-256, cut to its kept pages, and written to
OUT/files. OUT/truth.jsonl is then the manifest in score.py's format, a born-digital file's
`text` its text layer page by page (PyMuPDF, as the development set's), and OUT/score.py a
link to ../shared/realdocs/score.py. A file that cannot be had is reported and left out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pymupdf

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.jsonl"
SCORER = HERE.parents[2] / "shared" / "realdocs" / "score.py"
SOURCE_KEYS = ("repo", "commit", "path", "sha256", "pages_kept")


def git_dir(sources: list[Path], repo: str) -> Path | None:
    """The git directory of `repo` (owner/name) among the source folders."""
    owner, name = repo.split("/")
    for folder in sources:
        if folder.name not in (f"{owner}+{name}", name):
            continue
        for candidate in (folder / ".git", folder / "repo", folder):
            if (candidate / "HEAD").is_file():
                return candidate
    return None


def original(row: dict, sources: list[Path]) -> bytes | None:
    """The file's bytes as committed, None (with a message) when not to be had or not the same."""
    where = git_dir(sources, row["repo"])
    if where is None:
        print(f"{row['file']}: no clone of {row['repo']} among the sources", file=sys.stderr)
        return None
    shown = subprocess.run(["git", "--git-dir", str(where), "show", f"{row['commit']}:{row['path']}"],
                           capture_output=True, check=False)
    if shown.returncode != 0:
        print(f"{row['file']}: {row['repo']} has no {row['path']} at {row['commit'][:10]}", file=sys.stderr)
        return None
    if hashlib.sha256(shown.stdout).hexdigest() != row["sha256"]:
        print(f"{row['file']}: SHA-256 differs from the manifest's", file=sys.stderr)
        return None
    return shown.stdout


def kept_pages(data: bytes, pages: list[int] | None) -> bytes:
    """The PDF cut to its kept pages (1-based); the bytes as they are without a list."""
    if not pages:
        return data
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        doc.select([page - 1 for page in pages])
        return doc.tobytes(garbage=3, deflate=True)


def truth_row(row: dict, path: Path) -> dict:
    truth = {key: value for key, value in row.items() if key not in SOURCE_KEYS}
    if row.get("text_source") == "text_layer":
        with pymupdf.open(path) as doc:
            truth["text"] = [unicodedata.normalize("NFC", page.get_text()) for page in doc]
    return truth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sources", type=Path, nargs="+", required=True, help="clones of the source repositories")
    args = parser.parse_args()
    (args.out / "files").mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in MANIFEST.read_text(encoding="utf-8").splitlines() if line]
    built = []
    for row in rows:
        data = original(row, args.sources)
        if data is None:
            continue
        path = args.out / "files" / row["file"]
        path.write_bytes(kept_pages(data, row.get("pages_kept")))
        built.append(truth_row(row, path))
    with open(args.out / "truth.jsonl", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in built)
    scorer = args.out / "score.py"
    if not scorer.exists():
        scorer.symlink_to(SCORER)
    print(f"{len(built)} of {len(rows)} files in {args.out}")
    return 0 if len(built) == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
