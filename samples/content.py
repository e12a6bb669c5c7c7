"""Data tables for the generator: places, people, issuing bodies and signing blocks of Vĩnh Phúc.

Every truth value is written here by hand (normal-case names, titles) next to its printed form,
so that the truth never comes from code the extractor could share. Places are the 2022
district-level units of Vĩnh Phúc (before the July 2025 merger) with a sample of their communes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PROVINCE = "Vĩnh Phúc"
PROVINCE_CODE = "026"
# Provinces of birth registration for people born elsewhere (Phú Thọ, Hà Nội, Tuyên Quang, Thái Nguyên).
OTHER_PROVINCE_CODES = ("025", "001", "008", "019")


@dataclass(frozen=True)
class District:
    kind: str  # "huyện" or "thành phố", as written in normal case
    name: str
    communes: tuple[tuple[str, str], ...]  # (kind, name): kind is "xã", "phường" or "thị trấn"

    @property
    def full(self) -> str:
        return f"{self.kind} {self.name}"


DISTRICTS = (
    District("thành phố", "Vĩnh Yên", (("phường", "Đống Đa"), ("phường", "Liên Bảo"), ("phường", "Ngô Quyền"),
                                        ("phường", "Tích Sơn"), ("phường", "Khai Quang"), ("xã", "Thanh Trù"))),
    District("thành phố", "Phúc Yên", (("phường", "Hùng Vương"), ("phường", "Trưng Trắc"), ("phường", "Xuân Hòa"),
                                        ("phường", "Đồng Xuân"), ("xã", "Cao Minh"), ("xã", "Ngọc Thanh"))),
    District("huyện", "Lập Thạch", (("thị trấn", "Lập Thạch"), ("thị trấn", "Hoa Sơn"), ("xã", "Liễn Sơn"),
                                     ("xã", "Tử Du"), ("xã", "Bàn Giản"), ("xã", "Triệu Đề"), ("xã", "Văn Quán"))),
    District("huyện", "Tam Dương", (("thị trấn", "Hợp Hòa"), ("xã", "Hoàng Đan"), ("xã", "Hoàng Hoa"),
                                     ("xã", "Hướng Đạo"), ("xã", "Duy Phiên"), ("xã", "Kim Long"), ("xã", "An Hòa"))),
    District("huyện", "Tam Đảo", (("thị trấn", "Hợp Châu"), ("thị trấn", "Đại Đình"), ("xã", "Tam Quan"),
                                   ("xã", "Hồ Sơn"), ("xã", "Minh Quang"), ("xã", "Đạo Trù"))),
    District("huyện", "Bình Xuyên", (("thị trấn", "Hương Canh"), ("thị trấn", "Gia Khánh"), ("xã", "Bá Hiến"),
                                      ("xã", "Thiện Kế"), ("xã", "Sơn Lôi"), ("xã", "Tam Hợp"), ("xã", "Quất Lưu"))),
    District("huyện", "Yên Lạc", (("thị trấn", "Yên Lạc"), ("xã", "Đồng Cương"), ("xã", "Tề Lỗ"),
                                   ("xã", "Trung Nguyên"), ("xã", "Liên Châu"), ("xã", "Nguyệt Đức"))),
    District("huyện", "Vĩnh Tường", (("thị trấn", "Vĩnh Tường"), ("thị trấn", "Thổ Tang"), ("xã", "Kim Xá"),
                                      ("xã", "Chấn Hưng"), ("xã", "Đại Đồng"), ("xã", "Lũng Hòa"), ("xã", "Tam Phúc"))),
    District("huyện", "Sông Lô", (("thị trấn", "Tam Sơn"), ("xã", "Đồng Thịnh"), ("xã", "Đức Bác"),
                                   ("xã", "Nhạo Sơn"), ("xã", "Lãng Công"), ("xã", "Nhân Đạo"), ("xã", "Hải Lựu"))),
)

VILLAGES = ("Thôn Đồng Bông", "Thôn Tân Lập", "Thôn Quang Trung", "Thôn Đông", "Thôn Lai Sơn", "Thôn Hòa Bình",
            "Thôn Đồng Tâm", "Thôn Cửa Sông", "Thôn Yên Thượng", "Thôn Phú Hậu")
NEIGHBOURHOODS = ("Tổ dân phố số 2", "Tổ dân phố số 5", "Tổ dân phố Đồng Lạc", "Tổ dân phố Hùng Vương")
STREETS = ("đường Nguyễn Tất Thành", "đường Lê Lợi", "đường Hùng Vương", "đường Mê Linh", "đường Kim Ngọc")


@dataclass(frozen=True)
class Place:
    district: District
    commune_kind: str
    commune: str

    @property
    def commune_full(self) -> str:
        return f"{self.commune_kind} {self.commune}"


def pick_place(rng: random.Random, district: District | None = None) -> Place:
    district = district or rng.choice(DISTRICTS)
    kind, commune = rng.choice(district.communes)
    return Place(district, kind, commune)


def street_address(rng: random.Random, place: Place) -> str:
    """A one-line address down to the house, as printed on certificates."""
    if place.commune_kind == "xã":
        start = rng.choice(VILLAGES)
    elif place.commune_kind == "phường" and rng.random() < 0.6:
        start = f"Số {rng.randint(2, 180)}, {rng.choice(STREETS)}"
    else:
        start = rng.choice(NEIGHBOURHOODS)
    return f"{start}, {place.commune_full}, {place.district.full}, tỉnh {PROVINCE}"


# ---- people --------------------------------------------------------------------------------

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương",
                "Phan", "Đào", "Hà", "Kiều", "Lương", "Tạ", "Khổng", "Lưu", "Trịnh")
MIDDLE_NAMES = {"male": ("Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Tiến", "Thế"),
                "female": ("Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Phương", "Thị Thu", "Minh")}
GIVEN_NAMES = {"male": ("An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Long", "Nam", "Quân", "Sơn", "Thắng",
                        "Tuấn", "Việt", "Khánh", "Đạt", "Tiến", "Hoàng", "Trung", "Quyết", "Thành", "Khang"),
               "female": ("Anh", "Hà", "Hằng", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Nhung", "Phương",
                          "Thảo", "Trang", "Vân", "Yến", "Huyền", "Loan", "Thúy", "Diệp", "Oanh")}


@dataclass(frozen=True)
class Person:
    name: str  # each syllable capitalised: the truth form
    gender: str  # "male" or "female"
    birth_year: int
    personal_number: str  # 12 digits

    @property
    def gender_label(self) -> str:
        return "Nam" if self.gender == "male" else "Nữ"


def personal_number(rng: random.Random, gender: str, birth_year: int) -> str:
    """DOMAIN.md section 4: province of birth registration + century/gender digit + year + 6 digits."""
    province = PROVINCE_CODE if rng.random() < 0.85 else rng.choice(OTHER_PROVINCE_CODES)
    century = (birth_year // 100 - 19) * 2 + (gender == "female")
    return f"{province}{century}{birth_year % 100:02d}{rng.randint(0, 999_999):06d}"


def make_person(rng: random.Random, birth_years: tuple[int, int], gender: str | None = None,
                family: str | None = None) -> Person:
    gender = gender or rng.choice(("male", "female"))
    family = family or rng.choice(FAMILY_NAMES)
    name = f"{family} {rng.choice(MIDDLE_NAMES[gender])} {rng.choice(GIVEN_NAMES[gender])}"
    year = rng.randint(*birth_years)
    return Person(name, gender, year, personal_number(rng, gender, year))


# ---- issuing bodies and who signs for them ----------------------------------------------------

@dataclass(frozen=True)
class Issuer:
    superior: str | None  # printed line above the body, not bold
    body: tuple[str, ...]  # printed bold lines of the issuing body
    name: str  # truth `issuer`: normal case, place appended per docs/fields.md
    short: str  # how the body names itself in running text
    place: str  # địa danh on the place-and-date line
    level: str  # "province", "district" or "commune"
    notation: str  # issuer abbreviation in numbers and notations
    units: tuple[str, ...]  # drafting units that may follow the notation of a letter
    signing: str  # key of SIGNING_BLOCKS
    head: str  # printed title of the head, for the authority line of a decision


@dataclass(frozen=True)
class SigningBlock:
    authority: tuple[str, ...]  # printed prefix lines: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    title: str  # printed title right above the signature
    title_truth: str  # truth `signer_title`


SIGNING_BLOCKS = {
    "committee": (
        SigningBlock(("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH", "Chủ tịch"),
        SigningBlock(("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH", "Phó Chủ tịch"),
        SigningBlock(("KT. CHỦ TỊCH",), "PHÓ CHỦ TỊCH", "Phó Chủ tịch"),
    ),
    "committee_office": (
        SigningBlock(("TL. CHỦ TỊCH",), "CHÁNH VĂN PHÒNG", "Chánh Văn phòng"),
        SigningBlock(("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"), "PHÓ CHÁNH VĂN PHÒNG", "Phó Chánh Văn phòng"),
    ),
    "department": (
        SigningBlock((), "GIÁM ĐỐC", "Giám đốc"),
        SigningBlock(("KT. GIÁM ĐỐC",), "PHÓ GIÁM ĐỐC", "Phó Giám đốc"),
    ),
    "office": (
        SigningBlock((), "TRƯỞNG PHÒNG", "Trưởng phòng"),
        SigningBlock(("KT. TRƯỞNG PHÒNG",), "PHÓ TRƯỞNG PHÒNG", "Phó Trưởng phòng"),
    ),
    "tax_office": (
        SigningBlock((), "CHI CỤC TRƯỞNG", "Chi cục trưởng"),
        SigningBlock(("KT. CHI CỤC TRƯỞNG",), "PHÓ CHI CỤC TRƯỞNG", "Phó Chi cục trưởng"),
    ),
}

PROVINCE_COMMITTEE = Issuer(
    superior=None, body=("ỦY BAN NHÂN DÂN", "TỈNH VĨNH PHÚC"), name="Ủy ban nhân dân tỉnh Vĩnh Phúc",
    short="UBND tỉnh", place=PROVINCE, level="province", notation="UBND",
    units=("VX1", "VX2", "KT1", "NN3", "TH", "NC"), signing="committee", head="ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC",
)

# (printed body lines, normal-case name, notation, letter units)
DEPARTMENTS = {
    "justice": (("SỞ TƯ PHÁP",), "Sở Tư pháp", "STP", ("HCTP", "BTTP", "VP", "XDKTVB")),
    "environment": (("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",), "Sở Tài nguyên và Môi trường", "STNMT", ("ĐĐBĐ", "CCQLĐĐ", "VP")),
    "construction": (("SỞ XÂY DỰNG",), "Sở Xây dựng", "SXD", ("QLHĐXD", "QHKT", "VP")),
    "planning": (("SỞ KẾ HOẠCH VÀ ĐẦU TƯ",), "Sở Kế hoạch và Đầu tư", "SKHĐT", ("ĐKKD", "TH", "VP")),
    "culture": (("SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"), "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", ("QLVH", "VP")),
}

# District offices: (printed body, normal-case name, notation, short name in running text)
DISTRICT_OFFICES = {
    "finance": ("PHÒNG TÀI CHÍNH - KẾ HOẠCH", "Phòng Tài chính - Kế hoạch", "TCKH"),
    "justice": ("PHÒNG TƯ PHÁP", "Phòng Tư pháp", "TP"),
    "environment": ("PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Phòng Tài nguyên và Môi trường", "TNMT"),
    "infrastructure": ("PHÒNG KINH TẾ VÀ HẠ TẦNG", "Phòng Kinh tế và Hạ tầng", "KTHT"),
}

PROVINCE_SUPERIOR = "UBND TỈNH VĨNH PHÚC"


def department(key: str) -> Issuer:
    body, name, notation, units = DEPARTMENTS[key]
    return Issuer(superior=PROVINCE_SUPERIOR, body=body, name=f"{name} tỉnh {PROVINCE}", short=name,
                  place=PROVINCE, level="province", notation=notation, units=units, signing="department",
                  head="GIÁM ĐỐC " + " ".join(body))


def district_committee(district: District) -> Issuer:
    return Issuer(superior=None, body=("ỦY BAN NHÂN DÂN", district.full.upper()),
                  name=f"Ủy ban nhân dân {district.full}", short=f"UBND {district.kind}", place=district.name,
                  level="district", notation="UBND", units=("VP", "TNMT", "TCKH", "VHTT", "NV"),
                  signing="committee", head=f"ỦY BAN NHÂN DÂN {district.full.upper()}")


def district_office(district: District, key: str) -> Issuer:
    body, name, notation = DISTRICT_OFFICES[key]
    return Issuer(superior=f"UBND {district.full.upper()}", body=(body,), name=f"{name} {district.full}",
                  short=name, place=district.name, level="district", notation=notation, units=(),
                  signing="office", head=f"TRƯỞNG {body}")


# Bodies beyond the People's Committees, printed under their parent (issue 11): the lower line
# issues. (parent, body lines, normal-case name, notation, signing key, ranked signer)
SECTOR_BODIES = {
    "police": ("CÔNG AN TỈNH VĨNH PHÚC", ("PHÒNG CẢNH SÁT GIAO THÔNG",),
               "Phòng Cảnh sát giao thông tỉnh Vĩnh Phúc", "PC08", "office", True),
    "police_admin": ("CÔNG AN TỈNH VĨNH PHÚC", ("PHÒNG CẢNH SÁT QUẢN LÝ", "HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"),
                     "Phòng Cảnh sát quản lý hành chính về trật tự xã hội tỉnh Vĩnh Phúc", "PC06", "office", True),
    "hospital": ("SỞ Y TẾ TỈNH VĨNH PHÚC", ("BỆNH VIỆN ĐA KHOA", "TỈNH VĨNH PHÚC"),
                 "Bệnh viện Đa khoa tỉnh Vĩnh Phúc", "BVĐK", "department", False),
}
# A tax office of a district: `CỤC THUẾ TỈNH VĨNH PHÚC` / `CHI CỤC THUẾ HUYỆN ...`.
TAX_PARENT = "CỤC THUẾ TỈNH VĨNH PHÚC"
# Ranks printed before an officer's name in the signature block; not part of `signer`.
RANKS = ("Thiếu tá", "Trung tá", "Thượng tá", "Đại úy", "Đại tá")


def sector_body(key: str) -> Issuer:
    parent, body, name, notation, signing, _ = SECTOR_BODIES[key]
    return Issuer(superior=parent, body=body, name=name, short=name.removesuffix(f" tỉnh {PROVINCE}"),
                  place=PROVINCE, level="province", notation=notation, units=(), signing=signing,
                  head=" ".join(body))


def tax_office(district: District) -> Issuer:
    return Issuer(superior=TAX_PARENT, body=(f"CHI CỤC THUẾ {district.full.upper()}",),
                  name=f"Chi cục Thuế {district.full}", short="Chi cục Thuế", place=district.name,
                  level="district", notation="CCT", units=(), signing="tax_office",
                  head=f"CHI CỤC TRƯỞNG CHI CỤC THUẾ {district.full.upper()}")


def commune_committee(place: Place) -> Issuer:
    return Issuer(superior=f"UBND {place.district.full.upper()}", body=(f"UBND {place.commune_full.upper()}",),
                  name=f"Ủy ban nhân dân {place.commune_full}", short=f"UBND {place.commune_kind}",
                  place=place.commune, level="commune", notation="UBND", units=("TP", "VP"),
                  signing="committee", head=f"ỦY BAN NHÂN DÂN {place.commune_full.upper()}")


SIGNER_BIRTH_YEARS = (1965, 1985)


# ---- companies -----------------------------------------------------------------------------

# (printed form prefix, subtitle of the enterprise certificate)
COMPANY_FORMS = (
    ("CÔNG TY TNHH", "(Công ty trách nhiệm hữu hạn một thành viên)"),
    ("CÔNG TY CỔ PHẦN", "(Công ty cổ phần)"),
)
COMPANY_TRADES = ("THƯƠNG MẠI", "XÂY DỰNG", "THƯƠNG MẠI VÀ DỊCH VỤ", "VẬN TẢI", "CÔNG NGHỆ",
                  "SẢN XUẤT VÀ THƯƠNG MẠI", "ĐẦU TƯ VÀ PHÁT TRIỂN", "CƠ KHÍ")
COMPANY_BRANDS = ("HOÀNG LONG", "MINH PHÁT", "AN PHÚ", "THÀNH ĐẠT", "PHÚC THỊNH", "HƯNG THỊNH", "TÂN PHÁT",
                  "ĐỨC MINH", "NAM SƠN", "VIỆT TIẾN", "TAM ĐẢO XANH", "KIM LONG")
ENTERPRISE_PROVINCE = "25"  # first two digits of enterprise (tax) codes registered in Vĩnh Phúc
ENTERPRISE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)  # DOMAIN.md section 4


# ---- administrative procedures -------------------------------------------------------------

# National procedure codes (mã TTHC, `D.DDDDDD`) whose result is the document type.
PROCEDURE_CODES = {
    "giay_chung_nhan_qsdd": ("1.004227", "1.003003", "1.001990", "2.000889"),
    "giay_chung_nhan_dkdn": ("1.001612", "2.001610", "1.005363"),
}
# The provincial service code appends the agency code (DOMAIN.md section 4); Vĩnh Phúc is H62.
PROVINCE_AGENCY_CODE = "000.00.00.H62"
