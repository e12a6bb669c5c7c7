"""Field accuracy against the generator's truth: sohoa against a naive regex baseline, same documents, same run.

sohoa: `read_document` + `extract_document` on each generated file: `--per-type` documents
of every generated type, in mixed formats, each scanned under a capture condition drawn from
`--conditions` (a set of samples/generate.py CONDITION_SETS, or condition names joined by
commas). Baseline: one regular expression (and a few lines of case rules) per field, as a first
script would write, over plain `pytesseract.image_to_string` of each page; for a born-digital
PDF (`pdf-text`, and `pdf-stamped` of `--conditions real`) over the PDF's own text layer, which
sohoa reads too.

Born-digital files are read exactly from their text layer, so they are reported apart: the
headline, and the targets, are on the OCR'd files (jpeg, png, tiff, pdf-scan). Per field:
exact-match accuracy (correct ÷ printed), precision (correct ÷ given) and, for sohoa, how many
wrong values would have been accepted without review. Then per format, capture condition and
document type.

Targets (issue 4), on the OCR'd files: exact-match accuracy >= 0.95 for document_number,
issue_date, issuer, signer and holder_id, >= 0.90 for every other field printed; holder_id
precision >= 0.98. PASS/FAIL per target at the end; exit status 1 when one is missed.

The rules were tuned on seed 2026 (the default) with the `mixed` conditions; `--seed 7
--conditions hard` is the held-out check (turned, skewed, noisy, 150 dpi, faxed pages);
`--conditions real` writes each document as a file condition seen on real files (a scan signed
with a stamp, a scan under a scanner's unmarked OCR layer, born-digital with stamped number and day,
or a scan with the receiving office's `ĐẾN` stamp beside the title: samples/received_stamp.py).
`--conditions handwritten` writes the number and day by hand over blanks (samples/handwriting.py):
sohoa should read few of them and publish no wrong one (`unrev. wrong` and precision).
`--conditions appendix_alone` writes the appendix page of each document filed alone (`phu_luc`: its
parent's number and day, or blanks where the drafter left them).

    .venv/bin/python benchmarks/extraction.py [--per-type 40] [--seed 2026] [--conditions mixed|hard|real|a,b]
                                              [--workers 2] [--types a,b] [--misses]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402
import pytesseract  # noqa: E402

import ocr.tesseract  # noqa: E402,F401  (OMP_THREAD_LIMIT=1 for the baseline too)
from extract import extract_document  # noqa: E402
from ocr.pipeline import read_document  # noqa: E402
from benchmarks.common import print_check  # noqa: E402
from samples import conditions  # noqa: E402
from samples.generate import BORN_DIGITAL_FORMATS, CONDITION_SETS, document_bytes, make_document, pick_format  # noqa: E402
from samples.specs import DOC_TYPES  # noqa: E402

FIELDS = ["document_number", "issue_date", "issue_place", "issuer", "signer", "signer_title", "summary",
          "holder_name", "holder_id", "address", "procedure_code", "valid_until", "land_serial", "land_parcel",
          "map_sheet", "land_area", "business_code", "register_book", "last_change_date",
          "parent_document_number", "parent_issue_date"]
# The bar: exact-match accuracy per field, and holder_id precision.
STRICT_FIELDS = {"document_number", "issue_date", "issuer", "signer", "holder_id"}
STRICT_TARGET, OTHER_TARGET, HOLDER_ID_PRECISION = 0.95, 0.90, 0.98

# ---- the baseline -------------------------------------------------------------------------------

MOTTO = re.compile(r"\s*(?:CỘNG H[OÒ]A|Độc lập).*")  # the right header column, on the same OCR line
PLACE_WORDS = ("tỉnh", "huyện", "xã", "phường", "thị trấn", "thành phố", "thị xã", "quận")
PLACE = re.compile(rf"(?:^|\s)({'|'.join(PLACE_WORDS)})\s", re.IGNORECASE)
ABBREVIATIONS = {"UBND": "ỦY BAN NHÂN DÂN", "HĐND": "HỘI ĐỒNG NHÂN DÂN"}
DOCUMENT_TITLES = r"QUYẾT ĐỊNH|THÔNG BÁO|KẾ HOẠCH|BÁO CÁO|ĐỀ ÁN"


def _first(pattern: str, text: str, flags: int = 0) -> re.Match[str] | None:
    return re.search(pattern, text, flags)


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def body_case(text: str) -> str:
    """docs/fields.md's normal case, done simply: lower case; the first word, the second (unless the
    body is an Ủy ban or Hội đồng), a word after `và`, `-` or a comma, and everything after a place word
    capitalised."""
    words = text.lower().split()
    committee = " ".join(words[:2]) in ("ủy ban", "uỷ ban", "hội đồng")
    out, in_place = [], False
    for index, word in enumerate(words):
        previous = words[index - 1] if index else ""
        capital = (index == 0 or (index == 1 and not committee) or previous in ("và", "-") or previous.endswith(",")
                   or in_place)
        out.append(_capitalised(word) if capital else word)
        if word in PLACE_WORDS or f"{previous} {word}" in PLACE_WORDS:
            in_place = True
    return " ".join(out)


def trailing_words(text: str, keep: Callable[[str], bool]) -> str:
    """The words at the end of `text` that `keep` accepts, up to the first it does not."""
    words = text.split()
    start = len(words)
    while start and keep(words[start - 1]):
        start -= 1
    return " ".join(words[start:])


def capitalised_tail(text: str) -> str:
    """The capitalised words at the end of `text`: a place name before `, ngày`."""
    return trailing_words(text, lambda word: word[:1].isupper() and word.isalpha())


def naive_issuer(text: str) -> str | None:
    """The upper-case header lines above `Số:`: the upper one names the superior, the lower the body."""
    head = re.split(r"^\s*Số\b", text, maxsplit=1, flags=re.MULTILINE)[0]
    lines = [MOTTO.sub("", line).strip() for line in head.splitlines()]
    lines = [line for line in lines if line and line.upper() == line and any(c.isalpha() for c in line)]
    if not lines:
        return None
    # A third line only continues a body's name (`SỞ VĂN HÓA, THỂ THAO` / `VÀ DU LỊCH`).
    lines = lines[:3] if len(lines) > 2 and lines[2].startswith("VÀ ") else lines[:2]
    for short, long in ABBREVIATIONS.items():
        lines = [re.sub(rf"\b{short}\b", long, line) for line in lines]
    if len(lines) == 1:
        return body_case(lines[0])
    superior, body = lines[0], " ".join(lines[1:])
    if PLACE.match(f"{body} "):  # `ỦY BAN NHÂN DÂN` / `TỈNH VĨNH PHÚC`: one body on two lines
        return body_case(f"{superior} {body}")
    if not PLACE.search(f"{body} ") and (place := PLACE.search(f"{superior} ")):
        body = f"{body} {superior[place.start(1):]}"
    return body_case(body)


def naive_signer_title(lines: list[str]) -> str | None:
    """The upper-case words after the `KT.`/`TM.`/`TL.` line (OCR may put them at the end of a recipient
    line), or those on the `Nơi nhận` line when the head signs."""
    def trailing_capitals(line: str) -> str:
        words = trailing_words(line, lambda word: word.isupper() and word.isalpha())
        return words if len(words.replace(" ", "")) >= 4 else ""

    prefixed = [i for i, line in enumerate(lines) if re.search(r"\b(?:KT|TM|TL|Q)\.\s*\S", line)]
    candidates = lines[prefixed[-1] + 1:prefixed[-1] + 4] if prefixed else [l for l in lines if "Nơi nhận" in l]
    for line in candidates:
        if title := trailing_capitals(line):
            words = title.lower().split()
            if words[0] == "phó" and len(words) > 1:
                words[1] = _capitalised(words[1])
            return _capitalised(" ".join(words))
    return None


def naive_fields(text: str) -> dict[str, str]:
    """What a first regex script gets out of plain text, one rule per field."""
    found: dict[str, str] = {}
    if m := _first(r"Số\s*:?\s*(\S+)", text):
        found["document_number"] = m.group(1)
    if m := _first(r"([^\n,]+),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text):
        if place := capitalised_tail(m.group(1)):  # the notation may share the line
            found["issue_place"] = place
        found["issue_date"] = f"{m.group(4)}-{int(m.group(3)):02d}-{int(m.group(2)):02d}"
    if issuer := naive_issuer(text):
        found["issuer"] = issuer
    if m := (_first(r"Số định danh cá nhân:\s*(\d[\d ]{10,14}\d)", text) or _first(r"\b(\d{12})\b", text)
             or _first(r"Mã số doanh nghiệp:\s*(\d{10})", text)):
        found["holder_id"] = m.group(1).replace(" ", "")
    if m := _first(r"Tên công ty viết bằng tiếng Việt:\s*(.+)", text):
        found["holder_name"] = m.group(1).strip()
    elif m := _first(r"(?:Họ và tên|Họ, chữ đệm, tên(?: chồng)?|Cấp cho (?:ông|bà)|^Ông|^Bà)\s*:\s*(.+)", text,
                     re.MULTILINE):
        found["holder_name"] = m.group(1).strip().title()
    if m := _first(r"(?:Địa chỉ[^:\n]*|Nơi cư trú):\s*(.+)", text):
        found["address"] = m.group(1).strip()
    if m := (_first(r"^V/v\s+(.+(?:\n.+)*)", text, re.MULTILINE)
             or _first(rf"^(?:{DOCUMENT_TITLES})[ \t]*\n(?:[ \t]*\n)?(.+(?:\n.+)*)", text, re.MULTILINE)):
        found["summary"] = " ".join(m.group(1).split())
    if m := _first(r"Mã (?:thủ tục hành chính|TTHC):\s*(\S+)", text):
        found["procedure_code"] = m.group(1)
    if m := _first(r"đến ngày:?\s*(\d{2})/(\d{2})/(\d{4})", text):
        found["valid_until"] = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    if m := _first(r"Số phát hành:\s*([A-Z]{2} \d{6})", text):
        found["land_serial"] = m.group(1)
    if m := _first(r"[Tt]hửa đất số:?\s*(\d+)", text):
        found["land_parcel"] = m.group(1)
    if m := _first(r"[Tt]ờ bản đồ số:?\s*(\d+)", text):
        found["map_sheet"] = m.group(1)
    if m := _first(r"Diện tích:\s*([\d,]+)\s*m2", text):
        found["land_area"] = m.group(1).replace(",", ".")
    if m := _first(r"Mã số hộ kinh doanh:\s*(\S+)", text):
        found["business_code"] = m.group(1)
    if m := _first(r"Quyển số:\s*(\S+)", text):
        found["register_book"] = m.group(1)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines:
        found["signer"] = lines[-1]
    if title := naive_signer_title(lines):
        found["signer_title"] = title
    return found


def text_layer(data: bytes) -> str:
    """A born-digital PDF's text as a first script gets it: its text blocks, a blank line between them."""
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return "\n\n".join(block[4].strip() for page in pdf for block in page.get_text("blocks"))


