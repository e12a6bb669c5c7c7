"""The sample generator: determinism, truth that follows docs/fields.md, and the committed batch."""

from __future__ import annotations

import functools
import io
import json
import math
import random
import re
import shutil
import unicodedata
import zipfile
from datetime import date

import numpy as np
import pymupdf
import pytesseract
import pytest
from PIL import Image, ImageChops

from ocr.sniff import sniff_media_type
from samples import bundle, conditions, content
from samples.generate import document_bytes, make_document, truth_of
from samples.layout import MM, STYLES, layout_document, text_width
from samples.render import SEAL_RED, TYPEFACES
from samples.specs import BUILDERS, build_spec

CONTRACT_TYPES = {"quyet_dinh", "giay_chung_nhan_qsdd", "giay_chung_nhan_dkdn", "giay_chung_nhan_hkd",
                  "giay_phep_xay_dung", "trich_luc_khai_sinh", "giay_khai_sinh", "giay_chung_nhan_ket_hon",
                  "xac_nhan_tinh_trang_hon_nhan", "chung_thuc", "cong_van", "thong_bao", "ke_hoach", "bao_cao",
                  "de_an", "other"}
ALWAYS = {"document_number", "issue_date", "issue_place", "issuer", "signer", "signer_title"}
# Fields besides ALWAYS, per builder: certificates print no trích yếu, so they carry no summary.
VARIANT_FIELDS = {
    "land_allocation": {"summary", "land_parcel", "map_sheet"},
    "recognition": {"summary"}, "new_rural": {"summary"}, "regulation": {"summary"},
    "justice": {"summary"}, "committee": {"summary"}, "office": {"summary"}, "sector": {"summary"}, "notice": {"summary"},
    "household_business": {"holder_name", "holder_id", "address", "business_code"},
    "birth_extract": {"holder_name", "holder_id"},
    "building_permit": {"holder_name", "address", "land_parcel", "map_sheet"},
    "land_title": {"holder_name", "holder_id", "address", "land_serial", "land_parcel", "map_sheet", "land_area"},
    "enterprise": {"holder_name", "holder_id", "address"},
    "birth_certificate": {"holder_name", "holder_id", "register_book"},
    "marriage_certificate": {"holder_name", "holder_id", "address", "register_book"},
    "marital_status": {"holder_name", "holder_id", "address", "valid_until"},
    "certified_copy": {"register_book"},
    "plan": {"summary"}, "report": {"summary"}, "scheme": {"summary"},
}
# Printed on some documents of the builder only.
OPTIONAL_FIELDS = {"land_title": {"valid_until", "procedure_code"}, "enterprise": {"procedure_code", "last_change_date"},
                   "household_business": {"last_change_date"}}
# Numbered by their register entry: `Số: 125` with `Quyển số: ...` under it.
REGISTER_TYPES = {"giay_khai_sinh", "giay_chung_nhan_ket_hon", "chung_thuc"}
ORGANISATION_HOLDERS = {"giay_chung_nhan_dkdn"}  # holder name kept in its printed capitals
PLACE_WORDS = ("tỉnh ", "huyện ", "xã ", "phường ", "thị trấn ", "thành phố ", "thị xã ")
PROVINCE_CODES = {content.PROVINCE_CODE, *content.OTHER_PROVINCE_CODES}
BIRTH_DATE = re.compile(r"(?:Sinh ngày|Ngày, tháng, năm sinh): \d{2}/\d{2}/(\d{4})")
GENDER = re.compile(r"Giới tính: (Nam|Nữ)")
MAX_BATCH_BYTES = 5 * 1024 * 1024
# A rebuild on other Pillow, libjpeg, FreeType or MuPDF builds encodes the same pages differently:
# re-encoding 01 at JPEG quality 60 moves its 100 dpi rendering by 0.65 grey levels on average,
# shifting the page by 1/100 inch by 6.3. The batch must match a rebuild in what it shows, not in bytes.
MAX_MEAN_GREY_DIFFERENCE = 2.0


@functools.cache
def truths_by_variant() -> list[tuple[str, dict]]:
    """(variant, truth) of every document type and variant over a few seeds, without rendering pages."""
    truths = []
    for doc_type, variants in BUILDERS.items():
        for variant in variants:
            for seed in range(25):
                rng = random.Random(seed)
                spec = build_spec(rng, doc_type, variant)
                truths.append((variant, truth_of(spec, layout_document(spec, rng))))
    return truths


