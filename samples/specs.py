"""What a document says: one builder per document type and variant, each returning a spec and its truth.

A spec is layout-free: the paragraphs, header pieces and signature block of one document.
`samples.layout` places it on Decree 30 pages. Truth values are assembled from the hand-written
table values in `samples.content`, never derived from the printed text.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from samples import content, texts
from samples.content import Issuer, Person, SigningBlock

FIRST_ISSUE_DATE = date(2019, 1, 1)
LAST_ISSUE_DATE = date(2024, 12, 31)


@dataclass(frozen=True)
class Paragraph:
    segments: tuple[tuple[str, str], ...]  # (text, style) with style in samples.layout.STYLES
    align: str = "justify"  # "justify", "left" or "center"
    indent: float = 28.0  # first-line indent in points
    size: float = 13.0


@dataclass
class DocumentSpec:
    doc_type: str
    issuer: Issuer
    number: str  # as printed after "Số:"
    issue_date: date
    signing: SigningBlock
    signer: str
    title: tuple[str, ...] = ()  # centred bold lines: "QUYẾT ĐỊNH"
    subtitle: str | None = None  # centred italic line under the title
    subject: str | None = None  # trích yếu; letters print it as "V/v ..." in the header
    recipients: tuple[str, ...] = ()  # "Kính gửi" list of letters
    body: list[Paragraph] = field(default_factory=list)
    distribution: tuple[str, ...] = ()  # "Nơi nhận" list; certificates have none
    holder: dict[str, str] = field(default_factory=dict)  # truth fields of the holder, when printed
    header_extra: tuple[str, ...] = ()  # lines under `Số:` in the left header column: `Quyển số: 01/2021`
    extra: dict[str, str] = field(default_factory=dict)  # type-specific truth fields (docs/fields.md)
    numbered: bool = True  # `Số:` printed in the header (a certification statement has its own number line)
    dated: bool = True  # the place-and-date line printed in the header (national forms date in the body)
    signer_rank: str = ""  # an officer's rank printed before the name (`Trung tá`); not part of `signer`

    @property
    def printed_signer(self) -> str:
        return f"{self.signer_rank} {self.signer}" if self.signer_rank else self.signer

    @property
    def fields(self) -> dict[str, str]:
        """Truth fields per docs/fields.md."""
        values = {
            "document_number": "".join(self.number.split()),
            "issue_date": self.issue_date.isoformat(),
            "issue_place": self.issuer.place,
            "issuer": self.issuer.name,
            "signer": self.signer,
            "signer_title": self.signing.title_truth,
        }
        if self.subject:
            values["summary"] = self.subject
        if not self.dated:
            del values["issue_place"]
        return values | self.holder | self.extra


# ---- small helpers -----------------------------------------------------------------------------

def plain(text: str, align: str = "justify", indent: float = 28.0, size: float = 13.0) -> Paragraph:
    return Paragraph(((text, "regular"),), align, indent, size)


def italic(text: str) -> Paragraph:
    return Paragraph(((text, "italic"),))


def centred_bold(text: str, size: float = 13.0) -> Paragraph:
    return Paragraph(((text, "bold"),), "center", 0.0, size)


def article(number: int, text: str) -> Paragraph:
    return Paragraph(((f"Điều {number}.", "bold"), (text, "regular")))


def labelled(label: str, value: str, value_style: str = "regular") -> Paragraph:
    """A form line such as `Họ và tên: NGUYỄN VĂN AN`, kept left-aligned like a filled-in form."""
    return Paragraph(((label, "regular"), (value, value_style)), "left", indent=0.0)


def pick_issue_date(rng: random.Random) -> date:
    return FIRST_ISSUE_DATE + timedelta(days=rng.randint(0, (LAST_ISSUE_DATE - FIRST_ISSUE_DATE).days))


def days_before(rng: random.Random, day: date, low: int, high: int) -> date:
    return day - timedelta(days=rng.randint(low, high))


def long_date(day: date) -> str:
    """Decree 30 date words: a leading zero for days below 10 and for months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def decimal(value: float) -> str:
    """Vietnamese decimal comma: `85,5`."""
    return f"{value:.1f}".replace(".", ",")


def printed_number(rng: random.Random, number: int, notation: str) -> str:
    """`1204/QĐ-UBND`; sometimes typed with a blank before the slash, as on real papers."""
    gap = " " if rng.random() < 0.15 else ""
    return f"{number}{gap}/{notation}"


def serial(rng: random.Random, issuer: Issuer) -> int:
    ceiling = {"province": 3200, "district": 2400, "commune": 320}[issuer.level]
    return rng.randint(1, ceiling)


def signing_block(rng: random.Random, issuer: Issuer, key: str | None = None) -> SigningBlock:
    return rng.choice(content.SIGNING_BLOCKS[key or issuer.signing])


def signer_name(rng: random.Random) -> str:
    return content.make_person(rng, content.SIGNER_BIRTH_YEARS).name


def honorific(person: Person) -> str:
    return "ông" if person.gender == "male" else "bà"


def base_spec(rng: random.Random, doc_type: str, issuer: Issuer, notation: str,
              signing_key: str | None = None) -> DocumentSpec:
    number = printed_number(rng, serial(rng, issuer), notation)
    return DocumentSpec(doc_type=doc_type, issuer=issuer, number=number, issue_date=pick_issue_date(rng),
                        signing=signing_block(rng, issuer, signing_key), signer=signer_name(rng))


def decision_frame(spec: DocumentSpec, bases: list[str]) -> None:
    """Title, authority line, legal bases and the `QUYẾT ĐỊNH:` line shared by every decision."""
    spec.title = ("QUYẾT ĐỊNH",)
    spec.body += [centred_bold(spec.issuer.head, 14.0)]
    spec.body += [italic(text) for text in bases]
    spec.body += [centred_bold("QUYẾT ĐỊNH:", 14.0)]


