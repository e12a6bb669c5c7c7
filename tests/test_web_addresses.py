"""Web addresses cut by justified print are made whole (ocr/web_addresses.py), and nothing else."""

from ocr.types import Line, Word
from ocr.web_addresses import mend_web_addresses


def _lines(*rows: str) -> list[Line]:
    return [Line.from_words([Word(text=t, confidence=0.8, bbox=(0.1 * i, 0.1 * k, 0.1 * i + 0.09, 0.1 * k + 0.02))
                             for i, t in enumerate(row.split())], 0) for k, row in enumerate(rows)]


def _mended(*rows: str) -> list[str]:
    return [line.text for line in mend_web_addresses(_lines(*rows))]


def test_an_address_cut_inside_its_last_label_is_joined():
    # qd486's appendix cells: `thanhhoa.go v` then `.n (Một phần)` on the next line
    assert _mended("https://dichvucong.thanhhoa.go v", ".n (Một phần)") == [
        "https://dichvucong.thanhhoa.gov", ".vn (Một phần)"]
    assert _mended("tuyến: https://dichvucong.thanhhoa.go v.vn") == ["tuyến: https://dichvucong.thanhhoa.gov.vn"]
    assert _mended("(https://a.b.gov .vwn);") == ["(https://a.b.gov .vn);"]


def test_the_joined_word_spans_both_boxes():
    (line,) = mend_web_addresses(_lines("https://dichvucong.thanhhoa.go v"))
    (word,) = line.words
    assert word.bbox == (0.0, 0.0, 0.19, 0.02)


def test_words_after_an_address_and_other_domains_stay():
    assert _mended("https://a.b.go và", ".n") == ["https://a.b.go và", ".n"]
    assert _mended("https://a.b.vn v", "vnu.edu .n", "https://x.com .n") == ["https://a.b.vn v", "vnu.edu .n", "https://x.com .n"]
