"""The bulk fuzzy stage (rapidfuzz first, difflib deciding) takes exactly the pairs a plain loop
over every pair with difflib would."""

from __future__ import annotations

import random
from datetime import date, timedelta

from storage.catalog import EntryKeys
from storage.matching import FUZZY_DAYS, FUZZY_MIN_SCORE, _alike, _Record, similarity

DAY = date(2024, 3, 2)


def record(n: int, number: str, day: date, agency: str = "A") -> _Record:
    return _Record(id=f"r{n}", agency=agency, order=(False, n), number=number, issue_date=day, holder_id=None)


def entry(n: int, number: str, day: date, agency: str = "A") -> EntryKeys:
    return EntryKeys(id=n, agency=agency, document_number=number, issue_date=day, holder_id=None)


def every_pair(entries, records, days=FUZZY_DAYS, min_score=FUZZY_MIN_SCORE) -> set:
    return {(e.id, r.id, score) for e in entries for r in records
            if e.agency == r.agency and abs((e.issue_date - r.issue_date).days) <= days
            for score in [similarity(e.document_number, r.number)] if score >= min_score}


def taken(entries, records, days=FUZZY_DAYS, min_score=FUZZY_MIN_SCORE) -> set:
    return {(e.id, r.id, score) for e, r, score in _alike(entries, records, days, min_score)}


def test_where_rapidfuzz_and_difflib_disagree_difflib_decides():
    # rapidfuzz's ratio counts the longest common subsequence: 0.83 here; difflib's blocks: 0.75.
    entries = [entry(1, "1212/KH-UBND", DAY), entry(2, "583/QĐ-UBND", DAY)]
    records = [record(1, "2261/KH-UBND", DAY), record(2, "583/QD-UBND", DAY + timedelta(days=3)),
               record(3, "583/QĐ-UBND", DAY + timedelta(days=4)), record(4, "583/QĐ-UBND", DAY, agency="B")]
    assert taken(entries, records) == every_pair(entries, records) == {(2, "r2", similarity("583/QĐ-UBND", "583/QD-UBND"))}


def test_same_pairs_as_every_pair_compared_on_random_numbers():
    rng = random.Random(7)
    notations = ["QĐ-UBND", "QĐ-STP", "TLKS-BS", "KH-UBND", "SCT/BS"]

    def number() -> str:
        n = f"{rng.randint(1, 300)}/{rng.choice(notations)}"
        for _ in range(rng.randint(0, 2)):  # OCR slips: a digit or letter changed, lost or added
            i = rng.randrange(len(n))
            n = n[:i] + rng.choice(["", "1", "7", "D", "/", n[i]]) + n[i + 1:]
        return n or "0"

    def day() -> date:
        return DAY + timedelta(days=rng.randint(0, 12))

    entries = [entry(i, number(), day(), rng.choice("AB")) for i in range(300)]
    records = [record(i, number(), day(), rng.choice("AB")) for i in range(300)]
    expected = every_pair(entries, records)
    assert len(expected) > 50  # enough pairs near the threshold to mean something
    assert taken(entries, records) == expected
    assert taken(entries, records, days=0, min_score=0.6) == every_pair(entries, records, days=0, min_score=0.6)