# ---- one document -------------------------------------------------------------------------------

def run_one(job: tuple[int, tuple[str, ...], str, int]) -> dict:
    seed, condition_set, doc_type, index = job
    rng = random.Random(f"{seed}:{doc_type}:{index}")
    doc = make_document(rng, doc_type, rng.choice(condition_set))
    fmt = pick_format(rng, doc)
    data = document_bytes(doc, fmt)
    started = time.perf_counter()
    document = read_document(data)
    extraction = extract_document(document.pages, signatures=document.signatures)
    sohoa_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if fmt in BORN_DIGITAL_FORMATS:
        raw = text_layer(data)
    else:
        raw = "\n".join(pytesseract.image_to_string(page, lang="vie", config=f"--dpi {doc.dpi}") for page in doc.pages)
    baseline_seconds = time.perf_counter() - started
    return {
        "format": fmt,
        # A born-digital PDF carries no capture condition (its text is drawn, not scanned); a stamped
        # one keeps its file condition.
        "condition": "digital" if fmt == "pdf-text" else doc.condition,
        "type": doc_type,
        "truth": doc.truth["fields"],
        "type_ok": extraction.document_type == doc.truth["document_type"],
        "sohoa": {name: field.value for name, field in extraction.fields.items()},
        "reviewed": bool(extraction.review_reasons) or any(p.outcome != "ok" for p in document.pages),
        "baseline": naive_fields(raw),
        "pages": len(doc.pages),
        "seconds": (sohoa_seconds, baseline_seconds),
    }


