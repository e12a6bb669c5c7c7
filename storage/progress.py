"""Progress toward "100% of still-valid results digitised" (DOMAIN.md section 6).

The denominator is what the agencies say they issued: register entries, or a declared total
for an agency without a register. A register entry counts as digitised when a record matched
to it is approved (`digitised`), as in review when its record is `needs_review`, and as missing
otherwise, so that for every group `required = digitised + needs_review + missing`.

Only results still valid count: a register entry whose `valid_until` has passed is left out of
`required` (and counted in `expired`). Results are grouped by agency, level, procedure code,
procedure field (lĩnh vực, when the register names it) or issue year, as the agencies stood when
the results were issued (`historical`) or as their successors stand today (`successor`: the
July 2025 merger moved the district-level results to communes and the province). Pace is
results digitised per day over the last 30 days; the projection divides what is left by it.

The catalog does the counting (`Catalog.progress_facts`: GROUP BY in the database, SQLite or
PostgreSQL); this module places the counts in their groups and derives the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Literal

from pydantic import BaseModel
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.agencies import AgencyTree
from storage.catalog import Catalog, ProgressCount

GroupBy = Literal["agency", "level", "procedure", "field", "year"]
Structure = Literal["historical", "successor"]
Status = Literal["met", "on_track", "behind", "missed", "no_denominator"]

UNKNOWN = "unknown"
PACE_DAYS = 30


class ProgressSettings(BaseSettings):
    """Targets of the provincial plan (environment variables prefixed `SOHOA_`)."""

    model_config = SettingsConfigDict(env_prefix="SOHOA_", extra="ignore")

    target_date: date = date(2025, 12, 31)
    # Interim minimum share digitised per issuing level, in percent (JSON object in the environment).
    interim_targets: dict[str, float] = {"province": 30.0, "district": 20.0, "commune": 15.0}


class ProgressRow(BaseModel):
    group: str  # agency code, level, procedure code, field or year, per `by`
    name: str | None = None  # the agency's name when grouped by agency
    level: str | None = None
    basis: Literal["register", "declared", "mixed", "none"]
    required: int
    digitised: int  # approved results among the required
    needs_review: int
    missing: int  # required results with no record read yet
    failed: int  # records of the group that could not be read (not matched to anything)
    unmatched_records: int  # records read that no register entry names
    expired: int  # register entries whose validity has ended: not required any more
    percent_done: float | None  # digitised ÷ required, percent, two decimals; None: no denominator
    pace_per_day: float  # results digitised per day over the last 30 days
    projected_completion: date | None  # at that pace; None when nothing is left or nothing moves
    interim_target: float | None  # percent, by level
    status: Status


class MonthPoint(BaseModel):
    """One month of the burn-up chart: results digitised in it and by its end."""

    month: str  # YYYY-MM
    digitised: int
    cumulative: int
    percent_done: float | None


class FlowRow(BaseModel):
    """National index 4.1 approximated per year of issue: issued results that have an electronic file."""

    year: str
    issued: int
    with_file: int
    percent: float | None
    full_points: bool  # 80% or more


class ProgressReport(BaseModel):
    generated_at: datetime
    today: date
    by: GroupBy
    structure: Structure
    target_date: date
    rows: list[ProgressRow]
    total: ProgressRow
    months: list[MonthPoint]
    flow: list[FlowRow]


@dataclass
class _Unit:
    """Required results (or records) alike in everything a report groups them by, counted by the
    catalog: how many, how many approved in the last PACE_DAYS, and the last day one was."""

    agency: str
    procedure: str
    field: str
    year: str
    state: str  # digitised, needs_review, missing; expired; or for records: failed, unmatched
    count: int
    month: str | None = None  # of approval, for the burn-up
    recent: int = 0
    last_digitised: date | None = None


def progress_report(catalog: Catalog, by: GroupBy = "agency", structure: Structure = "historical",
                    today: date | None = None, settings: ProgressSettings | None = None) -> ProgressReport:
    settings = settings or ProgressSettings()
    today = today or date.today()
    tree = AgencyTree.load(catalog)
    facts = catalog.progress_facts(today, PACE_DAYS)
    units, extra, basis = _units(facts, tree, structure, today)

    def key(unit: _Unit) -> str:
        if by == "agency":
            return unit.agency
        if by == "level":
            return tree.level_of(unit.agency) or UNKNOWN
        return {"procedure": unit.procedure, "field": unit.field}.get(by, unit.year)

    groups: dict[str, list[_Unit]] = defaultdict(list)
    for unit in units + extra:
        groups[key(unit)].append(unit)
    rows = []
    for group in sorted(groups):
        agencies = {u.agency for u in groups[group]}
        level = tree.level_of(group) if by == "agency" else group if by == "level" else None
        name = tree.name_of(group) if by == "agency" else None
        kinds = {basis.get(a, "none") for a in agencies}
        rows.append(_row(group, name, level, _basis(kinds), groups[group], today, settings))
    total = _row("total", None, None, _basis(set(basis.values()) or {"none"}), units + extra, today, settings)
    return ProgressReport(
        generated_at=datetime.now(timezone.utc), today=today, by=by, structure=structure,
        target_date=settings.target_date, rows=rows, total=total,
        months=_months(units), flow=_flow(units),
    )


def _units(facts, tree: AgencyTree, structure: Structure, today: date) -> tuple[list[_Unit], list[_Unit], dict]:
    """Required results (register entries and declared totals) and the records outside them."""

    def place(agency: str) -> str:
        return tree.successor_of(agency, today) if structure == "successor" else agency

    def unit(count: ProgressCount) -> _Unit:
        return _Unit(place(count.agency), count.procedure_code or UNKNOWN, count.field or UNKNOWN,
                     str(count.year) if count.year else UNKNOWN, count.state, count.count, count.month,
                     count.recent, count.last_digitised)

    # Register entries: digitised when the matched record is approved and the match is not
    # flagged (a flagged match waits for a person), expired when their validity ended.
    units = [unit(count) for count in facts.entries]
    basis: dict[str, str] = {}
    for count in facts.entries:
        agency = place(count.agency)
        basis[agency] = "register" if basis.get(agency, "register") == "register" else "mixed"
    # Agencies without a register: their declared total, filled by their records in order of digitisation.
    filled: dict[str, int] = defaultdict(int)
    for count in facts.declared_records:
        units.append(unit(count))
        filled[count.agency] += count.count
    for agency_code, total in facts.declared.items():
        agency = place(agency_code)
        basis[agency] = "declared" if basis.get(agency, "declared") == "declared" else "mixed"
        if total > filled[agency_code]:
            units.append(_Unit(agency, UNKNOWN, UNKNOWN, UNKNOWN, "missing", total - filled[agency_code]))
    extra = [unit(count) for count in facts.other_records]
    return units, extra, basis


def _basis(kinds: set[str]) -> str:
    kinds = kinds - {"none"} or {"none"}
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _row(group: str, name: str | None, level: str | None, basis: str, units: list[_Unit], today: date,
         settings: ProgressSettings) -> ProgressRow:
    count = defaultdict(int)
    for unit in units:
        count[unit.state] += unit.count
    required = count["digitised"] + count["needs_review"] + count["missing"]
    recent = sum(u.recent for u in units)
    pace = round(recent / PACE_DAYS, 3)
    left = required - count["digitised"]
    percent = round(100 * count["digitised"] / required, 2) if required else None
    # Days to finish at the recent pace, rounded up: left ÷ (recent ÷ 30), in whole numbers.
    projected = today + timedelta(days=-(-left * PACE_DAYS // recent)) if left and recent else None
    return ProgressRow(
        group=group, name=name, level=level, basis=basis, required=required, digitised=count["digitised"],
        needs_review=count["needs_review"], missing=count["missing"], failed=count["failed"],
        unmatched_records=count["unmatched"], expired=count["expired"], percent_done=percent, pace_per_day=pace,
        projected_completion=projected, interim_target=settings.interim_targets.get(level or ""),
        status=_status(required, left, units, projected, today, settings.target_date),
    )


def _status(required: int, left: int, units: list[_Unit], projected: date | None, today: date,
            target: date) -> Status:
    if not required:
        return "no_denominator"
    if not left:
        finished = max((u.last_digitised for u in units if u.last_digitised), default=today)
        return "met" if finished <= target else "missed"
    if today > target:
        return "missed"
    return "on_track" if projected and projected <= target else "behind"


def _months(units: list[_Unit]) -> list[MonthPoint]:
    required = sum(u.count for u in units if u.state in ("digitised", "needs_review", "missing"))
    per_month: dict[str, int] = defaultdict(int)
    for unit in units:
        if unit.month:
            per_month[unit.month] += unit.count
    points, cumulative = [], 0
    for month in sorted(per_month):
        cumulative += per_month[month]
        percent = round(100 * cumulative / required, 2) if required else None
        points.append(MonthPoint(month=month, digitised=per_month[month], cumulative=cumulative, percent_done=percent))
    return points


def _flow(units: list[_Unit]) -> list[FlowRow]:
    issued: dict[str, int] = defaultdict(int)
    with_file: dict[str, int] = defaultdict(int)
    for unit in units:
        if unit.state in ("digitised", "needs_review", "missing") and unit.year != UNKNOWN:
            issued[unit.year] += unit.count
            with_file[unit.year] += unit.count if unit.state == "digitised" else 0
    rows = []
    for year in sorted(issued):
        percent = round(100 * with_file[year] / issued[year], 2) if issued[year] else None
        rows.append(FlowRow(year=year, issued=issued[year], with_file=with_file[year], percent=percent,
                            full_points=percent is not None and percent >= 80))
    return rows
