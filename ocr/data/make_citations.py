"""Build ocr/data/cited_dates.tsv, the dates of documents that administrative text cites by number.

    git clone https://github.com/tnt305/tai_lieu_noi_bo && git -C tai_lieu_noi_bo checkout 94c5034
    .venv/bin/python ocr/data/make_citations.py tai_lieu_noi_bo/src/etl/dataset

The corpus is make_lm.py's: the state documents of that crawl of thuvienphapluat.vn, without
those the development set holds. A document cites its legal bases by number and date
(`Nghị định số 63/2010/NĐ-CP ngày 08/6/2010`, `... ngày 08 tháng 6 năm 2010`); every citation is
counted, and a number is kept when at least MIN_DOCUMENTS documents cite it and at least
AGREEMENT of its citations give one date (a date is a fact: the table holds no text of the
corpus). Output: one `number<TAB>YYYY-MM-DD<TAB>citing documents` line per number.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ocr.data.make_lm import CORPUS, documents_from_arguments  # noqa: E402

OUT = Path(__file__).with_name("cited_dates.tsv")
MIN_DOCUMENTS = 2
AGREEMENT = 0.9
# `63/2010/NĐ-CP`, `77/2015/QH13`, `1085/QĐ-TTg` followed by its date, slashed or in words
CITATION = re.compile(
    r"(\d{1,4}/(?:\d{4}/)?[A-ZĐ][A-ZĐa-z0-9\-]*[A-ZĐ0-9])\s*,?\s*"
    r"ngày\s+(\d{1,2})\s*(?:/|-|tháng)\s*(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})"
)


def citations(documents: list[str]) -> dict[str, tuple[dt.date, int]]:
    """Each number cited with one date often enough: its date and how many documents cite it."""
    dates: dict[str, Counter] = defaultdict(Counter)
    citing: Counter = Counter()
    for text in documents:
        seen = set()
        for match in CITATION.finditer(text):
            number, day, month, year = match.groups()
            try:
                dates[number][dt.date(int(year), int(month), int(day))] += 1
            except ValueError:  # a typo of the crawl
                continue
            if number not in seen:
                citing[number] += 1
                seen.add(number)
    table = {}
    for number, counts in dates.items():
        (date, count), = counts.most_common(1)
        if citing[number] >= MIN_DOCUMENTS and count >= AGREEMENT * sum(counts.values()):
            table[number] = (date, citing[number])
    return table


def main() -> None:
    documents = documents_from_arguments(__doc__.split("\n")[0])
    table = citations(documents)
    with OUT.open("w", encoding="utf-8") as out:
        out.write(f"# built by ocr/data/make_citations.py from the citations in {len(documents)} state documents of {CORPUS}\n")
        for number, (date, count) in sorted(table.items()):
            out.write(f"{number}\t{date.isoformat()}\t{count}\n")
    print(f"{OUT}: {len(table)} cited numbers from {len(documents)} corpus documents")


if __name__ == "__main__":
    main()