def all_truths() -> list[dict]:
    return [truth for _, truth in truths_by_variant()]


def capitalised(name: str) -> bool:
    return all(syllable[0].isupper() and syllable[1:] == syllable[1:].lower() for syllable in name.split())


def decree30_date(day: date) -> str:
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# ---- determinism ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["png", "jpeg", "pdf-scan", "pdf-text"])
def test_same_seed_gives_same_truth_and_bytes(fmt):
    first = make_document(random.Random(5), "cong_van", "dpi200+scan")
    second = make_document(random.Random(5), "cong_van", "dpi200+scan")
    assert first.truth == second.truth
    assert document_bytes(first, fmt) == document_bytes(second, fmt)


def test_different_seeds_give_different_documents():
    one = make_document(random.Random(1), "quyet_dinh", "dpi200")
    two = make_document(random.Random(2), "quyet_dinh", "dpi200")
    assert one.truth != two.truth


def test_conditions_set_resolution_and_mode():
    assert make_document(random.Random(3), "thong_bao", "dpi200").pages[0].size == (1654, 2339)
    assert make_document(random.Random(3), "thong_bao", "dpi200+grey").pages[0].mode == "L"
    assert make_document(random.Random(3), "thong_bao", "dpi200+bilevel").pages[0].mode == "1"
    with pytest.raises(ValueError):
        make_document(random.Random(3), "thong_bao", "sepia")


def test_single_image_formats_refuse_multi_page_documents():
    doc = make_document(random.Random(4), "quyet_dinh", "dpi200", variant="recognition")
    assert len(doc.pages) == 2
    with pytest.raises(ValueError):
        document_bytes(doc, "jpeg")
    with Image.open(io.BytesIO(document_bytes(doc, "tiff"))) as tiff:
        assert tiff.n_frames == 2


# ---- capture conditions -----------------------------------------------------------------------

def first_page(condition: str, seed: int = 3) -> Image.Image:
    return make_document(random.Random(seed), "thong_bao", condition).pages[0]


def same_pixels(one: Image.Image, two: Image.Image) -> bool:
    return one.size == two.size and ImageChops.difference(one, two).getbbox() is None


def test_quarter_turns_swap_width_and_height_and_keep_the_content():
    upright = first_page("dpi200")
    for name, back in (("rot90", Image.Transpose.ROTATE_270), ("rot270", Image.Transpose.ROTATE_90)):
        turned = first_page(f"dpi200+{name}")
        assert turned.size == (upright.height, upright.width)
        assert same_pixels(turned.transpose(back), upright)


def test_rot180_twice_gives_the_page_back():
    upright = first_page("dpi200")
    assert not same_pixels(first_page("dpi200+rot180"), upright)
    assert same_pixels(first_page("dpi200+rot180+rot180"), upright)


def line_height_at(pixels: np.ndarray, x: int) -> float:
    """Mean row of the dark pixels in column x."""
    rows = np.nonzero(pixels[:, x] < 128)[0]
    return float(rows.mean())


def test_skew_turns_the_page_by_one_to_three_degrees_either_way():
    ruled = Image.new("L", (1200, 800), 255)
    ruled.paste(0, (100, 399, 1100, 402))  # a horizontal rule through the centre
    angles = []
    for seed in range(8):
        pixels = np.asarray(conditions.skew(ruled, random.Random(seed)))
        rise = line_height_at(pixels, 300) - line_height_at(pixels, 900)
        angles.append(math.degrees(math.atan2(rise, 600)))
    assert all(0.95 <= abs(angle) <= 3.05 for angle in angles), angles
    assert min(angles) < 0 < max(angles)
    page = first_page("dpi200+skew")
    assert page.size == first_page("dpi200").size and not same_pixels(page, first_page("dpi200"))
    assert page.getpixel((0, 0)) == (255, 255, 255)  # white where the turned page leaves the glass bare


def test_fax_is_bilevel_at_200_dpi():
    doc = make_document(random.Random(3), "thong_bao", "fax")
    page = doc.pages[0]
    assert doc.dpi == 200 and page.mode == "1" and page.size == (1654, 2339)
    assert 0.01 < 1 - np.asarray(page).mean() < 0.15  # share of black: text, not a black page
    with Image.open(io.BytesIO(document_bytes(doc, "png"))) as png:
        assert round(png.info["dpi"][0]) == 200


def test_lowres_renders_at_150_dpi():
    assert make_document(random.Random(3), "thong_bao", "lowres").pages[0].size == (1240, 1754)