def proposal_basis(rng: random.Random, spec: DocumentSpec, proposer: str, unit: str) -> str:
    when = days_before(rng, spec.issue_date, 3, 40)
    return f"Xét đề nghị của {proposer} tại Tờ trình số {rng.randint(12, 480)}/TTr-{unit} {long_date(when)}."


# ---- decisions ---------------------------------------------------------------------------------

def land_allocation(rng: random.Random) -> DocumentSpec:
    place = content.pick_place(rng)
    issuer = content.district_committee(place.district)
    spec = base_spec(rng, "quyet_dinh", issuer, "QĐ-UBND")
    owner = content.make_person(rng, (1955, 1995))
    household = f"hộ {honorific(owner)} {owner.name}"
    spec.subject = f"Về việc giao đất ở cho {household} tại {place.commune_full}, {place.district.full}"
    decision_frame(spec, [texts.LOCAL_GOVERNMENT_LAW, *texts.LAND_BASES,
                          proposal_basis(rng, spec, "Trưởng phòng Tài nguyên và Môi trường", "TNMT")])
    urban = "đô thị" if place.commune_kind != "xã" else "nông thôn"
    # Drawn in the order the article used to draw them inline: the committed batch depends on it.
    area, parcel, sheet = rng.randint(60, 300), rng.randint(12, 980), rng.randint(1, 48)
    village = rng.choice(content.VILLAGES)
    spec.body += [
        article(1, f"Giao {area} m2 đất ở cho {household} tại thửa đất số {parcel}, "
                   f"tờ bản đồ số {sheet}, {village}, {place.commune_full}, "
                   f"{place.district.full}."),
        plain(f"- Mục đích sử dụng đất: đất ở tại {urban}."),
        plain("- Hình thức giao đất: giao đất có thu tiền sử dụng đất."),
        plain("- Thời hạn sử dụng đất: lâu dài."),
        article(2, texts.LAND_DUTIES.format(commune=place.commune_full, district=place.district.full)),
        article(3, texts.LAND_EXECUTION.format(district=place.district.full, commune=place.commune_full,
                                               household=household)),
    ]
    spec.distribution = ("- Như Điều 3;", "- TT Huyện ủy, TT HĐND huyện;", "- Chủ tịch, các PCT UBND huyện;",
                         "- Chi cục Thuế khu vực;", "- Lưu: VT, TNMT.")
    spec.extra = {"land_parcel": str(parcel), "map_sheet": str(sheet)}
    return spec


def recognition(rng: random.Random) -> DocumentSpec:
    """A district decision recognising cultural villages, with a list long enough for two pages."""
    district = rng.choice(content.DISTRICTS)
    spec = base_spec(rng, "quyet_dinh", content.district_committee(district), "QĐ-UBND")
    year = spec.issue_date.year
    spec.subject = f"Về việc công nhận danh hiệu “Thôn, tổ dân phố văn hóa” năm {year}"
    decision_frame(spec, [texts.LOCAL_GOVERNMENT_LAW, texts.CULTURE_BASIS,
                          proposal_basis(rng, spec, "Trưởng phòng Văn hóa và Thông tin", "VHTT")])
    pairs = [(village, f"{kind} {commune}") for kind, commune in district.communes
             for village in (content.VILLAGES if kind == "xã" else content.NEIGHBOURHOODS)]
    chosen = rng.sample(pairs, rng.randint(18, 24))
    spec.body.append(article(1, f"Công nhận danh hiệu “Thôn, tổ dân phố văn hóa” năm {year} cho {len(chosen)} "
                                f"thôn, tổ dân phố thuộc {district.full}, gồm:"))
    for index, (village, commune) in enumerate(chosen, 1):
        end = "." if index == len(chosen) else ";"
        spec.body.append(plain(f"{index}. {village}, {commune}{end}", align="left", indent=42.0))
    units = "xã, thị trấn" if district.kind == "huyện" else "phường, xã"
    spec.body += [article(2, texts.CULTURE_DUTIES), article(3, texts.CULTURE_EXECUTION.format(units=units))]
    spec.distribution = ("- Như Điều 3;", "- Sở Văn hóa, Thể thao và Du lịch;", "- TT Huyện ủy, TT HĐND huyện;",
                         "- Chủ tịch, các PCT UBND huyện;", "- Lưu: VT, VHTT.")
    return spec


def new_rural(rng: random.Random) -> DocumentSpec:
    place = content.pick_place(rng)
    spec = base_spec(rng, "quyet_dinh", content.PROVINCE_COMMITTEE, "QĐ-UBND")
    year = spec.issue_date.year
    where = f"{place.commune_full}, {place.district.full}"
    spec.subject = f"Về việc công nhận {where} đạt chuẩn nông thôn mới năm {year}"
    decision_frame(spec, [texts.LOCAL_GOVERNMENT_LAW, texts.NEW_RURAL_BASIS,
                          proposal_basis(rng, spec, "Giám đốc Sở Nông nghiệp và Phát triển nông thôn", "SNN")])
    spec.body += [
        article(1, f"Công nhận {where} đạt chuẩn nông thôn mới năm {year}."),
        article(2, texts.NEW_RURAL_DUTIES.format(district=place.district.full)),
        article(3, texts.NEW_RURAL_EXECUTION.format(where=where)),
    ]
    spec.distribution = ("- Như Điều 3;", "- Văn phòng Điều phối NTM Trung ương;", "- TTTU, TTHĐND tỉnh;",
                         "- Chủ tịch, các PCT UBND tỉnh;", "- Lưu: VT, NN3.")
    return spec