# ---- report -------------------------------------------------------------------------------------

def score(results: list[dict], system: str, name: str) -> tuple[int, int, int, int]:
    """For one field: (printed, given, correct, wrong and not sent to review)."""
    printed = given = correct = unreviewed_wrong = 0
    for r in results:
        truth, got = r["truth"].get(name), r[system].get(name)
        printed += truth is not None
        given += got is not None
        correct += got is not None and got == truth
        unreviewed_wrong += system == "sohoa" and got is not None and got != truth and not r["reviewed"]
    return printed, given, correct, unreviewed_wrong


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


def field_table(results: list[dict], with_targets: bool) -> None:
    target_head = f"{'target':>8}" if with_targets else ""
    print(f"{'field':16}{'printed':>8} | {'sohoa exact':>11}{'precision':>10}{'unrev. wrong':>13}{target_head} | "
          f"{'regex exact':>11}{'precision':>10}")
    totals = [0] * 6
    for name in FIELDS:
        p, g, c, w = score(results, "sohoa", name)
        _, bg, bc, _ = score(results, "baseline", name)
        if not p and not g:
            continue
        totals = [a + b for a, b in zip(totals, (p, g, c, w, bg, bc))]
        target = f"{STRICT_TARGET if name in STRICT_FIELDS else OTHER_TARGET:>8.2f}" if with_targets else ""
        print(f"{name:16}{p:8} | {_ratio(c, p):>11}{_ratio(c, g):>10}{w:13}{target} | "
              f"{_ratio(bc, p):>11}{_ratio(bc, bg):>10}")
    p, g, c, w, bg, bc = totals
    print(f"{'all fields':16}{p:8} | {_ratio(c, p):>11}{_ratio(c, g):>10}{w:13}{' ' * len(target_head)} | "
          f"{_ratio(bc, p):>11}{_ratio(bc, bg):>10}")


