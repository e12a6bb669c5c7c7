"""What the review queue sorts and filters records by: the lowest field confidence, and the kind
of each review reason (with the field it is about) read from the reason's text.

Extraction writes reasons as English sentences (`missing: issue_date`, `low confidence: signer
(0.50)`, `page 2: timeout (180 s)` ...; extract/record.py, extract/evidence.py, flows/steps.py).
The catalog indexes their kinds so that the review desk can filter and count records by reason;
the desk shows each kind and field in Vietnamese. A reason no pattern knows is `other`, so a new
sentence never breaks the queue: it only waits for its pattern here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# (kind, pattern matched at the start of the reason); the first that matches wins.
_PATTERNS = (
    ("missing", re.compile(r"missing: (?P<field>\w+)")),
    ("invalid", re.compile(r"invalid: (?P<field>\w+)")),
    ("handwritten", re.compile(r"handwritten: (?P<field>\w+)")),
    ("misread_word", re.compile(r"misread word: (?P<field>\w+)")),
    ("low_confidence", re.compile(r"low confidence: (?P<field>\w+)")),
    ("signature", re.compile(
        r"(?P<field>\w+) (disagrees with the digital signature|not printed: the digital signature)")),
    ("document_type", re.compile(r"unknown document type|document type ")),
    ("unread_page", re.compile(r"page \d+: ")),
)
REASON_KINDS = (*(kind for kind, _ in _PATTERNS), "other")


def lowest_confidence(confidences: Iterable[float]) -> float:
    """The queue's order: a record with no field read has nothing to trust, so it comes first."""
    return min(confidences, default=0.0)


def reason_kind(reason: str) -> str:
    return _parse(reason)[0]


def reason_field(reason: str) -> str | None:
    """The record field the reason is about (`issue_date`), None when it is about no one field."""
    return _parse(reason)[1]


def reason_kinds(reasons: list[str]) -> list[str]:
    """Each kind once, in the order the reasons first name it."""
    return list(dict.fromkeys(reason_kind(reason) for reason in reasons))


def _parse(reason: str) -> tuple[str, str | None]:
    for kind, pattern in _PATTERNS:
        if found := pattern.match(reason):
            return kind, found.groupdict().get("field")
    return "other", None