def regulation(rng: random.Random) -> DocumentSpec:
    """A normative provincial decision: its notation carries the year (`05/2023/QĐ-UBND`)."""
    spec = base_spec(rng, "quyet_dinh", content.PROVINCE_COMMITTEE, "QĐ-UBND")
    spec.number = f"{rng.randint(1, 48):02d}/{spec.issue_date.year}/QĐ-UBND"
    topic = rng.choice(texts.REGULATION_TOPICS)
    spec.subject = f"Ban hành Quy định {topic} trên địa bàn tỉnh Vĩnh Phúc"
    decision_frame(spec, [texts.LOCAL_GOVERNMENT_LAW, texts.LEGAL_DOCUMENTS_LAW,
                          proposal_basis(rng, spec, "Giám đốc Sở Tư pháp", "STP")])
    effective = spec.issue_date + timedelta(days=rng.randint(10, 20))
    spec.body += [
        article(1, f"Ban hành kèm theo Quyết định này Quy định {topic} trên địa bàn tỉnh Vĩnh Phúc."),
        article(2, f"Quyết định này có hiệu lực thi hành kể từ {long_date(effective)}."),
        article(3, texts.REGULATION_EXECUTION),
    ]
    spec.distribution = ("- Như Điều 3;", "- Bộ Tư pháp (Cục KTVB);", "- TTTU, TTHĐND tỉnh;",
                         "- Công báo tỉnh;", "- Lưu: VT, NC.")
    return spec


# ---- letters and notices -----------------------------------------------------------------------

def letter(rng: random.Random, issuer: Issuer, subject: str, recipients: tuple[str, ...],
           paragraphs: list[str], archive_unit: str) -> DocumentSpec:
    unit = f"-{archive_unit}" if issuer.units else ""
    spec = base_spec(rng, "cong_van", issuer, f"{issuer.notation}{unit}")
    spec.subject, spec.recipients = subject, recipients
    spec.body = [plain(text) for text in paragraphs]
    spec.distribution = ("- Như trên;", f"- Lãnh đạo {issuer.short};", f"- Lưu: VT, {archive_unit}.")
    return spec


def justice_letter(rng: random.Random) -> DocumentSpec:
    issuer = content.department("justice")
    topic = rng.choice(texts.JUSTICE_TOPICS)
    return letter(rng, issuer, topic.subject, texts.ALL_DISTRICTS_AND_COMMUNES,
                  [texts.DIGITISATION_CONTEXT.format(short=issuer.short), *topic.points,
                   texts.LETTER_CLOSING.format(short=issuer.short)], rng.choice(issuer.units))


def committee_letter(rng: random.Random) -> DocumentSpec:
    district = rng.choice(content.DISTRICTS)
    issuer = rng.choice((content.PROVINCE_COMMITTEE, content.district_committee(district)))
    recipients = texts.PROVINCE_RECIPIENTS if issuer.level == "province" else texts.DISTRICT_RECIPIENTS
    topic = rng.choice(texts.COMMITTEE_TOPICS)
    return letter(rng, issuer, topic.subject, recipients,
                  [texts.DIGITISATION_CONTEXT.format(short=issuer.short), *topic.points,
                   texts.LETTER_CLOSING.format(short=issuer.short)], rng.choice(issuer.units))


def office_letter(rng: random.Random) -> DocumentSpec:
    district = rng.choice(content.DISTRICTS)
    issuer = content.district_office(district, "finance")
    topic = texts.BUSINESS_REVIEW
    recipients = (f"- UBND các xã, thị trấn thuộc {district.full}.",)
    return letter(rng, issuer, topic.subject, recipients,
                  [*topic.points, texts.LETTER_CLOSING.format(short=issuer.short)], "TCKH")


def sector_letter(rng: random.Random) -> DocumentSpec:
    """A letter of a body beyond the People's Committees, printed under its parent (police unit,
    hospital, tax office); a police officer signs with a rank before the name."""
    key = rng.choice(sorted((*content.SECTOR_BODIES, "tax")))
    if key == "tax":
        issuer, ranked = content.tax_office(rng.choice(content.DISTRICTS)), False
    else:
        issuer, ranked = content.sector_body(key), content.SECTOR_BODIES[key][5]
    topic = texts.SECTOR_TOPICS[key]
    spec = letter(rng, issuer, topic.subject, ("- Các cơ quan, đơn vị có liên quan.",),
                  [text.format(short=issuer.short) for text in topic.points], issuer.notation)
    spec.distribution = ("- Như trên;", f"- Lưu: VT, {issuer.notation}.")
    if ranked:
        spec.signer_rank = rng.choice(content.RANKS)
    return spec


def notice(rng: random.Random) -> DocumentSpec:
    issuer = rng.choice((content.PROVINCE_COMMITTEE, content.department(rng.choice(list(content.DEPARTMENTS))),
                         content.district_committee(rng.choice(content.DISTRICTS))))
    signing_key = "committee_office" if issuer is content.PROVINCE_COMMITTEE else None
    spec = base_spec(rng, "thong_bao", issuer, f"TB-{issuer.notation}", signing_key)
    spec.title = ("THÔNG BÁO",)
    topic = rng.choice(texts.NOTICE_TOPICS)
    spec.subject = topic.subject.format(year=spec.issue_date.year, short=issuer.short)
    earlier = long_date(days_before(rng, spec.issue_date, 2, 9))
    later = long_date(spec.issue_date + timedelta(days=rng.randint(3, 10)))
    spec.body = [plain(text.format(short=issuer.short, earlier=earlier, later=later)) for text in topic.points]
    spec.distribution = ("- Các cơ quan, đơn vị liên quan;", "- Cổng thông tin điện tử;", "- Lưu: VT.")
    return spec