def targets(results: list[dict]) -> list[tuple[str, float, float]]:
    """(what, measured, target) for every target that applies to these results."""
    checks = []
    for name in FIELDS:
        printed, given, correct, _ = score(results, "sohoa", name)
        if printed:
            target = STRICT_TARGET if name in STRICT_FIELDS else OTHER_TARGET
            checks.append((f"{name} exact-match accuracy", correct / printed, target))
        if name == "holder_id" and printed:
            checks.append(("holder_id precision", correct / given if given else 0.0, HOLDER_ID_PRECISION))
    return checks


def group_table(results: list[dict], title: str, key: Callable[[dict], str]) -> None:
    print(f"\n{title:29}{'docs':>5}{'pages':>6}{'type ok':>8}{'fields':>7}{'sohoa exact':>12}{'unrev. wrong':>13}"
          f"{'to review':>10}{'regex exact':>12}")
    for group in sorted({key(r) for r in results}):
        rows = [r for r in results if key(r) == group]
        printed = sum(len(r["truth"]) for r in rows)
        exact = sum(r["sohoa"].get(k) == v for r in rows for k, v in r["truth"].items())
        wrong = sum(r["sohoa"].get(k) not in (None, v) and not r["reviewed"] for r in rows for k, v in r["truth"].items())
        regex = sum(r["baseline"].get(k) == v for r in rows for k, v in r["truth"].items())
        print(f"{group:29}{len(rows):5}{sum(r['pages'] for r in rows):6}{sum(r['type_ok'] for r in rows):8}"
              f"{printed:7}{_ratio(exact, printed):>12}{wrong:13}{sum(r['reviewed'] for r in rows):10}"
              f"{_ratio(regex, printed):>12}")