def test_uneven_light_darkens_one_side_by_at_most_35_percent():
    paper = Image.new("L", (300, 420), 255)
    for seed in range(5):
        lit = np.asarray(conditions.uneven_light(paper, random.Random(seed)))
        assert lit.max() == 255 and 255 * 0.65 - 1 <= lit.min() <= 255 * 0.8 + 1


@pytest.mark.parametrize("name", ["uneven_light", "yellowed", "noisy"])
def test_tone_conditions_keep_mode_and_size(name):
    for base in ("dpi200", "dpi200+grey"):
        plain, degraded = first_page(base), first_page(f"{base}+{name}")
        assert degraded.mode == plain.mode and degraded.size == plain.size
        assert not same_pixels(degraded, plain)
        assert same_pixels(degraded, first_page(f"{base}+{name}"))


def test_yellowed_paper_is_yellow_and_noisy_paper_is_specked():
    red, _, blue = np.asarray(first_page("dpi200+yellowed"), dtype=np.float32).mean(axis=(0, 1))
    assert red - blue > 30
    margin = np.asarray(first_page("dpi200+grey+noisy"))[:100]  # above the header: paper only
    assert (margin < 60).sum() > 20 and margin.std() > 6


def test_grey_turns_the_red_seal_dark_grey():
    solid = conditions.to_grey(Image.new("RGB", (1, 1), SEAL_RED), random.Random(0))
    assert 80 <= solid.getpixel((0, 0)) <= 95
    colour = make_document(random.Random(2201), "quyet_dinh", "dpi200", "land_allocation")
    grey = make_document(random.Random(2201), "quyet_dinh", "dpi200+grey", "land_allocation")
    assert same_pixels(grey.pages[0], colour.pages[0].convert("L"))
    seal, scale = colour.layout[0].seal, colour.dpi / 72
    box = [round(v * scale) for v in (seal.cx - seal.radius, seal.cy - seal.radius,
                                      seal.cx + seal.radius, seal.cy + seal.radius)]
    rgb = np.asarray(colour.pages[0].crop(box), dtype=np.int16)
    red_ink = rgb[..., 0] - rgb[..., 1] > 60
    assert np.percentile(np.asarray(grey.pages[0].crop(box))[red_ink], 10) < 120


def test_every_typeface_covers_the_vietnamese_text():
    letters = {ch for truth in all_truths() for text in truth["page_texts"] for ch in text if not ch.isspace()}
    for typeface in TYPEFACES.values():
        assert set(typeface.files) == set(STYLES)
        for file in typeface.files.values():
            font = pymupdf.Font(fontfile=str(typeface.folder / file))
            assert all(font.has_glyph(ord(ch)) for ch in letters), file


@pytest.mark.parametrize("name", ["font_serif2", "font_sans"])
def test_font_conditions_keep_the_text_and_change_the_glyphs(name):
    plain = make_document(random.Random(3), "thong_bao", "dpi200")
    other = make_document(random.Random(3), "thong_bao", f"dpi200+{name}")
    assert other.truth == plain.truth and not same_pixels(other.pages[0], plain.pages[0])
    ink = [(np.asarray(doc.pages[0].convert("L")) < 128).mean() for doc in (plain, other)]
    assert 0.6 < ink[1] / ink[0] < 1.4  # about as much print: no missing glyphs, no blots
    assert first_page(f"dpi200+{name}+grey").mode == "L"


# ---- truth follows docs/fields.md -------------------------------------------------------------

def test_truth_has_the_fields_each_type_prints():
    assert set(VARIANT_FIELDS) == {variant for variants in BUILDERS.values() for variant in variants}
    seen: dict[str, set[str]] = {}
    for variant, truth in truths_by_variant():
        fields, doc_type = truth["fields"], truth["document_type"]
        assert doc_type in CONTRACT_TYPES
        required = ALWAYS | VARIANT_FIELDS[variant]
        assert required <= set(fields) <= required | OPTIONAL_FIELDS.get(variant, set()), variant
        seen.setdefault(variant, set()).update(set(fields) - required)
        for value in fields.values():
            assert value == unicodedata.normalize("NFC", value) and value == " ".join(value.split()) and value
    for variant, optional in OPTIONAL_FIELDS.items():
        assert seen[variant] == optional, variant  # each optional field shows up on some of 25 seeds


