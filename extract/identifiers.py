"""Holder identifiers: 12-digit personal number, 9-digit old ID card, 10/13-digit enterprise code.

Each check returns the reason a number is wrong, or None. They never alter the number.
"""

from __future__ import annotations

import datetime as dt

# Province of birth registration, first 3 digits of the personal number (the 63 provinces
# before the 2025 mergers; the codes in between were never assigned).
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

# Century of birth by the 4th digit: even = male, odd = female. Later centuries (4-9)
# cannot occur on papers of people alive today.
_CENTURY_BY_DIGIT = {"0": 1900, "1": 1900, "2": 2000, "3": 2000}

# Weights of the enterprise/tax code check digit (the 10th digit).
_ENTERPRISE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def personal_number_problem(number: str, today: dt.date | None = None) -> str | None:
    today = today or dt.date.today()
    if len(number) != 12 or not number.isdigit():
        return "not 12 digits"
    province = number[:3]
    if province not in PROVINCE_CODES:
        return f"province code {province} unknown"
    century = _CENTURY_BY_DIGIT.get(number[3])
    if century is None:
        return f"century digit {number[3]} unknown"
    birth_year = century + int(number[4:6])
    if birth_year > today.year:
        return f"birth year {birth_year} in the future"
    return None


def personal_number_mismatch(number: str, birth_year: int | None, gender: str | None) -> str | None:
    """Whether a valid personal number disagrees with the birth year or gender printed beside it."""
    century_digit = int(number[3])
    born = _CENTURY_BY_DIGIT[number[3]] + int(number[4:6])
    if birth_year is not None and born != birth_year:
        return f"personal number says born {born}, the paper says {birth_year}"
    coded = "female" if century_digit % 2 else "male"
    if gender is not None and coded != gender:
        return f"personal number says {coded}, the paper says {gender}"
    return None


def enterprise_check_digit(first_nine: str) -> int | None:
    """The 10th digit a code must end with; None when no digit can satisfy the rule."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _ENTERPRISE_WEIGHTS))
    check = 10 - total % 11
    return check if check < 10 else None


def enterprise_code_problem(code: str) -> str | None:
    if len(code) not in (10, 13) or not code.isdigit():
        return "not 10 or 13 digits"
    expected = enterprise_check_digit(code[:9])
    if expected is None or int(code[9]) != expected:
        return "enterprise code check digit wrong"
    return None


def holder_id_problem(digits: str, today: dt.date | None = None) -> str | None:
    """Validate a holder identifier by its length: 12 personal, 9 old ID, 10/13 enterprise."""
    if len(digits) == 12:
        return personal_number_problem(digits, today)
    if len(digits) == 9:
        return None if digits.isdigit() else "not 9 digits"
    if len(digits) in (10, 13):
        return enterprise_code_problem(digits)
    return f"{len(digits)} digits is no known identifier length"
