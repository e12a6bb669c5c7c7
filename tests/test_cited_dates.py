"""A cited number's date misread by one figure is the date administrative text cites it with."""

from __future__ import annotations

import datetime as dt

from ocr.cited_dates import cited_dates, restore_cited_dates
from ocr.types import Line, Word

TABLE = {"63/2010/NĐ-CP": dt.date(2010, 6, 8), "92/2017/NĐ-CP": dt.date(2017, 8, 7)}


def _line(text: str, top: float = 0.5) -> Line:
    words = [Word(text=t, confidence=0.9, bbox=(0.1 * i, top, 0.1 * i + 0.08, top + 0.02)) for i, t in enumerate(text.split())]
    return Line.from_words(words, 0)


def _restored(*texts: str) -> list[str]:
    lines = [_line(text, 0.1 * k) for k, text in enumerate(texts)]
    return [line.text for line in restore_cited_dates(lines, TABLE)]


def test_one_figure_misread_is_the_cited_date():
    assert _restored("Căn cứ Nghị định số 63/2010/NĐ-CP ngày 06/6/2010 của Chính phủ;") == [
        "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ;"]
    # written without the zero, with its punctuation, across a line's end
    assert _restored("Nghị định số 92/2017/NĐ-CP ngày", "7/6/2017; Thông tư") == [
        "Nghị định số 92/2017/NĐ-CP ngày", "7/8/2017; Thông tư"]
    # in words
    assert _restored("63/2010/NĐ-CP, ngày 06 tháng 6 năm 2010") == ["63/2010/NĐ-CP, ngày 08 tháng 6 năm 2010"]
    assert _restored("63/2010/NĐ-CP ngày 08 tháng 6 năm 2016;") == ["63/2010/NĐ-CP ngày 08 tháng 6 năm 2010;"]


def test_other_dates_and_numbers_stay():
    for text in (
        "63/2010/NĐ-CP ngày 08/6/2010",  # right already
        "63/2010/NĐ-CP ngày 18/7/2010",  # two figures other: another date, not a misreading
        "63/2010/NĐ-CP ngày 08/6/201",  # a figure missing is not one misread
        "63/2011/NĐ-CP ngày 06/6/2010",  # a number the table does not know
        "63/2010/NĐ-CP của Chính phủ ngày 06/6/2010",  # not its date
        "63/2010/NĐ-CP ngày 06 tháng 6",  # no year
    ):
        assert _restored(text) == [text]


def test_the_shipped_table_knows_the_commonest_legal_bases():
    table = cited_dates()
    assert table["63/2010/NĐ-CP"] == dt.date(2010, 6, 8)
    assert table["92/2017/NĐ-CP"] == dt.date(2017, 8, 7)
    assert table["02/2017/TT-VPCP"] == dt.date(2017, 10, 31)


def test_a_number_garbled_or_cut_before_a_date_the_table_knows_is_that_number():
    table = {**TABLE, "02/2017/TT-VPCP": dt.date(2017, 10, 31)}

    def restored(*texts: str) -> list[str]:
        return [line.text for line in restore_cited_dates([_line(t, 0.1 * k) for k, t in enumerate(texts)], table)]

    assert restored("Thông tư số 02/201 ZTT-VPCP ngày 31/10/2017 của") == ["Thông tư số 02/2017/TT-VPCP ngày 31/10/2017 của"]
    assert restored("Thông tư số 02/2017/TT: -VPCP ngày 31/10/2017") == ["Thông tư số 02/2017/TT-VPCP ngày 31/10/2017"]
    for text in (
        "Thông tư số 03/2017/TT-VPCP ngày 31/10/2017",  # well formed: another circular of that day
        "Thông tư số 02/2017/TT-VPCP ngày 31/10/2017",  # right already
        "Quyết định số 1234/QĐ-UBND ngày 31/10/2017",  # far from the number of that day
        "Thông tư số 02/201 ZTT-VPCP ngày 30/10/2017",  # a day the table dates nothing
    ):
        assert restored(text) == [text]