def test_header_fields_match_the_printed_header():
    for truth in all_truths():
        fields, first_page = truth["fields"], truth["page_texts"][0]
        number = fields["document_number"]
        if truth["document_type"] in REGISTER_TYPES:
            assert re.fullmatch(r"\d+", number)
        else:
            assert re.fullmatch(r"\d+(/\d{4})?/\S+", number) and " " not in number
        printed_number = re.search(r"Số: (.+)", first_page).group(1)
        assert "".join(printed_number.split()) == number
        day = date.fromisoformat(fields["issue_date"])
        assert date(2019, 1, 1) <= day <= date(2024, 12, 31)
        assert f"{fields['issue_place']}, {decree30_date(day)}" in first_page.splitlines()


RANK_WORDS = [rank.split(" ") for rank in content.RANKS]


def test_issuer_signer_and_summary_follow_the_conventions():
    for truth in all_truths():
        fields, last_page = truth["fields"], truth["page_texts"][-1].splitlines()
        assert fields["issuer"][0].isupper() and any(word in fields["issuer"] for word in PLACE_WORDS)
        assert "UBND" not in fields["issuer"]
        # An officer's rank is printed before the name and is no part of `signer`.
        assert capitalised(fields["signer"]) and last_page[-1].endswith(fields["signer"])
        assert last_page[-1] == fields["signer"] or last_page[-1].split(" ", 2)[:2] in RANK_WORDS
        assert last_page[-2] == fields["signer_title"].upper() and fields["signer_title"][0].isupper()
        summary = fields.get("summary", "")
        assert not summary.startswith("V/v")
        if truth["document_type"] == "cong_van":
            assert "V/v " + summary.split()[0] in truth["page_texts"][0]


def holder_birth(doc_type: str, text: str) -> tuple[int, bool]:
    """The holder's printed birth year and whether the holder is a woman."""
    if doc_type == "giay_chung_nhan_qsdd":  # `Ông: ...` / `Bà: ...`, then `Năm sinh: 1970`
        return int(re.search(r"Năm sinh: (\d{4})", text).group(1)), "\nBà: " in text
    birth_year = int(BIRTH_DATE.search(text).group(1))  # the holder's block comes first
    if doc_type == "giay_chung_nhan_ket_hon":  # the husband
        return birth_year, False
    return birth_year, GENDER.search(text).group(1) == "Nữ"


