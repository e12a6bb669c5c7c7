"""The HTTP API: tokens and roles, agency isolation, holder lookups and their audit, progress."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone
from html import escape as html_escape

import pytest
from html.parser import HTMLParser

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

from web.api import create_app, docs_page, loggable_path
from web.api_auth import TokenRefused, holder_hash, issue_token, load_audit_key, token_digest
from storage.catalog import Catalog, InputFile, utc_now
from storage.matching import match
from storage.progress import progress_report
from storage.records import Record, RecordError, RecordField, RecordFiles

TODAY = date(2025, 10, 1)
from merger_agencies import AGENCIES, COMMUNE, NEW_COMMUNE, OTHER  # noqa: E402
PERSON = "026085001234"  # a made-up personal number
MASKED = "026*******34"


@pytest.fixture
def catalog(catalog):
    catalog.upsert_agencies(AGENCIES)
    register_entries(catalog, COMMUNE, [f"{n}/TLKS-BS" for n in range(1, 6)])
    save(catalog, 1, COMMUNE, number="1/TLKS-BS", holder=PERSON, valid_until="2030-01-01")
    save(catalog, 2, COMMUNE, number="2/TLKS-BS", holder=PERSON, valid_until="2024-12-31")  # expired
    save(catalog, 3, COMMUNE, number="3/TLKS-BS", holder=PERSON)  # no end of validity
    save(catalog, 4, COMMUNE, "needs_review", number="4/TLKS-BS", holder=PERSON)  # not approved
    save(catalog, 5, COMMUNE, "failed")
    save(catalog, 6, OTHER, number="6/QĐ-STP", holder=PERSON, valid_until="vô thời hạn")
    save(catalog, 7, OTHER, number="7/QĐ-STP", holder="026085009999")
    save(catalog, 8, NEW_COMMUNE, number="8/TLKS-BS")
    catalog.declare_total(OTHER, 4, datetime(2025, 9, 1, tzinfo=timezone.utc))
    match(catalog)
    return catalog


def save(catalog: Catalog, n: int, agency: str, status: str = "digitised", number: str | None = None,
         holder: str | None = None, valid_until: str | None = None) -> Record:
    moment = datetime(2025, 9, 20, 9, tzinfo=timezone.utc) + timedelta(days=n)
    fields = {}
    if number:
        fields["document_number"] = RecordField(value=number, confidence=0.9)
        fields["issue_date"] = RecordField(value=f"2024-03-{n:02d}", confidence=0.9)
    if holder:
        fields["holder_name"] = RecordField(value="Nguyễn Văn An", confidence=0.9)
        fields["holder_id"] = RecordField(value=holder, confidence=0.9)
    if valid_until:
        fields["valid_until"] = RecordField(value=valid_until, confidence=0.9)
    record = Record(
        id=f"r{n}", batch_id=f"b-{agency}", batch_name="lô 1", agency=agency, source_name=f"{n}.pdf",
        source_path=f"lô/{n}.pdf", sha256=f"{n:064x}", size_bytes=1, media_type="application/pdf",
        status=status, files=RecordFiles(original=f"o/{n}"), ingested_at=moment - timedelta(hours=1),
        processed_at=moment, fields=fields,
        error=RecordError(code="corrupt_file", message="unreadable") if status == "failed" else None,
    )
    catalog.save(record, f"k{n}")
    return record


def register_entries(catalog: Catalog, agency: str, numbers: list[str]) -> None:
    source = InputFile(sha256="a" * 64, name="sổ.csv", imported_at=datetime(2025, 9, 1, tzinfo=timezone.utc))
    catalog.add_register_entries(source, [
        {"agency": agency, "row_number": i, "document_number": n, "document_number_raw": n,
         "issue_date": date(2024, 3, i - 1), "procedure_code": "1.001193"}
        for i, n in enumerate(numbers, start=2)
    ])


@pytest.fixture
def key(tmp_path):
    return load_audit_key(tmp_path / "home")


@pytest.fixture
def app(catalog, key):
    return create_app(catalog, key, today=lambda: TODAY)


@pytest.fixture
def client(app):
    return TestClient(app)


@pytest.fixture
def tokens(catalog):
    """Authorization headers per role: supervisor, the old commune, the province department."""
    def header(name, role, agency=None):
        _, token = issue_token(catalog, name, role, agency)
        return {"Authorization": f"Bearer {token}"}

    return {
        "supervisor": header("Sở Nội vụ", "supervisor"),
        "commune": header("Xã Hồ Sơn", "agency", COMMUNE),
        "other": header("Sở Tư pháp", "agency", OTHER),
        "new": header("Xã Tam Đảo", "agency", NEW_COMMUNE),
    }


HOLDERS = "/api/v1/holders/records"


def lookup(client, headers, holder_id=PERSON, **body):
    return client.post(HOLDERS, json={"holder_id": holder_id, **body}, headers=headers)


def test_no_route_answers_without_a_valid_token(app, client, tokens):
    paths = set()
    for route in app.routes:
        assert isinstance(route, (APIRoute, Route))
        paths.add(route.path)
        url = route.path.replace("{record_id}", "r1")
        assert "{" not in url, f"{url}: a new path parameter; add it here"
        for method in route.methods - {"HEAD"}:
            body = {"holder_id": PERSON} if method == "POST" else None
            for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic dXNlcjpwdw=="}):
                response = client.request(method, url, headers=headers, json=body)
                assert response.status_code == 401, (method, url, headers)
                assert response.headers["www-authenticate"] == "Bearer"
            assert client.request(method, url, headers=tokens["supervisor"], json=body).status_code == 200, url
    assert {"/docs", "/openapi.json", "/api/v1/health", "/api/v1/progress", "/api/v1/records/{record_id}",
            HOLDERS} <= paths
    # A malformed holder id, a missing body or one that is not even JSON: still 401 without a
    # token, not a validation error (FastAPI parses JSON before any dependency runs).
    assert client.post(HOLDERS, json={"holder_id": "abc"}).status_code == 401
    assert client.post(HOLDERS).status_code == 401
    not_json = client.post(HOLDERS, content=b'{"holder_id": ', headers={"Content-Type": "application/json"})
    assert not_json.status_code == 401 and not_json.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/progress?by=district").status_code == 401


def test_no_route_takes_a_holder_id_in_its_url(app, client, tokens):
    for route in app.routes:
        assert "holder_id" not in route.path
        if isinstance(route, APIRoute):
            assert all(param.name != "holder_id" for param in route.dependant.query_params), route.path
    # The old route is gone; a client still calling it gets no results and is not audited.
    assert client.get(f"/api/v1/holders/{PERSON}/records", headers=tokens["supervisor"]).status_code == 404
    assert client.get(HOLDERS, headers=tokens["supervisor"]).status_code == 405


def test_revoked_token_is_refused_at_once(catalog, client):
    row, token = issue_token(catalog, "hệ thống một cửa", "supervisor", None)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/health", headers=headers).json() == {
        "status": "ok", "token": "hệ thống một cửa", "role": "supervisor", "agency": None}
    catalog.revoke_api_token(row.id, utc_now())
    assert client.get("/api/v1/health", headers=headers).status_code == 401


def test_token_is_kept_only_as_its_digest(catalog, tmp_path):
    row, token = issue_token(catalog, "kiểm thử", "agency", COMMUNE)
    assert row.token_sha256 == token_digest(token) and len(token) >= 40
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("catalog.sqlite3*"))
    assert token.encode() not in stored and row.token_sha256.encode() in stored


@pytest.mark.parametrize("role, agency, reason", [
    ("agency", None, "needs --agency"),
    ("agency", "NO.SUCH.CODE", "no agency NO.SUCH.CODE"),
    ("supervisor", OTHER, "leave out --agency"),
])
def test_tokens_that_would_be_wrong_are_refused(catalog, role, agency, reason):
    with pytest.raises(TokenRefused, match=reason):
        issue_token(catalog, "x", role, agency)


def test_an_agency_reads_its_own_records_and_not_another_agencys(catalog, client, tokens):
    own = client.get("/api/v1/records/r1", headers=tokens["commune"])
    assert own.status_code == 200
    assert own.json() == catalog.get("r1").export_dict()
    foreign = client.get("/api/v1/records/r6", headers=tokens["commune"])
    unknown = client.get("/api/v1/records/no-such-id", headers=tokens["commune"])
    # Same answer for another agency's record as for a missing one: ids cannot be probed.
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert client.get("/api/v1/records/r6", headers=tokens["supervisor"]).json() == catalog.get("r6").export_dict()


def test_holder_lookup_returns_only_valid_approved_results(client, tokens):
    everyone = lookup(client, tokens["supervisor"]).json()
    # r2 expired, r4 not approved, r7 another holder; "vô thời hạn" never expires.
    assert [r["id"] for r in everyone["records"]] == ["r1", "r3", "r6"]
    assert everyone["count"] == 3 and everyone["holder"] == MASKED and everyone["today"] == TODAY.isoformat()
    assert everyone["include_expired"] is False
    expired_too = lookup(client, tokens["supervisor"], include_expired=True).json()
    assert [r["id"] for r in expired_too["records"]] == ["r1", "r2", "r3", "r6"]
    assert expired_too["include_expired"] is True and expired_too["holder"] == MASKED
    # Separators are allowed; the lookup is by digits.
    spaced = lookup(client, tokens["supervisor"], "026 085 001234").json()
    assert spaced["count"] == 3 and spaced["holder"] == MASKED
    assert lookup(client, tokens["supervisor"], "026.085.001-234").json()["count"] == 3


def test_holder_lookup_of_an_agency_sees_only_its_own_results(client, tokens):
    commune = lookup(client, tokens["commune"]).json()
    assert [r["id"] for r in commune["records"]] == ["r1", "r3"]
    other = lookup(client, tokens["other"], include_expired=True).json()
    assert [r["id"] for r in other["records"]] == ["r6"]
    assert lookup(client, tokens["new"], include_expired=True).json()["count"] == 0


def test_holder_lookup_is_audited_and_never_logs_the_full_number(catalog, client, tokens, key, caplog):
    caplog.set_level(logging.DEBUG)
    response = lookup(client, tokens["commune"])
    assert response.status_code == 200
    [entry] = catalog.audit_entries()
    assert (entry.token_name, entry.role, entry.agency, entry.action) == ("Xã Hồ Sơn", "agency", COMMUNE, "holder_records")
    assert entry.token_id == next(t.id for t in catalog.api_tokens() if t.name == "Xã Hồ Sơn")
    assert (entry.holder_masked, entry.results, entry.client) == (MASKED, 2, "testclient")
    # An auditor with the key finds it by the number, without the number being stored.
    assert [e.id for e in catalog.audit_entries(holder_hash(key, PERSON))] == [entry.id]
    assert catalog.audit_entries(holder_hash(key, "026085009999")) == []
    stored = " ".join(str(getattr(entry, c.name)) for c in entry.__table__.columns)
    assert PERSON not in stored
    # The server's logs; httpx is the test's client, and a client logs the URL it asked for.
    server_log = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))
    assert "POST /api/v1/holders/records 200" in server_log
    assert PERSON not in server_log and MASKED not in server_log  # the line has no holder at all now


def test_a_record_that_names_a_holder_is_audited_even_when_refused(catalog, client, tokens, key):
    client.get("/api/v1/records/r1", headers=tokens["supervisor"])
    client.get("/api/v1/records/r1", headers=tokens["other"])  # 404 for the other agency
    client.get("/api/v1/records/r5", headers=tokens["commune"])  # no holder: not audited
    entries = catalog.audit_entries()
    assert [(e.token_name, e.action, e.record_id, e.results) for e in entries] == [
        ("Sở Tư pháp", "record", "r1", 0), ("Sở Nội vụ", "record", "r1", 1)]
    assert {e.holder_hash for e in entries} == {holder_hash(key, PERSON)}


@pytest.mark.parametrize("body", [
    {"holder_id": "12ab"},
    {"holder_id": "12345678"},  # 8 digits
    {"holder_id": f"{PERSON}5678"},  # 16 digits: not echoed back either
    {"holder_id": 26085001234},  # a JSON number would have lost the leading zero
    {"holder_id": PERSON, "include_expire": True},  # misspelt: refused, not silently ignored
    {"include_expired": True},
    [PERSON],
])
def test_a_malformed_lookup_is_422_and_not_audited(catalog, client, tokens, body):
    response = client.post(HOLDERS, json=body, headers=tokens["supervisor"])
    assert response.status_code == 422
    assert catalog.audit_entries() == []
    assert PERSON not in response.text and "26085001234" not in response.text


def test_a_body_that_is_not_json_is_422_with_a_token(catalog, client, tokens):
    for content, media in ((b'{"holder_id": ', "application/json"),
                           (f'{{"holder_id": "{PERSON}"}}'.encode(), "application/x-www-form-urlencoded")):
        response = client.post(HOLDERS, content=content, headers={**tokens["supervisor"], "Content-Type": media})
        assert response.status_code == 422, media
    assert catalog.audit_entries() == []


@pytest.mark.parametrize("structure", ["historical", "successor"])
@pytest.mark.parametrize("by", ["agency", "level", "procedure", "year"])
def test_progress_is_the_same_report_the_library_computes(catalog, client, tokens, by, structure):
    response = client.get(f"/api/v1/progress?by={by}&structure={structure}", headers=tokens["supervisor"])
    assert response.status_code == 200
    served = response.json()
    expected = progress_report(catalog, by, structure, TODAY).model_dump(mode="json")
    served.pop("generated_at"), expected.pop("generated_at")
    assert served == expected
    assert served["rows"], "the comparison should not be between empty reports"


def test_progress_of_an_agency_covers_its_own_results_only(catalog, client, tokens):
    everyone = progress_report(catalog, "agency", "historical", TODAY).model_dump(mode="json")
    mine = client.get("/api/v1/progress", headers=tokens["commune"]).json()
    assert [row["group"] for row in mine["rows"]] == [COMMUNE]
    assert mine["rows"][0] == next(row for row in everyone["rows"] if row["group"] == COMMUNE)
    assert mine["total"] | {"group": COMMUNE, "name": mine["rows"][0]["name"], "level": "commune",
                            "interim_target": 15.0} == mine["rows"][0]
    by_year = client.get("/api/v1/progress?by=year", headers=tokens["other"]).json()
    assert sum(row["required"] for row in by_year["rows"]) == 4  # the province department's declared total
    # After the merger the new commune answers for the old commune's results as well as its own.
    successor = client.get("/api/v1/progress?structure=successor", headers=tokens["new"]).json()
    assert [row["group"] for row in successor["rows"]] == [NEW_COMMUNE]
    assert successor["total"]["required"] == 5
    assert client.get("/api/v1/progress?by=district", headers=tokens["new"]).status_code == 422


def test_openapi_is_served_with_a_token(client, tokens):
    spec = client.get("/openapi.json", headers=tokens["commune"]).json()
    assert {"/api/v1/progress", "/api/v1/records/{record_id}", HOLDERS, "/api/v1/health",
            "/api/v1/drops"} == set(spec["paths"])
    assert set(spec["paths"][HOLDERS]) == {"post"}
    holders = spec["paths"][HOLDERS]["post"]
    assert "parameters" not in holders  # nothing in the path or the query
    assert holders["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/HolderLookup"}
    lookup_schema = spec["components"]["schemas"]["HolderLookup"]
    assert lookup_schema["required"] == ["holder_id"] and set(lookup_schema["properties"]) == {"holder_id", "include_expired"}
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert "Tiến độ số hóa" in spec["paths"]["/api/v1/progress"]["get"]["summary"]


class _Page(HTMLParser):
    """What a browser would fetch for a page: every src/href/action and every tag name."""

    def __init__(self):
        super().__init__()
        self.tags, self.references = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.references += [value or "" for name, value in attrs if name in ("src", "href", "action", "srcset", "data")]


def test_docs_page_is_self_contained_and_lists_every_route(app, client, tokens):
    response = client.get("/docs", headers=tokens["commune"])
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    parsed = _Page()
    parsed.feed(page)
    # Works offline: nothing to fetch from elsewhere, no script at all, inline style only.
    assert all(ref.startswith("#") for ref in parsed.references), parsed.references
    assert not parsed.tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert "http://" not in page and "https://" not in page and "@import" not in page and "url(" not in page
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert page.startswith("<!doctype html>") and '<html lang="vi">' in page and "<style>" in page
    spec = app.openapi()
    assert "sohoa HTTP API" in page and "Số hóa kết quả giải quyết thủ tục hành chính" in page
    for route in app.routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            for method in route.methods:
                operation = spec["paths"][route.path][method.lower()]
                assert f"{method} {route.path}" in page, route.path
                assert html_escape(operation["summary"]) in page
    # Parameters with where they go, whether required and their type; the body by its schema.
    assert "<td><code>by</code></td><td>query</td><td>no</td>" in page
    assert "<td><code>record_id</code></td><td>path</td><td>yes</td><td>string</td>" in page
    assert "<code>HolderLookup</code> (required)" in page
    assert "<td><code>holder_id</code></td><td>yes</td><td>string</td>" in page
    assert "<td><code>include_expired</code></td><td>no</td><td>boolean</td><td><code>false</code></td>" in page
    assert "<td><code>404</code></td><td>No such record, or another agency&#x27;s</td><td>Problem (application/json)</td>" in page
    assert "HolderRecords (application/json)" in page and "ProgressReport (application/json)" in page


def test_docs_page_escapes_what_the_description_says():
    spec = {"info": {"title": "<script>alert(1)</script>", "description": "a `<b>` & *b*"},
            "paths": {"/x/{id}": {"get": {"summary": '"><img src=x>', "responses": {"200": {"description": "ok"}}}}}}
    page = docs_page(spec)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "<code>&lt;b&gt;</code> &amp; <em>b</em>" in page


def test_log_paths_mask_long_digit_runs():
    # No route takes a holder in its path any more; the masking stays as a defence.
    assert loggable_path(f"/api/v1/holders/{PERSON}/records") == f"/api/v1/holders/{MASKED}/records"
    assert PERSON not in loggable_path("/api/v1/holders/026 085 001234/records").replace(" ", "")
    assert loggable_path(f"/api/v1/records/x{PERSON}") == f"/api/v1/records/x{MASKED}"
    assert loggable_path("/api/v1/records/r1") == "/api/v1/records/r1"
    assert loggable_path(HOLDERS) == HOLDERS


def test_the_old_url_of_a_client_not_yet_moved_is_logged_masked(client, tokens, caplog):
    caplog.set_level(logging.INFO, logger="sohoa.api")
    client.get(f"/api/v1/holders/{PERSON}/records", headers=tokens["supervisor"])
    client.get("/api/v1/holders/026 085 001234/records", headers=tokens["supervisor"])
    lines = [r.getMessage() for r in caplog.records if r.name == "sohoa.api"]
    assert len(lines) == 2 and all(f"/api/v1/holders/{MASKED}/records 404" in line for line in lines)
    assert not any(PERSON in line.replace(" ", "") for line in lines)


def test_waiting_drops_are_listed_each_agency_its_own(catalog, key, tokens, tmp_path):
    from flows.drops import DropSettings, list_drops

    for agency, batch, marker in ((COMMUNE, "Hộp 1", "_READY"), (OTHER, "Hộp 2", None)):
        folder = tmp_path / "drops" / agency / batch
        folder.mkdir(parents=True)
        (folder / "a.pdf").write_bytes(b"%PDF-1.4")
        if marker:
            (folder / marker).write_bytes(b"")
    settings = DropSettings(dir=tmp_path / "drops", quiet_seconds=0)
    client = TestClient(create_app(catalog, key, today=lambda: TODAY,
                                   drop_listing=lambda: list_drops(catalog, None, settings)))
    listed = client.get("/api/v1/drops", headers=tokens["supervisor"]).json()
    assert sorted((d["agency"], d["batch"], d["state"], d["code"], d["files"]) for d in listed["drops"]) == sorted([
        (COMMUNE, "Hộp 1", "ready", None, 1), (OTHER, "Hộp 2", "waiting", "no_marker", 1)])
    assert listed["problems"] == []
    mine = client.get("/api/v1/drops", headers=tokens["commune"]).json()
    assert [(d["agency"], d["batch"]) for d in mine["drops"]] == [(COMMUNE, "Hộp 1")]