def condition_set(value: str) -> tuple[str, ...]:
    names = CONDITION_SETS.get(value) or tuple(value.split(","))
    for name in names:
        conditions.resolve(name)  # ValueError names the known conditions
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-type", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026, help="2026: the seed the rules were tuned on; 7: held out")
    parser.add_argument("--conditions", default="mixed",
                        help=f"capture conditions: {' or '.join(CONDITION_SETS)} (samples/generate.py), "
                             "or condition names joined by commas")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--types", help="comma-separated document types (default: every generated type)")
    parser.add_argument("--misses", action="store_true", help="list every wrong or missing value of sohoa")
    args = parser.parse_args()
    try:
        names = condition_set(args.conditions)
    except ValueError as exc:
        parser.error(str(exc))
    types = args.types.split(",") if args.types else list(DOC_TYPES)
    started = time.perf_counter()
    jobs = [(args.seed, names, doc_type, i) for i in range(args.per_type) for doc_type in types]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(run_one, jobs))
    scanned = [r for r in results if r["format"] not in BORN_DIGITAL_FORMATS]
    digital = [r for r in results if r["format"] in BORN_DIGITAL_FORMATS]
    print(f"{len(results)} documents ({args.per_type} of each of {len(types)} types), "
          f"{sum(r['pages'] for r in results)} pages, seed {args.seed}, conditions {args.conditions} ({', '.join(names)})")
    print(f"formats {dict(Counter(r['format'] for r in results))}")

    print(f"\n== HEADLINE: OCR'd files ({len(scanned)} documents, {sum(r['pages'] for r in scanned)} pages; "
          "regex over raw Tesseract of the same pages) ==")
    print(f"document type correct: {sum(r['type_ok'] for r in scanned)}/{len(scanned)}")
    field_table(scanned, with_targets=True)
    print(f"\n== Born-digital PDFs ({len(digital)} documents, read from their text layer; "
          "regex over the same text layer; not in the headline) ==")
    print(f"document type correct: {sum(r['type_ok'] for r in digital)}/{len(digital)}")
    field_table(digital, with_targets=False)

    group_table(results, "format", lambda r: r["format"])
    group_table(results, "capture condition", lambda r: r["condition"])
    group_table(scanned, "document type (OCR'd)", lambda r: r["type"])

    print(f"\nrecords sent to review: OCR'd {sum(r['reviewed'] for r in scanned)}/{len(scanned)}, "
          f"born-digital {sum(r['reviewed'] for r in digital)}/{len(digital)}")
    pages = sum(r["pages"] for r in scanned)
    sohoa_s, base_s = (sum(r["seconds"][i] for r in scanned) for i in (0, 1))
    if pages:
        print(f"seconds per OCR'd page: sohoa read + extract {sohoa_s / pages:.2f}, raw Tesseract {base_s / pages:.2f} "
              f"(ratio {sohoa_s / base_s:.2f}); run {time.perf_counter() - started:.0f} s")
    if args.misses:
        print_misses(results)

    checks = targets(scanned)
    print(f"\ntargets, on the OCR'd files (seed {args.seed}, conditions {args.conditions}):")
    for what, measured, target in checks:
        print_check(measured >= target, f"{what:38} {measured:.3f} (target >= {target:.2f})")
    missed = [what for what, measured, target in checks if measured < target]
    print(f"{len(checks) - len(missed)} of {len(checks)} targets met" + (f"; missed: {', '.join(missed)}" if missed else ""))
    sys.exit(1 if missed or not checks else 0)


def print_misses(results: list[dict]) -> None:
    print("\nmisses (document type, format, condition, field: printed → read):")
    for r in results:
        for name in FIELDS:
            truth, got = r["truth"].get(name), r["sohoa"].get(name)
            if truth != got:
                print(f"  {r['type']:28} {r['format']:9} {r['condition']:12} {name}: {truth!r} → {got!r}")


if __name__ == "__main__":
    main()