def test_holder_fields_are_printed_and_personal_numbers_are_valid():
    for truth in all_truths():
        fields, text, doc_type = truth["fields"], "\n".join(truth["page_texts"]), truth["document_type"]
        joined = " ".join(text.splitlines())
        if "holder_name" in fields:
            if doc_type in ORGANISATION_HOLDERS:
                assert fields["holder_name"].isupper() and fields["holder_name"] in joined
            else:
                assert capitalised(fields["holder_name"]) and fields["holder_name"].upper() in text
        if "address" in fields:
            assert fields["address"] in joined
        if "holder_id" in fields and doc_type not in ORGANISATION_HOLDERS:  # enterprise codes: test_samples_types
            holder_id = fields["holder_id"]
            assert re.fullmatch(r"\d{12}", holder_id) and holder_id[:3] in PROVINCE_CODES
            assert holder_id in text.replace(" ", "")
            birth_year, female = holder_birth(doc_type, text)
            assert int(holder_id[3]) == (birth_year // 100 - 19) * 2 + female
            assert holder_id[4:6] == f"{birth_year % 100:02d}"


# ---- the committed batch ----------------------------------------------------------------------

def batch_truth() -> dict[str, dict]:
    entries = json.loads(bundle.TRUTH_FILE.read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in entries}


def test_batch_holds_exactly_the_nine_files_with_nfc_names():
    names = sorted(path.name for path in bundle.BATCH_DIR.iterdir())
    assert len(names) == 9
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    assert set(names) == set(batch_truth())
    assert sum(path.stat().st_size for path in bundle.BATCH_DIR.iterdir()) < MAX_BATCH_BYTES


def test_batch_truth_statuses():
    truth = batch_truth()
    statuses = [entry["expected_status"] for entry in truth.values()]
    assert statuses.count("digitised") == 5 and statuses.count("failed") == 3 and statuses.count("duplicate") == 1
    errors = {entry["expected_error"] for entry in truth.values() if entry["expected_status"] == "failed"}
    assert errors == {"truncated_file", "encrypted_pdf", "unsupported_type"}
    for entry in truth.values():
        if entry["expected_status"] == "digitised":
            assert entry["pages"] == len(entry["page_texts"]) and ALWAYS <= set(entry["fields"])


def test_duplicate_is_byte_identical():
    original = (bundle.BATCH_DIR / bundle.DUPLICATE_OF).read_bytes()
    assert (bundle.BATCH_DIR / bundle.DUPLICATE).read_bytes() == original
    assert batch_truth()[bundle.DUPLICATE]["duplicate_of_file"] == bundle.DUPLICATE_OF


def test_good_files_have_the_promised_format_and_resolution():
    batch = bundle.BATCH_DIR
    with Image.open(batch / "01 Quyết định giao đất.jpg") as jpeg:
        assert jpeg.format == "JPEG" and jpeg.mode == "RGB" and jpeg.info["dpi"] == (300, 300)
    with Image.open(batch / "03 Giấy chứng nhận hộ kinh doanh.png") as png:
        assert png.mode == "L" and round(png.info["dpi"][0]) == 200
    with Image.open(batch / "05 Quyết định công nhận.tif") as tiff:
        assert tiff.n_frames == 2 and round(tiff.info["dpi"][0]) == 300
    scanned = pymupdf.open(batch / "04 Trích lục khai sinh.pdf")
    assert scanned[0].get_text().strip() == "" and scanned[0].get_images()
    digital = pymupdf.open(batch / "02 Công văn Sở Tư pháp.pdf")
    text_layer = unicodedata.normalize("NFC", digital[0].get_text()).strip()
    assert text_layer == batch_truth()["02 Công văn Sở Tư pháp.pdf"]["page_texts"][0]


def test_bad_files_are_really_bad():
    truncated = (bundle.BATCH_DIR / bundle.TRUNCATED).read_bytes()
    assert truncated.startswith(b"%PDF-") and b"%%EOF" not in truncated[-1024:]
    encrypted = pymupdf.open(bundle.BATCH_DIR / bundle.ENCRYPTED)
    assert encrypted.needs_pass and encrypted.authenticate(bundle.USER_PASSWORD)
    fake = bundle.BATCH_DIR / bundle.NOT_A_PDF
    assert not fake.read_bytes().startswith(b"%PDF") and zipfile.is_zipfile(fake)


@functools.cache
def rebuilt_bundle() -> tuple[dict[str, bytes], list[dict]]:
    return bundle.bundle_contents()


def committed(name: str) -> bytes:
    return (bundle.BATCH_DIR / name).read_bytes()


def image_properties(data: bytes) -> tuple:
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.mode, image.size, tuple(round(v) for v in image.info["dpi"]), getattr(image, "n_frames", 1)


def page_views(name: str, data: bytes, password: str | None = None) -> list[tuple]:
    """Each page as a reader gets it: size in points, text layer (NFC), and a grey rendering at 100 dpi."""
    with pymupdf.open(stream=data, filetype=name.rsplit(".", 1)[1]) as doc:
        if password is not None:
            assert doc.authenticate(password)
        views = []
        for page in doc:
            pixmap = page.get_pixmap(dpi=100, colorspace=pymupdf.csGRAY)
            grey = np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width).astype(int)
            views.append((tuple(round(v, 1) for v in page.rect), unicodedata.normalize("NFC", page.get_text()), grey))
        return views


def assert_same_pages(name: str, batch: list[tuple], rebuilt: list[tuple]) -> None:
    drifted = f"{name} differs from a rebuild: run python -m samples.generate --bundled"
    assert len(batch) == len(rebuilt), drifted
    for (size, text, grey), (size_now, text_now, grey_now) in zip(batch, rebuilt):
        assert (size, text) == (size_now, text_now), drifted
        assert np.abs(grey - grey_now).mean() < MAX_MEAN_GREY_DIFFERENCE, drifted


def test_truth_matches_a_rebuild_exactly():
    _, truth = rebuilt_bundle()
    assert json.loads(bundle.TRUTH_FILE.read_text(encoding="utf-8")) == truth


@pytest.mark.parametrize("good", bundle.GOOD_FILES, ids=lambda good: f"{good.name[:2]}-{good.fmt}")
def test_good_file_shows_what_a_rebuild_shows(good):
    contents, _ = rebuilt_bundle()
    batch, rebuilt = committed(good.name), contents[good.name]
    if good.fmt.startswith("pdf"):
        assert sniff_media_type(batch) == sniff_media_type(rebuilt) == "application/pdf"
    else:
        assert image_properties(batch) == image_properties(rebuilt)
    assert_same_pages(good.name, page_views(good.name, batch), page_views(good.name, rebuilt))


