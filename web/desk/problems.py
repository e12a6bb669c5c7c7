"""Why a value was refused, in the words of a clerk. The validators (extract/, flows/review.py)
state their problems in English for operators; they are matched here, and a problem not known yet
is shown as it is rather than hidden."""

from __future__ import annotations

import re

_PROBLEMS: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern), text) for pattern, text in (
    (r"not 12 digits", "số định danh cá nhân phải có đúng 12 chữ số"),
    (r"province code (\d+) unknown", "mã tỉnh {0} không tồn tại"),
    (r"century digit (\d) unknown", "chữ số thế kỷ {0} không hợp lệ"),
    (r"birth year (\d+) in the future", "năm sinh {0} chưa đến"),
    (r"personal number says born (\S+), the paper says (\S+)", "số định danh ghi năm sinh {0}, giấy tờ ghi {1}"),
    (r"personal number says (\S+), the paper says (\S+)", "số định danh ghi giới tính {0}, giấy tờ ghi {1}"),
    (r"not 10 or 13 digits", "mã số doanh nghiệp phải có 10 hoặc 13 chữ số"),
    (r"enterprise code check digit wrong", "chữ số kiểm tra của mã số doanh nghiệp không đúng"),
    (r"(\d+) digits is no known identifier length", "{0} chữ số: không phải độ dài của mã định danh nào"),
    (r"not an ISO date YYYY-MM-DD", "ngày phải viết theo dạng năm-tháng-ngày, ví dụ 2021-02-03"),
    (r"not a calendar date", "không có ngày này trên lịch"),
    (r"before (\d+)", "trước năm {0}"),
    (r"in the future", "là ngày chưa đến"),
    (r"not <number>/<type>-<issuer>", "phải có dạng số/loại văn bản-cơ quan, ví dụ 12/QĐ-UBND"),
    (r"type abbreviation (\S+) is not (.+)", "chữ viết tắt loại văn bản {0} không phải {1}"),
    (r"type abbreviation (\S+) looks like (\S+) doubled", "chữ viết tắt loại văn bản {0} giống {1} bị lặp chữ"),
    (r"not (.+)", "không đúng dạng: {0}"),
)]
# `invalid: holder_id (not 12 digits)`: the validator's problem inside a review reason.
_REASON_DETAIL = re.compile(r"invalid: \w+ \((?P<problem>.+)\)")


def problem_text(problem: str) -> str:
    """A validator's problem in Vietnamese (the English kept when no translation is known)."""
    for pattern, text in _PROBLEMS:
        if match := pattern.fullmatch(problem):
            return text.format(*match.groups())
    return problem


def reason_detail(reason: str) -> str | None:
    """What exactly an `invalid:` reason found wrong, in Vietnamese; None for other reasons."""
    match = _REASON_DETAIL.fullmatch(reason)
    return problem_text(match.group("problem")) if match else None
