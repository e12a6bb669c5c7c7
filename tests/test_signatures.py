"""Digital signatures read from real signed PDFs, printed stamps, and their use as evidence."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pymupdf
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigFieldSpec
from test_extract_fixtures import decree30_page

from extract import extract_document
from extract.settings import ExtractSettings
from extract.evidence import check_issuer, same_body
from flows.national import national_row
from flows.reports import records_csv, records_jsonl
from flows.steps import assemble_record
from ocr.signatures import (
    VIETNAM,
    certificate_names,
    mark_stamp_lines,
    parse_stamps,
    read_page_stamps,
    read_signatures,
)
from ocr.types import DocumentResult, Line, PageResult, Signature, Word
from storage.records import Record, RecordFiles

FILES = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs" / "files"
TODAY = dt.date(2025, 11, 1)


def vn(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=VIETNAM)


def read(name: str) -> list[Signature]:
    return read_signatures((FILES / name).read_bytes())


def test_bac_giang_leader_then_body_signatures():
    sigs = read("217-QDCB.TTHC.So-Y-te-KCB-phult14.02.2025_18h11p19_signed_signed_signed_signed.pdf")
    assert [(s.organisation, s.signer) for s in sigs] == [
        ("Tỉnh Bắc Giang", "Mai Sơn")] + [("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", "")] * 3
    assert all(s.kind == "digital" and s.intact and not s.validated for s in sigs)
    assert [s.covers_whole_file for s in sigs] == [False, False, False, True]  # later signatures follow
    # The leader's has no time-stamp token: /M. The body's: the TSA's time, not the signer's clock.
    assert (sigs[0].signed_at, sigs[0].signed_at_source) == (vn(2025, 2, 16, 21, 50, 51), "pdf")
    assert (sigs[1].signed_at, sigs[1].signed_at_source) == (vn(2025, 2, 17, 8, 35, 31), "timestamp")
    # The clerk's signatures draw the number and the day, which the text layer lacks.
    assert [(s.page, s.stamp_text) for s in sigs[1:3]] == [(1, "217"), (1, "t / 17")]


def test_dak_lak_signature_with_digest_info_lacking_null_parameters_is_intact():
    sigs = read("311_QD-UBND_18022025-signed_01.pdf")
    assert (sigs[0].organisation, sigs[0].signer, sigs[0].intact) == ("Tỉnh Đắk Lắk", "Nguyễn Tuấn Hà", True)
    assert sigs[0].signed_at == vn(2025, 2, 18, 13, 14, 31)
    assert [s.stamp_text for s in sigs[1:3]] == ["311", "18"]
    assert {s.organisation for s in sigs[1:]} == {"Ủy ban nhân dân tỉnh Đắk Lắk"}


def test_hue_body_certificate_and_scanned_stamps():
    hue = read("00.00.H57-441-QD-UBND-2025-PL1_signed.pdf")
    assert [(s.organisation, s.signer, s.signed_at, s.intact) for s in hue] == [
        ("ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ", "", vn(2025, 2, 20, 17, 36, 41), True),
        ("ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ", "", vn(2025, 2, 20, 17, 36, 48), True),
    ]
    (bac_lieu,) = read("210-QDCT.signed.pdf")
    assert (bac_lieu.organisation, bac_lieu.signed_at, bac_lieu.page) == (
        "Uỷ ban nhân dân tỉnh Bạc Liêu", vn(2025, 2, 19, 7, 55, 29), 1)
    assert bac_lieu.stamp_text.startswith("Cơ quan: Uỷ ban nhân / dân tỉnh Bạc Liêu")
    # 21 stray bytes before %PDF; /M carries a wrong offset, the time-stamp token the true time.
    (dien_bien,) = read("33920.02.2025_07h26p22_signed.pdf")
    assert (dien_bien.organisation, dien_bien.signed_at, dien_bien.intact) == (
        "Văn phòng Ủy ban nhân dân tỉnh, Tỉnh Điện Biên", vn(2025, 2, 20, 7, 26, 21), True)
    assert dien_bien.stamp_text == "Ký bởi: UBND tỉnh Điện Biên" and "21 bytes" in dien_bien.note


def test_a_flipped_byte_inside_a_signed_range_breaks_integrity(tmp_path):
    data = bytearray((FILES / "210-QDCT.signed.pdf").read_bytes())
    # Inside the first signed range, in a stream's data rather than the structure pyHanko parses.
    offset = data.index(b"stream", 2000) + 20
    assert offset < data.index(b"/Contents <")
    data[offset] ^= 0x01
    (tmp_path / "tampered.pdf").write_bytes(data)
    (sig,) = read_signatures(tmp_path / "tampered.pdf")  # from disk, as process_document reads originals
    assert sig.intact is False and "changed after signing" in sig.note
    assert sig.organisation == "Uỷ ban nhân dân tỉnh Bạc Liêu"  # still read


def test_a_file_on_disk_reads_as_its_bytes_do(tmp_path):
    name = "311_QD-UBND_18022025-signed_01.pdf"
    assert read_signatures(FILES / name) == read(name)
    shifted = tmp_path / "shifted.pdf"
    shifted.write_bytes(b"junk\n" + (FILES / name).read_bytes())
    sig = read_signatures(shifted)[0]
    assert (sig.signer, sig.intact) == ("Nguyễn Tuấn Hà", True)
    assert "5 bytes before the PDF header were ignored" in sig.note


def test_unsigned_pdf_has_no_signatures():
    assert read("18.Quytnh.pdf") == []


def test_a_corrupt_signature_dictionary_does_not_raise():
    data = (FILES / "210-QDCT.signed.pdf").read_bytes()
    start = data.index(b"/Contents <") + len(b"/Contents <")
    broken = data[:start] + b"0" * 64 + data[start + 64:]  # the CMS blob no longer parses
    (sig,) = read_signatures(broken)
    assert sig.kind == "digital" and sig.intact is False and "not readable" in sig.note


def test_certificate_names_tell_a_body_from_a_person():
    assert certificate_names({"common_name": "VĂN PHÒNG", "organization_name": "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"}) \
        == ("VĂN PHÒNG, ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "")
    assert certificate_names({"common_name": "Văn Thị Huyền", "organizational_unit_name": "Văn phòng Ủy ban nhân dân",
                              "organization_name": "Tỉnh Thanh Hóa"}) \
        == ("Văn phòng Ủy ban nhân dân, Tỉnh Thanh Hóa", "Văn Thị Huyền")


def test_printed_stamps_are_parsed():
    lines = ["QUYẾT ĐỊNH", "Ký bởi: Nguyễn Văn An", "Cơ quan: Ủy ban nhân dân", "tỉnh Bắc Giang",
             "Thời gian ký: 17.02.2025 10:21:05 +07:00", "Điều 1. Ban hành kèm theo Quyết định này danh mục thủ tục",
             "SAO Y; VĂN PHÒNG, ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG; 20/02/2025; 10:47:25 +07:00"]
    signed, copy = parse_stamps(lines, page=1)
    assert (signed.kind, signed.signer, signed.organisation, signed.signed_at, signed.intact) == (
        "stamp", "Nguyễn Văn An", "Ủy ban nhân dân tỉnh Bắc Giang", vn(2025, 2, 17, 10, 21, 5), None)
    assert (copy.organisation, copy.signed_at) == ("VĂN PHÒNG, ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", vn(2025, 2, 20, 10, 47, 25))
    assert parse_stamps(["Điều 3. Thủ trưởng các cơ quan: Văn phòng UBND tỉnh, Sở Y tế"], page=2) == []
    assert parse_stamps(["Cơ quan: Sở Tư pháp", "Email: stp@vinhphuc.gov.vn"], page=1) == []


# --- evidence ------------------------------------------------------------------------------

def decision(date_line: str = "Bắc Giang, ngày 17 tháng 02 năm 2025", province: str = "TỈNH BẮC GIANG"):
    return decree30_page(
        left_header=["ỦY BAN NHÂN DÂN", province, "Số: 217/QĐ-UBND"],
        right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", date_line],
        centre=["QUYẾT ĐỊNH", "Về việc công bố danh mục thủ tục hành chính"],
        body=["Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính."],
        recipients=["Nơi nhận:", "- Lưu: VT."],
        signature=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Mai Sơn"],
    )


def signed(day: dt.datetime, organisation: str = "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", **extra) -> Signature:
    return Signature(kind="digital", organisation=organisation, signed_at=day, **({"intact": True} | extra))


def test_a_signature_on_the_printed_day_agrees():
    result = extract_document([decision()], today=TODAY, signatures=[signed(vn(2025, 2, 17, 8, 35))])
    assert result.fields["issue_date"].value == "2025-02-17" and result.review_reasons == []


def test_a_printed_date_far_from_the_signature_goes_to_review():
    result = extract_document([decision("Bắc Giang, ngày 17 tháng 12 năm 2024")], today=TODAY,
                              signatures=[signed(vn(2025, 2, 17, 8, 35))])
    assert result.fields["issue_date"].value == "2024-12-17"  # never changed silently
    assert result.review_reasons == ["issue_date disagrees with the digital signature (signed 2025-02-17)"]


def test_a_printed_year_one_digit_from_the_signatures_is_taken_from_them_for_review():
    """`2018` read `2016` on a scan signed on 2018-04-04 for the 3rd: the day and month read, the
    year signed, and a reviewer told so."""
    result = extract_document([decision("Bắc Giang, ngày 16 tháng 02 năm 2015")], today=TODAY,
                              signatures=[signed(vn(2025, 2, 17, 8, 35))])
    assert result.fields["issue_date"].value == "2025-02-16"
    assert result.fields["issue_date"].confidence < ExtractSettings().review_threshold
    assert result.review_reasons == ["issue_date: year read 2015, 2025 taken from the digital signature "
                                     "(signed 2025-02-17), check it"]
    # Signed years later (an old paper signed when it was scanned): the printed date stands.
    result = extract_document([decision("Bắc Giang, ngày 16 tháng 02 năm 2019")], today=TODAY,
                              signatures=[signed(vn(2025, 2, 17, 8, 35))])
    assert result.fields["issue_date"].value == "2019-02-16"


def test_untrustworthy_signatures_are_no_evidence():
    far = vn(2025, 6, 1)
    for sig in (signed(far, intact=False), signed(far, stamp_text="SAO Y; VĂN PHÒNG; 01/06/2025"),
                Signature(kind="stamp", organisation="x", signed_at=far)):
        assert extract_document([decision()], today=TODAY, signatures=[sig]).review_reasons == []


def test_a_signature_of_another_province_goes_to_review():
    result = extract_document([decision()], today=TODAY,
                              signatures=[signed(vn(2025, 2, 17), organisation="Tỉnh Đắk Lắk")])
    assert result.review_reasons == ["issuer disagrees with the digital signature (signed by Tỉnh Đắk Lắk)"]


def test_a_missing_issue_date_is_suggested_from_the_body_signature_never_published():
    sigs = [signed(vn(2025, 2, 16, 21, 50), organisation="Tỉnh Bắc Giang", signer="Mai Sơn"),
            signed(vn(2025, 2, 17, 8, 35))]
    result = extract_document([decision("Bắc Giang, ngày      tháng 02 năm 2025")], today=TODAY, signatures=sigs)
    assert "issue_date" not in result.fields
    assert result.suggestions["issue_date"].value == "2025-02-17" and result.suggestions["issue_date"].confidence == 0.6
    assert "missing: issue_date" not in result.review_reasons
    assert "issue_date not printed: the digital signature's day (2025-02-17) is suggested" in result.review_reasons
    later = extract_document([decision("Bắc Giang, ngày      tháng 02 năm 2025")], today=TODAY,
                             signatures=[signed(vn(2025, 3, 2, 8, 35))])
    assert later.suggestions["issue_date"].value == "2025-02"  # signed in another month: it proves nothing


def test_issuer_names_compare_by_place():
    assert same_body("Ủy ban nhân dân thành phố Huế", "ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ")
    assert same_body("Ủy ban nhân dân tỉnh Điện Biên", "Văn phòng Ủy ban nhân dân tỉnh, Tỉnh Điện Biên")
    assert same_body("Bộ Tư pháp", "BỘ TƯ PHÁP")
    assert not same_body("Ủy ban nhân dân tỉnh Bạc Liêu", "Tỉnh Bắc Giang")
    # the Government Office signs the Prime Minister's decisions the government portal publishes
    assert same_body("Thủ tướng Chính phủ", "VĂN PHÒNG CHÍNH PHỦ")
    assert same_body("Chính phủ", "Văn phòng Chính phủ")
    assert not same_body("Bộ Tư pháp", "VĂN PHÒNG CHÍNH PHỦ")


def test_a_certificate_naming_the_body_and_its_superior_agrees_with_the_body() -> None:
    both = "ỦY BAN NHÂN DÂN THỊ XÃ BỈM SƠN, ỦY BAN NHÂN DÂN TỈNH THANH HÓA"
    assert check_issuer("Ủy ban nhân dân thị xã Bỉm Sơn", [signed(vn(2024, 9, 9, 8, 0), organisation=both)]) is None
    assert check_issuer("Ủy ban nhân dân thị xã Nghi Sơn", [signed(vn(2024, 9, 9, 8, 0), organisation=both)])


# --- the record ----------------------------------------------------------------------------

def test_signatures_round_trip_through_the_record():
    record = Record(
        id="r", batch_id="b", batch_name="b", agency="x", source_name="a.pdf", source_path="a.pdf",
        sha256="0" * 64, size_bytes=1, media_type="application/pdf", files=RecordFiles(original="o/0"),
        ingested_at=dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc),
    )
    page = decision()
    sig = signed(vn(2025, 2, 17, 8, 35, 31), stamp_text="217", page=1, covers_whole_file=False)
    extraction = extract_document([page], today=TODAY, signatures=[sig])
    document = DocumentResult(media_type="application/pdf", pages=[page], pdf=b"", signatures=[sig])
    exported = json.loads(next(iter(records_jsonl([assemble_record(record, document, extraction, record.files)]))))
    assert exported["signatures"] == [{
        "kind": "digital", "organisation": "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", "signer": "",
        "signed_at": "2025-02-17T08:35:31+07:00", "signed_at_source": None, "intact": True,
        "covers_whole_file": False, "validated": False, "stamp_text": "217", "page": 1, "note": None,
    }]
    assert Record.model_validate(exported).signatures[0].signed_at == sig.signed_at
    image = document.model_copy(update={"signatures": []})
    exported = json.loads(next(iter(records_jsonl([assemble_record(record, image, extraction, record.files)]))))
    assert exported["signatures"] == []


def test_a_suggested_value_reaches_the_record_beside_the_fields_and_none_when_none():
    record = Record(
        id="r", batch_id="b", batch_name="b", agency="x", source_name="a.pdf", source_path="a.pdf",
        sha256="0" * 64, size_bytes=1, media_type="application/pdf", files=RecordFiles(original="o/0"),
        ingested_at=dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc),
    )
    page = decision("Bắc Giang, ngày      tháng 02 năm 2025")
    sig = signed(vn(2025, 2, 17, 8, 35, 31))
    document = DocumentResult(media_type="application/pdf", pages=[page], pdf=b"", signatures=[sig])
    extraction = extract_document([page], today=TODAY, signatures=[sig])
    exported = json.loads(next(iter(records_jsonl([assemble_record(record, document, extraction, record.files)]))))
    assert exported["status"] == "needs_review" and "issue_date" not in exported["fields"]
    assert exported["suggestions"] == {"issue_date": {"value": "2025-02-17", "confidence": 0.6}}
    assert Record.model_validate(exported).suggestions["issue_date"].value == "2025-02-17"
    plain = document.model_copy(update={"pages": [decision()], "signatures": []})
    extraction = extract_document(plain.pages, today=TODAY)
    exported = json.loads(next(iter(records_jsonl([assemble_record(record, plain, extraction, record.files)]))))
    assert exported["suggestions"] == {}


def test_bytes_that_are_not_a_pdf_have_no_signatures():
    assert read_signatures((FILES / "CV_1906_SGDDT_DaNang_p1.jpg").read_bytes()) == []


def test_national_and_csv_exports_summarise_intact_signatures():
    record = Record(
        id="r", batch_id="b", batch_name="b", agency="x", source_name="a.pdf", source_path="a.pdf",
        sha256="0" * 64, size_bytes=1, media_type="application/pdf", files=RecordFiles(original="o/0"),
        ingested_at=dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc), status="digitised",
        signatures=[signed(vn(2025, 2, 17, 8, 35, 31)).model_dump(),
                    signed(vn(2025, 2, 18), organisation="Tỉnh Đắk Lắk", intact=False).model_dump()],
    )
    assert national_row(record)["ChuKySo"] == "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG | 2025-02-17T08:35:31+07:00 | chưa xác thực"
    rows = list(csv.DictReader(io.StringIO("".join(records_csv([record])))))
    assert rows[0]["signatures"] == "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG | 2025-02-17T08:35:31+07:00 | not validated"


def _signed_pdf(leaf_name: x509.Name) -> tuple[bytes, bytes]:
    """A one-page PDF signed by pyHanko with a fresh leaf under a fresh root; (pdf, root PEM)."""
    now = dt.datetime.now(dt.timezone.utc)
    root_key, key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Gốc thử")])

    def certificate(subject, public_key, ca: bool):
        # A signing certificate asserts digitalSignature and nonRepudiation, as real ones do.
        usage = x509.KeyUsage(not ca, not ca, False, False, False, ca, ca, False, False)
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(root_name).public_key(public_key)
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .add_extension(usage, critical=True)
                .sign(root_key, hashes.SHA256()))

    root = certificate(root_name, root_key.public_key(), ca=True)
    leaf = certificate(leaf_name, key.public_key(), ca=False)
    page_doc = pymupdf.open()
    page_doc.new_page().insert_text((72, 72), "QUYET DINH")
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(leaf.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=None,
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(page_doc.tobytes())), signers.PdfSignatureMetadata(field_name="Sig1"),
        signer=signer, new_field_spec=SigFieldSpec("Sig1", on_page=0, box=(300, 700, 500, 760)),
    )
    return out.getvalue(), root.public_bytes(serialization.Encoding.PEM)


def test_validated_only_against_configured_trust_roots(tmp_path, monkeypatch):
    leaf_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tỉnh Bắc Giang"),
                           x509.NameAttribute(NameOID.COMMON_NAME, "Ủy ban nhân dân tỉnh Bắc Giang")])
    pdf, root_pem = _signed_pdf(leaf_name)
    monkeypatch.delenv("SOHOA_TRUST_ROOTS", raising=False)
    (sig,) = read_signatures(pdf)
    assert (sig.organisation, sig.intact, sig.covers_whole_file, sig.validated, sig.page) == (
        "Ủy ban nhân dân tỉnh Bắc Giang", True, True, False, 1)
    other_pdf, other_root = _signed_pdf(leaf_name)
    (tmp_path / "other.pem").write_bytes(other_root)
    monkeypatch.setenv("SOHOA_TRUST_ROOTS", str(tmp_path / "other.pem"))
    (sig,) = read_signatures(pdf)
    assert sig.validated is False and "trust root" in sig.note
    (tmp_path / "root.pem").write_bytes(root_pem)
    monkeypatch.setenv("SOHOA_TRUST_ROOTS", f"{tmp_path / 'other.pem'}:{tmp_path / 'root.pem'}")
    (sig,) = read_signatures(pdf)
    assert sig.validated is True and sig.note is None


def test_an_unreadable_trust_roots_setting_does_not_fail_the_document(tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_TRUST_ROOTS", str(tmp_path / "missing.pem"))
    (sig,) = read("210-QDCT.signed.pdf")
    assert sig.intact is True and sig.validated is False and "SOHOA_TRUST_ROOTS unreadable" in sig.note


def _line(text: str, x0: float, y0: float, x1: float, block: int = 0) -> Line:
    word = Word(text=text, confidence=1.0, bbox=(x0, y0, x1, y0 + 0.01))
    return Line(text=text, bbox=word.bbox, block=block, words=[word])


def test_stamp_boxes_and_copy_lines_are_marked_and_nothing_else():
    lines = [
        _line("Ký bởi: Ủy ban nhân dân huyện Bình Xuyên", 0.61, 0.010, 0.85),
        _line("Cơ quan: Ủy ban nhân dân huyện Bình Xuyên, Tỉnh", 0.61, 0.020, 0.89),
        _line("Vĩnh Phúc", 0.61, 0.030, 0.67),  # the wrapped organisation, inside the frame
        _line("Thời gian ký: 22.03.2024 10:42:57 +07:00", 0.61, 0.040, 0.84),
        _line("ỦY BAN NHÂN DÂN", 0.17, 0.070, 0.36),
        _line("SAO Y; VĂN PHÒNG, SỞ TƯ PHÁP; 30/01/2021; 09:48:10 +07:00", 0.27, 0.9, 0.75),
        _line("Sao y bản chính", 0.1, 0.95, 0.3),  # a phrase of the body, not a copy stamp
        _line("Cơ quan: Sở Tư pháp", 0.1, 0.5, 0.4),  # a form's label alone says nobody signed
    ]
    marked = [line.stamp for line in mark_stamp_lines(lines)]
    assert marked == ["signature"] * 4 + ["", "copy", "", ""]


def test_an_unlabelled_publishing_stamp_is_marked_by_its_time_to_the_second_and_offset():
    # An Official Gazette centre's stamp over a published decision: no `Ký bởi:`, only its name,
    # e-mail and the time it published, which is not the day the decision was issued.
    lines = [
        _line("VÀ TIN HỌC", 0.81, 0.020, 0.87),
        _line("ttcbth@quangngai.gov.vn", 0.81, 0.030, 0.91),
        _line("09.01.2025 10:21:11 +07:00", 0.81, 0.035, 0.93),
        _line("Quảng Ngãi, ngày 08 tháng 01 năm 2025", 0.51, 0.14, 0.91),
        _line("Ngày 03/01/2025, lúc 10:00, họp nghe báo cáo", 0.2, 0.3, 0.9),  # a meeting's time: no seconds
        _line("Liên hệ: vanphong@quangngai.gov.vn", 0.2, 0.8, 0.6),  # an address in the body
        # The same stamp OCR'd from a scan: the offset on a line of its own.
        _line("07.01.2025 10:44:25", 0.49, 0.85, 0.6),
        _line("+07:00", 0.49, 0.86, 0.53),
    ]
    assert [line.stamp for line in mark_stamp_lines(lines)] == ["publishing"] * 3 + [""] * 3 + ["publishing"] * 2


def _ocr_page(lines: list[Line], number: int = 1, method: str = "ocr") -> PageResult:
    return PageResult(number=number, method=method, lines=mark_stamp_lines(lines))


def test_a_signature_stamp_read_on_a_page_image_is_a_signature_and_not_text():
    # The Government portal's stamp over a law published in the Official Gazette, OCR'd from the
    # page image: its logo read as a word of junk before a label, its time to the second.
    page = _ocr_page([
        _line("Ký bởi: Cổng Thông tin điện tử Chính phủ", 0.16, 0.004, 0.32),
        _line("Email: thongtinchinhphu@chinhphu.vn", 0.16, 0.011, 0.31),
        _line("Cơ quan: Văn phòng Chính phủ", 0.16, 0.016, 0.28),
        _line("Wivwrruvwmdrrfeiwmi Thời gian ký: 28.07.2014 14:40:36 +07:00", 0.07, 0.023, 0.32),
        _line("QUỐC HỘI", 0.1, 0.06, 0.25),
        _line("SAO Y; VĂN PHÒNG, SỞ TƯ PHÁP; 30/01/2021; 09:48:10 +07:00", 0.27, 0.9, 0.75),
    ])
    assert page.text == "QUỐC HỘI"
    portal, copy = read_page_stamps([page], [])
    assert (portal.kind, portal.organisation, portal.signer) == ("stamp", "Văn phòng Chính phủ", "")
    assert portal.signed_at == vn(2014, 7, 28, 14, 40, 36) and portal.signed_at_source == "page"
    assert portal.stamp_text.startswith("Ký bởi: Cổng Thông tin") and portal.stamp_text.endswith("+07:00")
    assert "Wivw" not in portal.stamp_text and portal.page == 1
    assert copy.organisation == "VĂN PHÒNG, SỞ TƯ PHÁP" and copy.signed_at == vn(2021, 1, 30, 9, 48, 10)


def test_a_publishing_centres_stamp_stays_in_the_text_and_pdf_stamps_are_not_read_twice():
    publishing = [_line("TRUNG TÂM CÔNG BÁO", 0.81, 0.010, 0.93), _line("ttcbth@quangngai.gov.vn", 0.81, 0.030, 0.91),
                  _line("09.01.2025 10:21:11 +07:00", 0.81, 0.035, 0.93)]
    page = _ocr_page(publishing)
    assert page.text.splitlines() == [line.text for line in publishing]
    assert read_page_stamps([page], []) == []
    # A stamp the PDF shows in a text layer or a signature's box is read from the PDF already.
    labelled = _ocr_page([_line("Ký bởi: Sở Tư pháp", 0.6, 0.01, 0.8),
                          _line("Thời gian ký: 2025-02-18T14:25:05+07:00", 0.6, 0.02, 0.8)], number=2)
    (iso,) = read_page_stamps([labelled], [])
    assert iso.signed_at == vn(2025, 2, 18, 14, 25, 5) and iso.organisation == "Sở Tư pháp"
    known = Signature(kind="digital", stamp_text="Ký bởi: Sở Tư pháp", page=2)
    assert read_page_stamps([labelled], [known]) == []
    assert read_page_stamps([labelled.model_copy(update={"method": "text_layer"})], []) == []
