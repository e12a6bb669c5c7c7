"""Finding digitised records in the registers: which issued results are digitised, which missing.

Three stages, each over what the earlier ones left:
1. `exact`: same agency and the same number and notation (whitespace removed, NFC), in the same
   year when both dates are known (numbering starts again each year); flagged when the days differ;
2. `holder_date`: same agency, holder id and issue date (the number was misread, or the
   register has none); flagged when both sides carry different numbers;
3. `fuzzy`: same agency, issue dates at most `FUZZY_DAYS` apart, numbers alike; always flagged
   for a person to confirm.
One record per register entry and one entry per record; duplicates never match. Matches are
derived: `match` throws the old ones away and computes them again.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from difflib import SequenceMatcher

import numpy
from pydantic import BaseModel
from rapidfuzz import fuzz, process

from storage.catalog import Catalog, EntryKeys


def similarity(a: str, b: str) -> float:
    """0..1, how alike two numbers are (difflib's ratio: matched characters over both lengths)."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


FUZZY_DAYS = 3
FUZZY_MIN_SCORE = 0.8


def normalise_number(raw: str | None) -> str | None:
    """The number and notation as CONTRACT.md writes it: NFC, no whitespace (`686 /STTT` → `686/STTT`)."""
    if raw is None:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", raw)) or None


@dataclass(frozen=True)
class _Record:
    id: str
    agency: str
    order: tuple[bool, int]  # digitised before needs_review, then the first ingested
    number: str | None
    issue_date: date | None
    holder_id: str | None


class MatchSummary(BaseModel):
    exact: int = 0
    holder_date: int = 0
    fuzzy: int = 0
    flagged: int = 0
    unmatched_entries: int = 0
    unmatched_records: int = 0

    @property
    def matched(self) -> int:
        return self.exact + self.holder_date + self.fuzzy


def match(catalog: Catalog, fuzzy_days: int = FUZZY_DAYS, min_score: float = FUZZY_MIN_SCORE) -> MatchSummary:
    """Match every register entry to at most one record again, and store the matches."""
    entries = catalog.match_entries()
    records = _records(catalog)
    made: dict[int, dict] = {}
    taken: set[str] = set()

    def assign(method: str, pairs: Iterable[tuple[tuple, EntryKeys, _Record, float, bool]]) -> None:
        for _, entry, record, score, flagged in sorted(pairs, key=lambda pair: pair[0]):
            if entry.id not in made and record.id not in taken:
                made[entry.id] = {"register_entry_id": entry.id, "document_id": record.id,
                                  "method": method, "score": round(score, 4), "flagged": flagged}
                taken.add(record.id)

    by_number = _index(records, lambda r: (r.agency, r.number) if r.number else None)
    assign("exact", (
        ((flagged, entry.id, record.order), entry, record, 1.0, flagged)
        for entry in entries if entry.document_number
        for record in by_number.get((entry.agency, entry.document_number), [])
        if _same_year(entry.issue_date, record.issue_date)
        for flagged in [bool(entry.issue_date and record.issue_date and entry.issue_date != record.issue_date)]
    ))

    free = [r for r in records if r.id not in taken]
    by_holder = _index(free, lambda r: (r.agency, r.holder_id, r.issue_date) if r.holder_id and r.issue_date else None)
    assign("holder_date", (
        ((-score, entry.id, record.order), entry, record, score, score < 1.0)
        for entry in entries if entry.id not in made and entry.holder_id and entry.issue_date
        for record in by_holder.get((entry.agency, entry.holder_id, entry.issue_date), [])
        for score in [_number_score(entry.document_number, record.number)]
    ))

    free = [r for r in records if r.id not in taken and r.number and r.issue_date]
    left = [e for e in entries if e.id not in made and e.document_number and e.issue_date]
    assign("fuzzy", (
        ((-score, abs((record.issue_date - entry.issue_date).days), entry.id, record.order), entry, record, score, True)
        for entry, record, score in _alike(left, free, fuzzy_days, min_score)
    ))

    catalog.replace_matches(made.values())
    methods = Counter(m["method"] for m in made.values())
    return MatchSummary(
        exact=methods["exact"],
        holder_date=methods["holder_date"],
        fuzzy=methods["fuzzy"],
        flagged=sum(m["flagged"] for m in made.values()),
        unmatched_entries=len(entries) - len(made),
        unmatched_records=catalog.count_unmatched_records(),
    )


def _alike(entries: list[EntryKeys], records: list[_Record], days: int,
           min_score: float) -> Iterator[tuple[EntryKeys, _Record, float]]:
    """(entry, record, score) of the same agency, issued at most `days` apart, numbers alike.

    The entries of one agency and day are scored against the records of the days around it in one
    `rapidfuzz.process.cdist` call. Its ratio counts the longest common subsequence, which is never
    less than the blocks difflib matches, so it only drops pairs difflib would too; difflib's ratio
    then scores the few that are left, exactly as before.
    """
    # The margin keeps a pair at the threshold whatever cdist's float32 rounding does.
    cutoff = max(0.0, 100 * min_score - 0.01)
    by_day = _index(records, lambda r: (r.agency, r.issue_date))
    by_entry_day: dict[tuple, list[EntryKeys]] = defaultdict(list)
    for entry in entries:
        by_entry_day[(entry.agency, entry.issue_date)].append(entry)
    for (agency, day), block in by_entry_day.items():
        near = [record for offset in range(-days, days + 1)
                for record in by_day.get((agency, day + timedelta(days=offset)), [])]
        if not near:
            continue
        scores = process.cdist([e.document_number for e in block], [r.number for r in near],
                               scorer=fuzz.ratio, score_cutoff=cutoff)
        for i, j in numpy.argwhere(scores >= cutoff):
            entry, record = block[i], near[j]
            score = similarity(entry.document_number, record.number)
            if score >= min_score:
                yield entry, record, score


def reconcile(catalog: Catalog, today: date | None = None) -> list[dict]:
    """Per agency with a register or a declared total: required = matched + missing.

    A register, when there is one, is the denominator and its matched entries the numerator; an
    agency with only a declared total counts its digitised records (needs_review included), at
    most the total. Entries whose validity ended before `today` are no longer required.
    """
    today = today or date.today()
    registers = catalog.register_counts(today)
    declared = catalog.declared_totals()
    done = {row["agency"]: row["digitised"] + row["needs_review"] for row in catalog.progress("agency")}
    rows = []
    for agency in sorted(set(registers) | set(declared)):
        if agency in registers:
            required, matched, flagged = registers[agency]
            row = {"agency": agency, "basis": "register", "required": required, "matched": matched, "flagged": flagged}
        else:
            total = declared[agency]
            row = {"agency": agency, "basis": "declared", "required": total,
                   "matched": min(done.get(agency, 0), total), "flagged": 0}
        row["missing"] = row["required"] - row["matched"]
        rows.append(row)
    return rows


def mask_holder_id(value: str | None) -> str | None:
    """Enough of a personal number to tell rows apart, never all of it (house rule)."""
    if not value or len(value) <= 6:
        return value and "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]


def _records(catalog: Catalog) -> list[_Record]:
    records = []
    for index, (record_id, agency, status, number, issue_date, holder_id) in enumerate(catalog.match_candidates()):
        records.append(_Record(
            id=record_id,
            agency=agency,
            order=(status != "digitised", index),
            number=normalise_number(number),
            issue_date=_iso_date(issue_date),
            holder_id=normalise_number(holder_id),
        ))
    return records


def _index(records: list[_Record], key: Callable[[_Record], object]) -> dict[object, list[_Record]]:
    index: dict[object, list[_Record]] = defaultdict(list)
    for record in records:
        if (k := key(record)) is not None:
            index[k].append(record)
    return index


def _same_year(entry_date: date | None, record_date: date | None) -> bool:
    # Numbers start again at 1 each year: 583/QĐ-UBND of 2023 is not that of 2024.
    return entry_date is None or record_date is None or entry_date.year == record_date.year


def _number_score(entry_number: str | None, record_number: str | None) -> float:
    if entry_number and record_number:
        return similarity(entry_number, record_number)
    return 1.0  # nothing to contradict the holder and the date


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