# ---- certificates and civil-status papers --------------------------------------------------------

def printed_personal_number(rng: random.Random, number: str) -> str:
    """Mostly as one run of digits; sometimes grouped by three, as some offices type it."""
    if rng.random() < 0.2:
        return " ".join(number[i:i + 3] for i in range(0, 12, 3))
    return number


def holder_truth(person: Person, address: str | None = None, with_id: bool = True) -> dict[str, str]:
    values = {"holder_name": person.name}
    if with_id:
        values["holder_id"] = person.personal_number
    if address:
        values["address"] = address
    return values


def household_business(rng: random.Random, form_dates: bool = False) -> DocumentSpec:
    """`form_dates`: as the national form prints it, no place-and-date line; the paper is dated by
    its first registration (`Đăng ký lần đầu, ngày ...`), a later change noted under it."""
    place = content.pick_place(rng)
    issuer = content.district_office(place.district, "finance")
    spec = base_spec(rng, "giay_chung_nhan_hkd", issuer, "GCN-HKD")
    spec.title = ("GIẤY CHỨNG NHẬN", "ĐĂNG KÝ HỘ KINH DOANH")
    owner = content.make_person(rng, (1960, 2000))
    address = content.street_address(rng, place)
    trade, business = rng.choice(texts.BUSINESS_LINES)
    first = days_before(rng, spec.issue_date, 0, 900) if rng.random() < 0.4 else spec.issue_date
    business_code = f"{rng.randint(10, 99)}H8{rng.randint(0, 99_999):06d}"
    separator = ", " if form_dates else ": "
    spec.body = [labelled("Mã số hộ kinh doanh: ", business_code, "bold"),
                 labelled(f"Đăng ký lần đầu{separator}", long_date(first))]
    if first != spec.issue_date:
        spec.body.append(labelled(f"Đăng ký thay đổi lần thứ 1{separator}", long_date(spec.issue_date)))
    spec.body += [
        labelled("1. Tên hộ kinh doanh: ", f"{business} {owner.name.split()[-1]}".upper(), "bold"),
        labelled("2. Địa điểm kinh doanh: ", content.street_address(rng, place)),
        labelled("Điện thoại: ", f"09{rng.randint(0, 99_999_999):08d}"),
        labelled("3. Ngành, nghề kinh doanh: ", trade),
        labelled("4. Vốn kinh doanh: ", f"{rng.randint(5, 90) * 10}.000.000 đồng"),
        labelled("5. Chủ hộ kinh doanh:", ""),
        labelled("Họ và tên: ", owner.name.upper(), "bold"),
        labelled("Giới tính: ", owner.gender_label),
        labelled("Sinh ngày: ", short_date(date(owner.birth_year, rng.randint(1, 12), rng.randint(1, 28)))),
        labelled("Dân tộc: ", "Kinh; Quốc tịch: Việt Nam"),
        labelled("Số định danh cá nhân: ", printed_personal_number(rng, owner.personal_number)),
        labelled("Địa chỉ: ", address),
    ]
    spec.holder = holder_truth(owner, address)
    spec.extra = {"business_code": business_code}
    if first != spec.issue_date:
        spec.extra["last_change_date"] = spec.issue_date.isoformat()
    if form_dates:
        spec.dated, spec.issue_date = False, first
    return spec


def birth_lines(rng: random.Random, child: Person, born: date, mother: Person, father: Person, home: str,
                where: str) -> list[Paragraph]:
    """The child's and the parents' lines of a birth certificate or extract."""
    return [
        labelled("Họ, chữ đệm, tên: ", child.name.upper(), "bold"),
        labelled("Ngày, tháng, năm sinh: ", short_date(born)),
        labelled("Giới tính: ", f"{child.gender_label}; Dân tộc: Kinh; Quốc tịch: Việt Nam"),
        labelled("Nơi sinh: ", rng.choice(texts.BIRTH_PLACES).format(where=where)),
        labelled("Quê quán: ", where),
        labelled("Số định danh cá nhân: ", printed_personal_number(rng, child.personal_number)),
        labelled("Họ, chữ đệm, tên người mẹ: ", mother.name.upper(), "bold"),
        labelled("Năm sinh: ", f"{mother.birth_year}; Dân tộc: Kinh; Quốc tịch: Việt Nam"),
        labelled("Nơi cư trú: ", home),
        labelled("Họ, chữ đệm, tên người cha: ", father.name.upper(), "bold"),
        labelled("Năm sinh: ", f"{father.birth_year}; Dân tộc: Kinh; Quốc tịch: Việt Nam"),
        labelled("Nơi cư trú: ", home),
    ]


def birth_extract(rng: random.Random) -> DocumentSpec:
    place = content.pick_place(rng)
    spec = base_spec(rng, "trich_luc_khai_sinh", content.commune_committee(place), "TLKS-BS")
    spec.title, spec.subtitle = ("TRÍCH LỤC KHAI SINH",), "(Bản sao)"
    child_year = rng.randint(1985, spec.issue_date.year - 1)
    father = content.make_person(rng, (child_year - 38, child_year - 21), "male")
    mother = content.make_person(rng, (father.birth_year - 2, child_year - 19), "female")
    child = content.make_person(rng, (child_year, child_year), family=father.name.split()[0])
    born = date(child.birth_year, rng.randint(1, 12), rng.randint(1, 28))
    registered = born + timedelta(days=rng.randint(3, 55))
    home = content.street_address(rng, place)
    where = f"{place.commune_full}, {place.district.full}, tỉnh {content.PROVINCE}"
    spec.body = [
        *birth_lines(rng, child, born, mother, father, home, where),
        labelled("Nơi đăng ký khai sinh: ", f"Ủy ban nhân dân {where}"),
        labelled("Ngày, tháng, năm đăng ký: ", short_date(registered)),
    ]
    spec.holder = holder_truth(child)
    return spec