def test_bad_files_are_bad_as_a_rebuild_is():
    contents, _ = rebuilt_bundle()
    truncated, truncated_now = committed(bundle.TRUNCATED), contents[bundle.TRUNCATED]
    # The same scan cut at the same share of its bytes: its encoded size may differ a little.
    assert truncated.startswith(b"%PDF-") and truncated_now.startswith(b"%PDF-")
    assert abs(len(truncated) / len(truncated_now) - 1) < 0.05
    assert_same_pages(bundle.ENCRYPTED, page_views(bundle.ENCRYPTED, committed(bundle.ENCRYPTED), bundle.USER_PASSWORD),
                      page_views(bundle.ENCRYPTED, contents[bundle.ENCRYPTED], bundle.USER_PASSWORD))
    with zipfile.ZipFile(io.BytesIO(committed(bundle.NOT_A_PDF))) as fake, \
            zipfile.ZipFile(io.BytesIO(contents[bundle.NOT_A_PDF])) as fake_now:
        assert {n: fake.read(n) for n in fake.namelist()} == {n: fake_now.read(n) for n in fake_now.namelist()}


# ---- legibility -------------------------------------------------------------------------------

@pytest.mark.integration
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_tesseract_reads_number_and_issuer(monkeypatch):
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")
    doc = make_document(random.Random(11), "cong_van", "clean", variant="justice")
    text = unicodedata.normalize("NFC", pytesseract.image_to_string(doc.pages[0], lang="vie", config="--dpi 300"))
    assert doc.truth["fields"]["document_number"] in "".join(text.split())
    assert "SỞ TƯ PHÁP" in text


def test_border_condition_darkens_edges_inside_the_margins():
    doc = make_document(random.Random(4), "quyet_dinh", "border+grey")
    pixels = np.asarray(doc.pages[0].convert("L"))
    edges = [pixels[:, :5], pixels[:, -5:], pixels[:5, :], pixels[-5:, :]]
    assert sum(edge.mean() < 100 for edge in edges) >= 2
    height, width = pixels.shape
    assert pixels[height // 2, int(width * 0.06)] > 200  # the band stays inside the margin


def test_handwritten_blanks_write_the_number_and_day_by_hand():
    plain = make_document(random.Random("hand"), "quyet_dinh", "scan")
    doc = make_document(random.Random("hand"), "quyet_dinh", "handwritten_blanks+scan")
    number, day = doc.truth["fields"]["document_number"], doc.truth["fields"]["issue_date"]
    assert (number, day) == (plain.truth["fields"]["document_number"], plain.truth["fields"]["issue_date"])
    typed = doc.layout[0].text
    # The type keeps the blanks; the digits are pen strokes over them (ballpoint blue in the image).
    assert re.search(r"Số: +/", typed) and number.split("/")[0] not in typed.split("Số:")[1].split("\n")[0]
    assert re.search(r"ngày +tháng", typed)
    assert len(doc.layout[0].strokes) > len(plain.layout[0].strokes)


def test_received_stamp_is_pressed_beside_the_title_and_changes_no_truth():
    plain = make_document(random.Random("received"), "quyet_dinh", "clean")
    doc = make_document(random.Random("received"), "quyet_dinh", "received_stamp")
    assert doc.truth == plain.truth  # the receiver's stamp is no field and no printed line
    scale = doc.dpi / 72
    changed = np.argwhere(np.any(np.asarray(doc.pages[0]) != np.asarray(plain.pages[0]), axis=2)) / scale
    assert len(changed) > 5000  # points of ink
    top, left = changed.min(axis=0)
    bottom, right = changed.max(axis=0)
    assert left > 0 and right < 60 * MM  # in the left margin
    # Level with the title and the subject's first line ...
    title, subject = [line.runs[0] for line in doc.layout[0].lines if line.runs[0].size == 14][:2]
    assert top < title.baseline - 10 and bottom > subject.baseline
    # ... and never over a printed run.
    for line in doc.layout[0].lines:
        for run in line.runs:
            across = (changed[:, 1] > run.x) & (changed[:, 1] < run.x + text_width(run.text, run.style, run.size))
            over = across & (changed[:, 0] > run.baseline - 0.8 * run.size) & (changed[:, 0] < run.baseline + 0.25 * run.size)
            assert not over.any(), run.text