def building_permit(rng: random.Random) -> DocumentSpec:
    place = content.pick_place(rng)
    issuer = rng.choice((content.district_committee(place.district), content.department("construction")))
    spec = base_spec(rng, "giay_phep_xay_dung", issuer, "GPXD")
    spec.title, spec.subtitle = ("GIẤY PHÉP XÂY DỰNG",), "(Sử dụng cho nhà ở riêng lẻ)"
    owner = content.make_person(rng, (1955, 1995))
    address = content.street_address(rng, place)
    floors = rng.randint(2, 5)
    footprint = rng.randint(600, 1400) / 10
    title_deed = days_before(rng, spec.issue_date, 200, 4000)
    parcel, sheet = rng.randint(12, 980), rng.randint(1, 48)  # drawn where the line used to draw them
    spec.body = [
        labelled(f"1. Cấp cho {honorific(owner)}: ", owner.name.upper(), "bold"),
        labelled("Địa chỉ: ", address),
        labelled("2. Được phép xây dựng công trình: ", "Nhà ở riêng lẻ"),
        plain(f"- Vị trí xây dựng: thửa đất số {parcel}, tờ bản đồ số {sheet}, "
              f"{place.commune_full}, {place.district.full}.", indent=0.0),
        plain(f"- Diện tích xây dựng tầng 1: {decimal(footprint)} m2; tổng diện tích sàn: "
              f"{decimal(footprint * floors)} m2.", indent=0.0),
        plain(f"- Chiều cao công trình: {decimal(floors * 3.6 + 0.9)} m; số tầng: {floors}.", indent=0.0),
        plain(f"3. Giấy tờ về quyền sử dụng đất: Giấy chứng nhận quyền sử dụng đất số "
              f"{rng.choice(texts.SERIAL_PREFIXES)} {rng.randint(100_000, 999_999)} cấp {long_date(title_deed)}.",
              indent=0.0),
        plain(texts.PERMIT_VALIDITY, indent=0.0),
    ]
    spec.distribution = ("- Như trên;", f"- UBND {place.commune_full};", "- Lưu: VT, QLXD.")
    spec.holder = holder_truth(owner, address, with_id=False)
    spec.extra = {"land_parcel": str(parcel), "map_sheet": str(sheet)}
    return spec



# ---- land titles and enterprise certificates ------------------------------------------------------

def procedure_code(rng: random.Random, doc_type: str) -> str:
    """A national procedure code (`1.004227`), or 40% of the time the provincial service code."""
    code = rng.choice(content.PROCEDURE_CODES[doc_type])
    return f"{code}.{content.PROVINCE_AGENCY_CODE}" if rng.random() < 0.4 else code


def with_procedure_code(rng: random.Random, spec: DocumentSpec) -> None:
    """Half the certificates print the code of the procedure they result from, last in the body."""
    if rng.random() < 0.5:
        code = procedure_code(rng, spec.doc_type)
        spec.body.append(labelled("Mã thủ tục hành chính: ", code))
        spec.extra["procedure_code"] = code


def years_later(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day)


def months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    days_in_month = ((date(year + month // 12, month % 12 + 1, 1)) - date(year, month, 1)).days
    return date(year, month, min(day.day, days_in_month))


def land_title(rng: random.Random) -> DocumentSpec:
    place = content.pick_place(rng)
    issuer = rng.choice((content.district_committee(place.district), content.department("environment")))
    spec = base_spec(rng, "giay_chung_nhan_qsdd", issuer, f"GCN-{issuer.notation}")
    spec.title = ("GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT")
    spec.subtitle = "(Quyền sở hữu nhà ở và tài sản khác gắn liền với đất)"
    land_serial = f"{rng.choice(texts.LAND_TITLE_SERIALS)} {rng.randint(0, 999_999):06d}"
    owner = content.make_person(rng, (1950, 1995))
    address = content.street_address(rng, place)
    parcel, sheet = rng.randint(12, 980), rng.randint(1, 48)
    whole, tenth = rng.randint(60, 600), rng.randint(1, 9)
    if rng.random() < 0.3:  # a whole number of square metres
        printed_area, land_area = f"{whole} m2", str(whole)
    else:
        printed_area, land_area = f"{whole},{tenth} m2", f"{whole}.{tenth}"
    if rng.random() < 0.6:
        term, valid_until = "Lâu dài", None
        purpose = "Đất ở tại đô thị" if place.commune_kind != "xã" else "Đất ở tại nông thôn"
    else:  # only farm land is given for a term
        valid_until = days_before(rng, years_later(spec.issue_date, rng.randint(20, 50)), 0, 180)
        term, purpose = f"đến ngày {short_date(valid_until)}", "Đất trồng cây lâu năm"
    spec.body = [
        labelled("Số phát hành: ", land_serial, "bold"),
        labelled("I. Người sử dụng đất:", ""),
        labelled(f"{honorific(owner).capitalize()}: ", owner.name.upper(), "bold"),
        labelled("Năm sinh: ", str(owner.birth_year)),
        labelled("Số định danh cá nhân: ", printed_personal_number(rng, owner.personal_number)),
        labelled("Địa chỉ thường trú: ", address),
        labelled("II. Thửa đất được quyền sử dụng:", ""),
        labelled("a) Thửa đất số: ", str(parcel)),
        labelled("b) Tờ bản đồ số: ", str(sheet)),
        labelled("c) Địa chỉ thửa đất: ", content.street_address(rng, place)),
        labelled("d) Diện tích: ", printed_area),
        labelled("đ) Hình thức sử dụng: ", rng.choice(texts.LAND_USES)),
        labelled("e) Mục đích sử dụng: ", purpose),
        labelled("g) Thời hạn sử dụng: ", term),
    ]
    spec.holder = holder_truth(owner, address)
    spec.extra = {"land_serial": land_serial, "land_parcel": str(parcel), "map_sheet": str(sheet),
                  "land_area": land_area}
    if valid_until:
        spec.extra["valid_until"] = valid_until.isoformat()
    with_procedure_code(rng, spec)
    return spec


def enterprise_code(rng: random.Random) -> str:
    """Ten digits, `25` for Vĩnh Phúc, the last a check digit (DOMAIN.md section 4)."""
    while True:
        digits = f"{content.ENTERPRISE_PROVINCE}{rng.randint(0, 9_999_999):07d}"
        check = 10 - sum(int(d) * w for d, w in zip(digits, content.ENTERPRISE_WEIGHTS)) % 11
        if check < 10:  # a remainder of 0 leaves no valid digit: draw again
            return f"{digits}{check}"


def enterprise(rng: random.Random) -> DocumentSpec:
    issuer = content.department("planning")
    spec = base_spec(rng, "giay_chung_nhan_dkdn", issuer, "GCN-ĐKKD")
    form, kind = rng.choice(content.COMPANY_FORMS)
    spec.title, spec.subtitle = ("GIẤY CHỨNG NHẬN", "ĐĂNG KÝ DOANH NGHIỆP"), kind
    company = f"{form} {rng.choice(content.COMPANY_TRADES)} {rng.choice(content.COMPANY_BRANDS)}"
    code = enterprise_code(rng)
    first = days_before(rng, spec.issue_date, 30, 2500) if rng.random() < 0.4 else spec.issue_date
    address = content.street_address(rng, content.pick_place(rng))
    capital = f"{rng.randint(5, 300) * 100_000_000:,}".replace(",", ".")
    director = content.make_person(rng, (1960, 1998))
    spec.body = [
        labelled("Mã số doanh nghiệp: ", code, "bold"),
        labelled("Đăng ký lần đầu: ", long_date(first)),
    ]
    if first != spec.issue_date:
        spec.body.append(labelled(f"Đăng ký thay đổi lần thứ {rng.randint(1, 4)}: ", long_date(spec.issue_date)))
        spec.extra["last_change_date"] = spec.issue_date.isoformat()
    spec.body += [
        labelled("1. Tên công ty viết bằng tiếng Việt: ", company, "bold"),
        labelled("2. Địa chỉ trụ sở chính: ", address),
        labelled("3. Vốn điều lệ: ", f"{capital} đồng"),
        Paragraph((("4. Người đại diện theo pháp luật: ", "regular"), (f"{director.name.upper()};", "bold"),
                   ("Chức danh: Giám đốc", "regular")), "left", indent=0.0),
    ]
    # An organisation's name is truth as printed, in capitals (docs/fields.md).
    spec.holder = {"holder_name": company, "holder_id": code, "address": address}
    with_procedure_code(rng, spec)
    return spec


# ---- civil status and certification: `Số:` is the register entry, with the register book under it ----

def register_spec(rng: random.Random, doc_type: str, issuer: Issuer, book_suffix: str = "") -> DocumentSpec:
    """A paper numbered by its register entry (`Số: 125`, no notation) with `Quyển số: 01/2021` under it."""
    spec = DocumentSpec(doc_type=doc_type, issuer=issuer, number=str(serial(rng, issuer)),
                        issue_date=pick_issue_date(rng), signing=signing_block(rng, issuer),
                        signer=signer_name(rng))
    book = f"{rng.randint(1, 3):02d}/{spec.issue_date.year}{book_suffix}"
    spec.header_extra = (f"Quyển số: {book}",)
    spec.extra = {"register_book": book}
    return spec


def birth_day(rng: random.Random, year: int) -> date:
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


def birth_certificate(rng: random.Random) -> DocumentSpec:
    place = content.pick_place(rng)
    spec = register_spec(rng, "giay_khai_sinh", content.commune_committee(place))
    spec.title, spec.subtitle = ("GIẤY KHAI SINH",), "(Bản chính)"
    born = days_before(rng, spec.issue_date, 3, 55)  # registered within 60 days of the birth
    father = content.make_person(rng, (born.year - 40, born.year - 21), "male")
    mother = content.make_person(rng, (father.birth_year - 2, born.year - 19), "female")
    child = content.make_person(rng, (born.year, born.year), family=father.name.split()[0])
    home = content.street_address(rng, place)
    where = f"{place.commune_full}, {place.district.full}, tỉnh {content.PROVINCE}"
    spec.body = birth_lines(rng, child, born, mother, father, home, where)
    spec.holder = holder_truth(child)
    return spec


def spouse_lines(rng: random.Random, person: Person, role: str, address: str) -> list[Paragraph]:
    return [
        labelled(f"Họ, chữ đệm, tên {role}: ", person.name.upper(), "bold"),
        labelled("Ngày, tháng, năm sinh: ", short_date(birth_day(rng, person.birth_year))),
        labelled("Dân tộc: ", "Kinh; Quốc tịch: Việt Nam"),
        labelled("Nơi cư trú: ", address),
        labelled("Số định danh cá nhân: ", printed_personal_number(rng, person.personal_number)),
    ]


def marriage_certificate(rng: random.Random) -> DocumentSpec:
    place = content.pick_place(rng)
    spec = register_spec(rng, "giay_chung_nhan_ket_hon", content.commune_committee(place))
    spec.title = ("GIẤY CHỨNG NHẬN KẾT HÔN",)
    year = spec.issue_date.year
    husband = content.make_person(rng, (year - 45, year - 20), "male")
    wife = content.make_person(rng, (husband.birth_year - 4, min(husband.birth_year + 12, year - 18)), "female")
    husband_address = content.street_address(rng, place)
    wife_address = content.street_address(rng, content.pick_place(rng))
    spec.body = [*spouse_lines(rng, husband, "chồng", husband_address),
                 *spouse_lines(rng, wife, "vợ", wife_address),
                 labelled("Ngày, tháng, năm đăng ký: ", short_date(spec.issue_date))]
    spec.holder = holder_truth(husband, husband_address)
    return spec


def marital_status(rng: random.Random) -> DocumentSpec:
    place = content.pick_place(rng)
    issuer = content.commune_committee(place)
    spec = base_spec(rng, "xac_nhan_tinh_trang_hon_nhan", issuer, "XNTTHN")
    spec.title = ("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",)
    person = content.make_person(rng, (1975, spec.issue_date.year - 18))
    address = content.street_address(rng, place)
    valid_until = months_later(spec.issue_date, 6)
    spec.body = [
        plain(f"{issuer.name} xác nhận:"),
        labelled("Họ, chữ đệm, tên: ", person.name.upper(), "bold"),
        labelled("Ngày, tháng, năm sinh: ", short_date(birth_day(rng, person.birth_year))),
        labelled("Giới tính: ", f"{person.gender_label}; Dân tộc: Kinh; Quốc tịch: Việt Nam"),
        labelled("Số định danh cá nhân: ", printed_personal_number(rng, person.personal_number)),
        labelled("Nơi cư trú: ", address),
        labelled("Tình trạng hôn nhân: ", "Chưa đăng ký kết hôn với ai."),
        labelled("Giấy này được cấp để: ", "làm thủ tục đăng ký kết hôn."),
        labelled("Giấy này có giá trị sử dụng đến ngày: ", short_date(valid_until)),
    ]
    spec.holder = holder_truth(person, address)
    spec.extra = {"valid_until": valid_until.isoformat()}
    return spec


def certified_copy(rng: random.Random) -> DocumentSpec:
    place = content.pick_place(rng)
    issuer = rng.choice((content.commune_committee(place), content.district_office(place.district, "justice")))
    spec = register_spec(rng, "chung_thuc", issuer, "-SCT/BS")
    spec.title = ("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH",)
    spec.body = [plain("Chứng thực bản sao này đúng với bản chính."),
                 plain(f"Số trang của bản sao: {rng.randint(1, 6):02d}.")]
    return spec


# ---- holders inside the body (the `holders_in_body` condition of samples/generate.py) --------------

def prose_company(rng: random.Random) -> str:
    """A company as decisions write it in running text: `Công ty TNHH Xây dựng Hoàng Long`."""
    form = rng.choice(("Công ty TNHH", "Công ty cổ phần"))
    trade = rng.choice(content.COMPANY_TRADES).lower()
    brand = " ".join(word.capitalize() for word in rng.choice(content.COMPANY_BRANDS).lower().split())
    return f"{form} {trade.capitalize()} {brand}"


def permit_decision(rng: random.Random) -> DocumentSpec:
    """A district decision that names its holder in the first article's prose: a person with birth,
    personal number and residence, or a company with its code and seat (`Cho phép ông ..., sinh năm ...`)."""
    place = content.pick_place(rng)
    spec = base_spec(rng, "quyet_dinh", content.district_committee(place.district), "QĐ-UBND")
    where = f"{place.commune_full}, {place.district.full}"
    area, parcel, sheet = rng.randint(60, 400), rng.randint(12, 980), rng.randint(1, 48)
    address = content.street_address(rng, content.pick_place(rng, place.district))
    land = f"{area} m2 đất trồng cây lâu năm sang đất ở tại thửa đất số {parcel}, tờ bản đồ số {sheet}, {where}"
    form = rng.choice(("allow", "recognise", "company"))
    if form == "company":
        holder, code = prose_company(rng), enterprise_code(rng)
        named = holder
        who = f"{holder} (mã số doanh nghiệp: {code}; địa chỉ trụ sở chính: {address})"
        spec.holder = {"holder_name": holder, "holder_id": code, "address": address}
    else:
        person = content.make_person(rng, (1955, 1998))
        named = f"{honorific(person)} {person.name}"
        number = printed_personal_number(rng, person.personal_number)
        if form == "allow":
            who = f"{named}, sinh năm {person.birth_year}, CCCD số {number}, thường trú tại {address}"
        else:
            born = short_date(birth_day(rng, person.birth_year))
            who = f"{named} (sinh ngày {born}, số định danh cá nhân: {number}, nơi thường trú: {address})"
        spec.holder = holder_truth(person, address)
    spec.subject = f"Về việc cho phép {named} chuyển mục đích sử dụng đất"
    decision_frame(spec, [texts.LOCAL_GOVERNMENT_LAW, *texts.LAND_BASES,
                          proposal_basis(rng, spec, "Trưởng phòng Tài nguyên và Môi trường", "TNMT")])
    verb = "Công nhận" if form == "recognise" else "Cho phép"
    spec.body += [
        article(1, f"{verb} {who} được chuyển mục đích sử dụng {land}."),
        article(2, texts.LAND_DUTIES.format(commune=place.commune_full, district=place.district.full)),
        article(3, texts.LAND_EXECUTION.format(district=place.district.full, commune=place.commune_full,
                                               household=named)),
    ]
    spec.distribution = ("- Như Điều 3;", "- Chủ tịch, các PCT UBND huyện;", "- Chi cục Thuế khu vực;",
                         "- Lưu: VT, TNMT.")
    spec.extra = {"land_parcel": str(parcel), "map_sheet": str(sheet)}
    return spec


def certification_statement(rng: random.Random) -> DocumentSpec:
    """The certification as printed on the copy: no `Số:` header and no place-and-date line; the
    entry and book in `Số chứng thực ..., Quyển số ... - SCT/BS`, the day on the line under them."""
    spec = certified_copy(rng)
    spec.numbered = spec.dated = False
    book = spec.extra["register_book"]
    printed_book = book.replace("-", " - ") if rng.random() < 0.5 else book
    colon = ":" if rng.random() < 0.5 else ""
    spec.header_extra = ()
    spec.body = [plain("Chứng thực bản sao này đúng với bản chính."),
                 plain(f"Số chứng thực{colon} {spec.number}, Quyển số{colon} {printed_book}", indent=0.0),
                 plain(long_date(spec.issue_date).capitalize(), indent=0.0)]
    return spec


IN_BODY_BUILDERS: dict[str, Callable[[random.Random], DocumentSpec]] = {
    "quyet_dinh": permit_decision,
    "chung_thuc": certification_statement,
    "giay_chung_nhan_hkd": lambda rng: household_business(rng, form_dates=True),
}


# ---- plans, reports and schemes ------------------------------------------------------------------

def planning_paper(rng: random.Random, doc_type: str, abbreviation: str, title: str,
                   subjects: tuple[str, ...], sections: tuple[tuple[str, tuple[str, ...]], ...]) -> DocumentSpec:
    """A province or district committee's plan, report or scheme: trích yếu under the title,
    bold numbered section headings, a few paragraphs under each."""
    district = rng.choice(content.DISTRICTS)
    issuer = rng.choice((content.PROVINCE_COMMITTEE, content.district_committee(district)))
    spec = base_spec(rng, doc_type, issuer, f"{abbreviation}-UBND")
    spec.title = (title,)
    year = spec.issue_date.year
    area = f"tỉnh {content.PROVINCE}" if issuer.level == "province" else district.full
    period = f"6 tháng đầu năm {year}" if spec.issue_date.month >= 6 else f"năm {year - 1}"
    spec.subject = rng.choice(subjects).format(year=year, period=period, area=area, until=year + rng.randint(2, 4))
    for heading, paragraphs in sections:
        spec.body.append(Paragraph(((heading, "bold"),), "left", indent=0.0))
        keep = sorted(rng.sample(range(len(paragraphs)), rng.randint(1, len(paragraphs))))
        spec.body += [plain(paragraphs[index].format(short=issuer.short)) for index in keep]
    if issuer.level == "province":
        spec.distribution = ("- Thường trực Tỉnh ủy;", "- Thường trực HĐND tỉnh;", "- Chủ tịch, các PCT UBND tỉnh;",
                             "- Các sở, ban, ngành;", "- UBND các huyện, thành phố;", "- Lưu: VT, TH.")
    else:
        party = "Huyện ủy" if district.kind == "huyện" else "Thành ủy"
        spec.distribution = ("- UBND tỉnh (b/c);", f"- Thường trực {party};",
                             f"- Chủ tịch, các PCT UBND {district.kind};", "- Các cơ quan, đơn vị liên quan;",
                             "- Lưu: VT, VP.")
    return spec


def plan(rng: random.Random) -> DocumentSpec:
    return planning_paper(rng, "ke_hoach", "KH", "KẾ HOẠCH", texts.PLAN_SUBJECTS, texts.PLAN_SECTIONS)


def report(rng: random.Random) -> DocumentSpec:
    return planning_paper(rng, "bao_cao", "BC", "BÁO CÁO", texts.REPORT_SUBJECTS, texts.REPORT_SECTIONS)


def scheme(rng: random.Random) -> DocumentSpec:
    return planning_paper(rng, "de_an", "ĐA", "ĐỀ ÁN", texts.SCHEME_SUBJECTS, texts.SCHEME_SECTIONS)


BUILDERS: dict[str, dict[str, Callable[[random.Random], DocumentSpec]]] = {
    "quyet_dinh": {"land_allocation": land_allocation, "recognition": recognition, "new_rural": new_rural,
                   "regulation": regulation},
    "cong_van": {"justice": justice_letter, "committee": committee_letter, "office": office_letter,
                 "sector": sector_letter},
    "thong_bao": {"notice": notice},
    "giay_chung_nhan_hkd": {"household_business": household_business},
    "trich_luc_khai_sinh": {"birth_extract": birth_extract},
    "giay_phep_xay_dung": {"building_permit": building_permit},
    "giay_chung_nhan_qsdd": {"land_title": land_title},
    "giay_chung_nhan_dkdn": {"enterprise": enterprise},
    "giay_khai_sinh": {"birth_certificate": birth_certificate},
    "giay_chung_nhan_ket_hon": {"marriage_certificate": marriage_certificate},
    "xac_nhan_tinh_trang_hon_nhan": {"marital_status": marital_status},
    "chung_thuc": {"certified_copy": certified_copy},
    "ke_hoach": {"plan": plan},
    "bao_cao": {"report": report},
    "de_an": {"scheme": scheme},
}
DOC_TYPES = tuple(BUILDERS)


def build_spec(rng: random.Random, doc_type: str, variant: str | None = None, in_body: bool = False) -> DocumentSpec:
    """`in_body`: a type that names its holder or date inside the body has it so (IN_BODY_BUILDERS)."""
    if in_body and variant is None and doc_type in IN_BODY_BUILDERS:
        return IN_BODY_BUILDERS[doc_type](rng)
    variants = BUILDERS[doc_type]
    builder = variants[variant] if variant else variants[rng.choice(sorted(variants))]
    return builder(rng)
