"""Post-correction of recognised lines, kept to what measurably helps.

Tesseract reads the scribble of a signature, stamp residue or dirt as short lines of junk
(`cW*„ š⁄Z ¬¬`). A line Tesseract is very unsure of, or unsure of and mostly not made of
Vietnamese syllables, numbers or abbreviations, is dropped, and so are unsure specks; so is the
less sure of two readings of one row (two lines whose words stand over each other). A word made
only of marks no document prints alone (`` ` ``, `¬`, `£`) goes whatever Tesseract's confidence.

Words are rewritten in a few cases only:
- two neighbouring words Tesseract is unsure of that, without their marks, are a phrase of
  administrative language (`quyet dinh`, `uy ban`) get that phrase's marks (`quyết đinh` →
  `quyết định`);
- a full stop inside such a phrase before small letters is a speck (`Quyết. định`), as a hyphen
  is (`Quy-định`); elsewhere a full stop after a word before small letters is a comma;
- in a recipients list (`Nơi nhận:`), or a dash list whose other items end in semicolons, an
  item's final colon before the next item is its semicolon.
Numbers and notations are never touched, but for glyphs no Vietnamese text uses, mapped to what
they stand for (`31⁄10/2017`, `NĐÐ`, `370/OĐ-BCA`, `Ø7`, `hfips://`, `(b/©)`), misreads no
notation can hold (`02/2017/TT.VPCP`, `54/2024/QHI5`, `239/TI1r-UBND`, `270QĐ-BTNMT`, a body's Đ
read as D: `377/QĐ-BGDDT`, `HDND-UBND`), an em dash standing alone among words to an en dash,
and the 1 of a number read as l or I (`l3/02/2025`, `COVID-L9`) or a day or month read as
letters (`tháng TÌ năm`, `ngày lŠ tháng`): validation later decides what to trust. A t read as f
(`frưởng`) and a recipients list's `(th)` (`(t/h)`) are mended too. A web address or an e-mail
alone on its line is print however unsure Tesseract is of it.
"""

from __future__ import annotations

import re

from ocr.glued import shared_boxes
from ocr.signature_block import SIGNING_TITLES, signature_zone
from ocr.tone_marks import STRONG, default_model, spelt_alike
from ocr.types import Line, Word
from ocr.vntext import fold, is_vietnamese_syllable

# Measured on generated scans with seals and signatures: real lines of print average 0.75 or
# more even when degraded; junk averages under 0.5, or under 0.7 with no words in it.
JUNK_LINE = 0.5
DOUBTFUL_LINE = 0.7
# A token with no letter or digit that Tesseract is unsure of is a speck, not punctuation.
JUNK_MARK = 0.5
# A word in small letters read below this beside a signer's title in capitals is a stroke of the
# signature (`vận CHỦ TỊCH`, 0.4); the title's own words read at 0.8 and more.
STROKE_WORD = 0.5
# A number, a notation's pieces (`/QĐ-UBND`, `NĐ-CP`), or the `Số:` label glued to its number:
# the `Số:` line of a header reads unsure (handwriting, a stamped number) and is still no junk.
_NOTATION = re.compile(r"^/?[A-ZĐ]{1,8}[-–][A-ZĐ0-9&.\-–]+$")
# A cited number with its year and kind (`165/2024/NĐ` ending a cell's line before `-CP ngày`):
# Tesseract reads it alone on its line at 0.4, yet no junk spells a number, a year and a kind.
_CITED_NUMBER = re.compile(r"^\(?\d{1,4}/(?:19|20)\d{2}/[A-ZĐ]{2,}")
_NUMBER_OR_NOTATION = re.compile(rf"^[\d.,:;/()\-–]+$|^\d+[/\-]|{_NOTATION.pattern}|^(?:Số|số|SỐ):[\d/.]*$")
# A web address or an e-mail (`(https://dichvucong.hue.gov.vn)`, `vanthu@hue.gov.vn`): a table cell's
# address alone on its line reads unsure (0.54) and is no syllable, yet it is print, not junk.
_WEB_ADDRESS = re.compile(r"https?://\w|www\.\w|\w@\w+\.\w|\w\.(?:gov|com|org|edu|net)\.vn\b")
_EDGE_PUNCTUATION = "\"'“”‘’()[].,;:!?…-–"


# Marks no Vietnamese document prints as a word of their own: Tesseract's reading of flowchart
# arrows, signature strokes and dirt (a backtick, `¬`, `£`), however sure it is of them.
_STRAY_MARKS = frozenset("`¬£§®©¡¿¢¥¤¦¨")


def drop_junk_lines(lines: list[Line]) -> list[Line]:
    kept = []
    zone = signature_zone(lines)
    for previous, line in zip([None, *lines], lines):
        words = [w for w in line.words if w.confidence >= JUNK_MARK or any(c.isalnum() for c in w.text)]
        # stray marks count against their line (they are junk's own), then go from a line kept
        if not words or is_junk(Line.from_words(words, line.block)) and not _goes_on(previous, words):
            continue
        if _in_signature_column(line, zone) and all(map(_scribble, words)):
            continue
        words = [w for w in words if not _STRAY_MARKS.issuperset(w.text)]
        if words:
            kept.append(line if len(words) == len(line.words) else Line.from_words(words, line.block))
    return _without_second_readings(kept)


def _in_signature_column(line: Line, zone: tuple[float, float] | None) -> bool:
    """Whether the line stands in the signature block's column (right of the recipients list)."""
    return zone is not None and zone[0] <= line.bbox[1] and line.bbox[3] <= zone[1] and line.bbox[0] > 0.5


def _scribble(word: Word) -> bool:
    """Whether a word of the signature block is a signature's stroke read as print: a letter or
    figure alone (`A`, `U`, `ý`), or marks and figures that make no number (`(22+`). No title,
    name or date of the block is so spelt."""
    core = word.text.strip(_EDGE_PUNCTUATION)
    letters = sum(c.isalpha() for c in core)
    return len(core) <= 1 or letters <= 1 and not _NUMBER_OR_NOTATION.match(core)


# A narrow cell's last word alone on its line (`thông vận` then `tải;`) reads at 0.4: a line of a
# few syllables that the line before goes on into, by a pair administrative text uses often, is
# print. A signature's scribble spells no such pair.
GOES_ON_WORDS = 3


def _goes_on(previous: Line | None, words: list[Word]) -> bool:
    if previous is None or not previous.words or len(words) > GOES_ON_WORDS:
        return False
    cores = [word.text.strip(_EDGE_PUNCTUATION).lower() for word in words]
    if not all(is_vietnamese_syllable(core) for core in cores):
        return False
    last = previous.words[-1].text.strip(_EDGE_PUNCTUATION).lower()
    return default_model().pairs.get(f"{last} {cores[0]}", 0) >= STRONG


def _without_second_readings(lines: list[Line]) -> list[Line]:
    """Tesseract now and then reads one printed row twice, as two lines over the same print
    (`CHƯ TỊC` and `HỦ TỊCH` of a title beside a seal): the less sure reading goes."""
    dropped: set[int] = set()
    for i, line in enumerate(lines):
        for j, other in enumerate(lines):
            if i != j and j not in dropped and _over(line, other) and (line.confidence, j) < (other.confidence, i):
                dropped.add(i)
                break
    return [line for index, line in enumerate(lines) if index not in dropped]


def _over(line: Line, other: Line) -> bool:
    """Whether every word of `line` has its centre inside a word of `other`."""
    if not (line.bbox[0] < other.bbox[2] and other.bbox[0] < line.bbox[2]
            and line.bbox[1] < other.bbox[3] and other.bbox[1] < line.bbox[3]):
        return False
    return all(any(w.bbox[0] <= (word.bbox[0] + word.bbox[2]) / 2 <= w.bbox[2]
                   and w.bbox[1] <= (word.bbox[1] + word.bbox[3]) / 2 <= w.bbox[3] for w in other.words)
               for word in line.words)


def is_junk(line: Line) -> bool:
    readable = sum(_readable(word.text) for word in line.words)
    # Tesseract scores a stamped or handwritten number near 0 beside a clean notation
    # (`Số: 221 /QĐ-UBND` at 0.0, 0.0, 0.57): a line all readable with a notation, or a cited
    # number, is print.
    if readable == len(line.words) and any(_NOTATION.match(word.text) or _CITED_NUMBER.match(word.text)
                                           for word in line.words):
        return False
    if line.confidence < JUNK_LINE:
        return True
    return line.confidence < DOUBTFUL_LINE and readable < len(line.words) / 2


def _readable(token: str) -> bool:
    if _NUMBER_OR_NOTATION.match(token) or _WEB_ADDRESS.search(token):
        return True
    core = token.strip(_EDGE_PUNCTUATION)
    return bool(core) and (core.isupper() and core.isalpha() and len(core) <= 6 or is_vietnamese_syllable(core.lower()))


# Glyphs Tesseract's `vie` model puts for print it has other letters for, each unambiguous where
# it stands: no Vietnamese text uses them. The fraction slash (U+2044) and the doubled slash it
# comes with are `/` in dates and notations (`31⁄10/2017`, `3/⁄2024/TT-BYT`); Icelandic Ð (U+00D0)
# is Đ, alone or doubled after it (`NĐÐ`, `QÐ`); `Ø` beside a digit is 0 (`Ø7`), in a word of figures
# (among letters, `Ø1aO`, it is the g of `giao`: ocr/tone_marks.py reads those); `ø` among letters
# is g (`øiải`, `thônø`, `.øov.vn`).
_SLASHED_ZERO = re.compile("\u00d8(?=\\d)|(?<=\\d)\u00d8")
_GLYPHS = (
    (re.compile("/\u2044|\u2044/|\u2044"), "/"),
    (re.compile("Đ\u00d0|\u00d0"), "Đ"),
    (re.compile("\u00f8(?=[^\\W\\d_])|(?<=[^\\W\\d_])\u00f8"), "g"),
    # the Q of QĐ read as O, 0 or 9 inside a notation (`370/OĐ-BCA`, `77/9Đ-`): no notation
    # begins with OĐ or 9Đ
    (re.compile("(?<=/)[O09]Đ(?=-)"), "QĐ"),
    # a web address's scheme, its t's read as f or i (`hfips://`): no other scheme starts with h
    (re.compile(r"\bh(?!ttps?://)[a-z]{3}s://"), "https://"),
    (re.compile(r"\bh(?!ttp://)[a-z]{3}://"), "http://"),
    # the g of a state body's domain read as s, e or ge (`dichvucong.sov.vn`)
    (re.compile(r"\.(?!gov\.)(?:[a-z]|ge)ov\.vn\b"), ".gov.vn"),
    # a notation's hyphen read as a full stop after the type (`02/2017/TT.VPCP`): none has a stop there
    (re.compile(r"(?<=\d/)(TT|NĐ|QĐ|NQ|CT|TB|KH|BC|TTr)\.(?=[A-ZĐ]{2,})"), r"\1-"),
    # a notation's Đ read twice (`165/2024/NĐĐ`, `QĐĐ`)
    (re.compile(r"(?<=/)([NQ])ĐĐ(?![^\W\d_])"), r"\1Đ"),
    # a notation's slash lost after its number or year (`270QĐ-BTNMT`, `07/2021NĐ-CP`): no
    # number runs into the kind of document
    (re.compile(r"^(\(?\d{1,4}/\d{4})(?=[A-ZĐ]{2})|^(\(?\d{1,5})(?=(?:QĐ|NĐ|TTr|CT|KH|TB|BC|NQ|CV)[-–][A-ZĐ])"), r"\1\2/"),
    # the Q of a law's QH read as 0, or a 0 put before it (`146/2025/0QH15`, `254/2025/0HI15`)
    (re.compile(r"(?<=\d{4}/)(?:0Q|[0O])H(?=[Il|1]{1,2}\d\b)"), "QH"),
    # the 1 of a National Assembly's term read as I or l (`54/2024/QHI5`, `QHI15`): terms are 11-16
    (re.compile(r"(?<=/)QH(?:[Il|]1?|1[Il|])(?=\d\b)"), "QH1"),
    # a Tờ trình's T read as I or 1 (`239/TI1r-UBND`, `/TI1r-UBND` beside a handwritten number)
    (re.compile(r"(?<=/)T[Il1]{1,2}r(?=-)"), "TTr"),
    # the c of `(b/c)`, a recipients list's `để báo cáo`, read as © or €
    (re.compile(r"(?<=\b[bB]/)[©€]"), "c"),
    # the slash of a recipients list's `(b/c)`, `(t/h)` (to report, to carry out) lost: `(th)`
    (re.compile(r"(?<=\()(?:b(?=c\))|t(?=h\)))"), r"\g<0>/"),
    # and the c of `(b/c)` lost (`(B/);`)
    (re.compile(r"(?<=\([bB]/)(?=\))"), "c"),
    # an i read as ¡ inside a word (`(ha¡)`): no Vietnamese text prints ¡
    (re.compile("(?<=[^\\W\\d_])\u00a1|\u00a1(?=[^\\W\\d_])"), "i"),
    # a list's 8 read as § (`§.`), its point c) read as © (`_©)`): no list numbers so
    (re.compile(r"^§(?=[.)]$)"), "8"),
    (re.compile(r"^_?©(?=\)$)"), "c"),
    # the end mark `./.` read without its full stop (`này/.`)
    (re.compile(r"(?<=[^\W_])/\.$"), "./."),
    # an italic T read as 7 opening an abbreviation in brackets (`(7rP, PP`, `CV(7V.02)`): a
    # number there goes on in figures, a space or a unit in small letters (`(7ha)`)
    (re.compile(r"(?<=\()7(?=[^\W\d_]*[A-ZĐ])"), "T"),
)
# A law's or resolution's notation ends in QH and the term of the National Assembly that passed
# it, which its year gives: read garbled (`254/2025/QHI1S`, `254/2025/QH11°5`, `254/2025/0H]5`,
# `47/2024/O0H15`, `31/2024/QHI` before a stray `3`), the end is `QH` and that term. A year in
# which one term ended and the next began (2016, 2021 ...) gives two; the last figure read, if it
# is one of theirs, tells which.
_LAW_NOTATION = re.compile(r"^(\(?\d{1,4}/((?:19|20)\d{2})/)([QO0][QO0]?[HI]{1,2}[Il1|\]°S\d]{0,4})([.,;:)]*)$")
# The years each term began (the 10th in 1997 ... the 16th in 2026).
_TERM_STARTS = {1997: 10, 2002: 11, 2007: 12, 2011: 13, 2016: 14, 2021: 15, 2026: 16}
# Abbreviations every administrative text uses, and the misreadings of them one letter off
# (`TIHC`, `TTIHC`, `THC`, `HDND`): no other abbreviation of that text is one letter from them.
ABBREVIATIONS = ("TTHC", "UBND", "HĐND", "KSTTHC")
# Bodies' abbreviations with a Đ, which Tesseract reads as D in capitals (`-BGDDT`, `HDND-UBND`),
# also inside a notation; none of them with D for Đ is an abbreviation of anything.
_D_FOR_DD = {known.replace("Đ", "D"): known for known in (
    "HĐND", "BGDĐT", "SGDĐT", "PGDĐT", "GDĐT", "BLĐTBXH", "SLĐTBXH", "LĐTBXH", "BKHĐT", "SKHĐT", "KHĐT",
    "TĐKT", "LĐLĐ",
)}
_CAPITALS_RUN = re.compile(r"(?<![^\W\d_])[A-ZĐ]{3,}(?![^\W\d_])")
# A number with a 1 read as l or I (`l1`, `I6`, `0l`, `l3/02/2025`, a measure `I5,5m`): digits
# and those two letters only, a digit beside one of them, and perhaps a unit of measure after
# them; no word or Roman numeral (`II`, `Điều I`) has a digit.
_ONE_AS_LETTER = re.compile(r"^(?=.*\d)(?=.*(?:\d[lI]|[lI]\d))([\dlI/.,\-]+)(m|mm|cm|km|m2|m3|ha|kg|%)?$")
# The same 1 (or an L) opening the number that ends a hyphenated name (`COVID-L9`, `Covid-l9`).
_ONE_AS_LETTER_AFTER_HYPHEN = re.compile(r"(?<=[^\W\d_]-)[lIL](?=\d+$)")
# A capital T read as 7 after an opening bracket or quote (`(7heo Quyết định`, `“7iếp nhận`,
# `(7rung tâm`): a T where three letters or more follow that spell a syllable with it; a number
# there is followed by a space or a short unit (`(7 ngày)`, `(7ha)`).
_T_AS_SEVEN = re.compile(r"^([(\[“\"‘'])7([^\W\d_]{3,})")
# A small t read as f (`frưởng`, `fục`): no Vietnamese syllable begins with f, and a word from
# abroad (`file`, `fax`) carries no Vietnamese letter or mark.
_T_AS_F = re.compile(r"^([(\[“\"‘']?)f(?=[^\W\d_])")
# A capital N read as a slash and a V on a small photo (`/Vơi nhận:`): no word begins with a slash
# before letters in small type (a notation's `/VPCP` goes on in capitals).
_N_AS_SLASH_V = re.compile(r"^/V(?=[^\W\d_A-ZĐ])")


def normalise_glyphs(lines: list[Line]) -> list[Line]:
    """Lines with the glyphs above replaced, and the case of syllables read with a stray capital
    (`mỘt`, `GIáo`) made regular, and an I numbering an article, clause or point (`khoản I`) a 1;
    numbers and notations are otherwise left as read."""
    return [_normalise_line(line) for line in lines]


# Articles, clauses and points are numbered in Arabic figures (Decree 30): `khoản I Điều 72` is 1.
_ARABIC_AFTER = frozenset(("dieu", "khoan", "diem"))


# A day or month in Times New Roman read with letters for figures (`tháng TÌ năm 2019`, `tháng 0T
# năm`, `ngày lŠ tháng`): between `ngày` and `tháng`, or `tháng` and `năm`, a day or month is
# written in figures, so a word of one or two such glyphs there is the number they look like.
_FIGURE_LOOKALIKES = str.maketrans("IlTÌÍ|OoSŠ", "1111110055")
_DATE_SLOT = re.compile(r"^[\dIlTÌÍ|OoSŠ]{1,2}$")
_DATE_PARTS = {("ngay", "thang"): 31, ("thang", "nam"): 12}
# The archive line's first mark, the records office's `Lưu: VT,` (Decree 30), read unsure with
# a letter for the comma's tail before the comma (`VTE,`, `VTF,`).
_ARCHIVE_MARK = re.compile(r"^VT[A-Z][,.;]$")
# A list item's number read with its full stop doubled (`2.. Đối tượng nộp lệ phí`): Tesseract
# reads the gap a numbered list leaves after the number as a second stop; no line opens so.
_DOUBLED_STOP = re.compile(r"^\d{1,3}\.\.$")


def _normalise_line(line: Line) -> Line:
    words = [_normalise_word(word) for word in line.words]
    # An em dash standing alone among words is an en dash (`Văn hóa – Xã hội`, `– Chính phủ;`):
    # documents draw the em dash Tesseract reads for it only in the rules under a heading, and a
    # line of nothing but dashes is a rule (or a stroke), left for the junk filter.
    if any(c.isalpha() for word in words for c in word.text):
        words = [word.model_copy(update={"text": "\u2013"}) if word.text == "\u2014" else word for word in words]
    if words and _DOUBLED_STOP.match(words[0].text):
        words[0] = words[0].model_copy(update={"text": words[0].text[:-1]})
    for i in range(1, len(words)):
        if fold(words[i - 1].text) == "luu:" and words[i].confidence < UNSURE_WORD and _ARCHIVE_MARK.match(words[i].text):
            words[i] = words[i].model_copy(update={"text": "VT" + words[i].text[3:]})
        elif words[i].text.rstrip(".,;:") == "I" and fold(words[i - 1].text) in _ARABIC_AFTER:
            words[i] = words[i].model_copy(update={"text": "1" + words[i].text[1:]})
        elif i + 1 < len(words) and (figures := _date_figures(words[i].text, words[i - 1].text, words[i + 1].text)):
            words[i] = words[i].model_copy(update={"text": figures})
    if all(new is old for new, old in zip(words, line.words)):
        return line
    return Line.from_words(words, line.block)


def _date_figures(text: str, before: str, after: str) -> str | None:
    """The day or month a date slot's word of look-alike glyphs stands for, if it is one."""
    highest = _DATE_PARTS.get((fold(before), fold(after)))
    if highest is None or text.isdigit() or not _DATE_SLOT.match(text):
        return None
    figures = text.translate(_FIGURE_LOOKALIKES)
    return figures if 1 <= int(figures) <= highest else None


def _normalise_word(word: Word) -> Word:
    text = word.text
    if not any(c.isalpha() and c != "\u00d8" for c in text):
        text = _SLASHED_ZERO.sub("0", text)
    for pattern, replacement in _GLYPHS:
        text = pattern.sub(replacement, text)
    if (seven := _T_AS_SEVEN.match(text)) and is_vietnamese_syllable("t" + seven.group(2).lower()):
        text = seven.group(1) + "T" + text[seven.end(1) + 1 :]
    elif _N_AS_SLASH_V.match(text) and is_vietnamese_syllable(("n" + text[2:]).strip(_EDGE_PUNCTUATION).lower()):
        text = "N" + text[2:]
    elif (f := _T_AS_F.match(text)) and not text.isascii():
        as_t = text[: f.end(1)] + "t" + text[f.end(1) + 1 :]
        if is_vietnamese_syllable(as_t.strip(_EDGE_PUNCTUATION).lower()):
            text = as_t
    core = text.strip(_EDGE_PUNCTUATION)
    if one := _ONE_AS_LETTER.match(core):
        text = text.replace(core, one[1].replace("l", "1").replace("I", "1") + (one[2] or ""), 1)
        core = text.strip(_EDGE_PUNCTUATION)
    elif _ONE_AS_LETTER_AFTER_HYPHEN.search(core):
        text = text.replace(core, _ONE_AS_LETTER_AFTER_HYPHEN.sub("1", core), 1)
        core = text.strip(_EDGE_PUNCTUATION)
    elif (term := _law_term(core)) is not None:
        text = text.replace(core, term, 1)
        core = term
    elif (abbreviation := _abbreviation(core)) is not None:
        text = text.replace(core, abbreviation, 1)
        core = abbreviation
    if "D" in text and (restored := _CAPITALS_RUN.sub(lambda run: _D_FOR_DD.get(run[0], run[0]), text)) != text:
        text, core = restored, restored.strip(_EDGE_PUNCTUATION)
    irregular = not (core.islower() or core.isupper() or core.istitle())
    if core.isalpha() and irregular and is_vietnamese_syllable(core.lower()):
        # A capital after a small letter, or two before small ones, is a misread mark, not a
        # name or an abbreviation: those are title or upper case.
        fixed = core.lower() if core[0].islower() else core[0] + core[1:].lower()
        text = text.replace(core, fixed, 1)
    return word if text == word.text else word.model_copy(update={"text": text})


def _law_term(core: str) -> str | None:
    """A law's notation with its garbled `QH` and term mended, if `core` is one (None else)."""
    if (match := _LAW_NOTATION.match(core)) is None or "H" not in match[3] or re.fullmatch(r"QH\d\d", match[3]):
        return None
    year = int(match[2])
    terms = [term for start, term in _TERM_STARTS.items() if start <= year][-1:]
    if year in _TERM_STARTS and year > min(_TERM_STARTS):
        terms = [_TERM_STARTS[year] - 1, _TERM_STARTS[year]]
        terms = [term for term in terms if match[3][-1:] == str(term)[-1]]
    return f"{match[1]}QH{terms[0]}{match[4]}" if len(terms) == 1 else None


def _abbreviation(core: str) -> str | None:
    """The abbreviation of ABBREVIATIONS a word in capitals is one letter off, if any."""
    if len(core) < 3 or not core.isupper() or not core.isalpha() or core in ABBREVIATIONS:
        return None
    near = [known for known in ABBREVIATIONS if _one_edit(core, known)]
    return near[0] if len(near) == 1 else None


def _one_edit(read: str, known: str) -> bool:
    """Whether `read` is `known` with one letter changed, added or left out."""
    if len(read) == len(known):
        return sum(a != b for a, b in zip(read, known)) == 1
    short, long = sorted((read, known), key=len)
    return len(long) - len(short) == 1 and any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


# Phrases of administrative documents (Decree 30 layout, legal bases, signature blocks) whose
# folded form belongs to no other common phrase. Lower case; capitals follow the word read.
LEGAL_PHRASES = (
    "quyết định", "nghị định", "nghị quyết", "thông tư", "chỉ thị", "công văn", "thông báo",
    "kế hoạch", "báo cáo", "tờ trình", "hướng dẫn", "ủy ban", "nhân dân", "hội đồng", "chính phủ",
    "chủ tịch", "giám đốc", "trưởng phòng", "văn phòng", "căn cứ", "theo đề", "đề nghị",
    "giải quyết", "thủ tục", "hành chính", "tổ chức", "quy định", "hiệu lực", "thi hành",
    "chịu trách", "trách nhiệm", "nơi nhận", "độc lập", "tự do", "hạnh phúc", "cộng hòa",
    "xã hội", "chủ nghĩa", "việt nam", "kinh doanh", "đăng ký", "chứng nhận", "khai sinh",
    "hộ tịch", "sử dụng", "quyền sử", "tài nguyên", "môi trường", "tư pháp", "xây dựng",
    "kể từ", "ngày ký", "định danh", "cá nhân", "địa chỉ", "số hóa", "kết quả",
)
# Tesseract is sure of most marks it gets right; below this, a mark may be wrong.
UNSURE_WORD = 0.9


_PHRASE_BY_FOLD = {fold(p): p for p in LEGAL_PHRASES}


def restore_legal_phrases(lines: list[Line]) -> list[Line]:
    lines = [_restore_line(_commas_read_as_periods(_without_speck_periods(line))) for line in lines]
    return _signing_titles(_subject_lines(_list_semicolons(_recipient_semicolons(lines))))


# The titles in capitals, by their letters without marks (`pho thu tuong`). An authority
# (`KT.`, `TM.` ...) may stand before one on its line.
_TITLE_BY_FOLD = {fold(title): title.upper() for title in SIGNING_TITLES if "," not in title}
_AUTHORITIES = frozenset(("kt.", "tm.", "tl.", "tuq.", "q."))


def _signing_titles(lines: list[Line]) -> list[Line]:
    """A title in the signature block's column that a signature drawn over it garbled (`PHO THU
    TƯỜNG`, `THU TRƯƠNG 1/4`, `THỨ: TRƯỞNG`, `vận CHỦ TỊCH`) printed as the title it spells, marks
    aside: the words of two letters or more, their punctuation aside, spell it (words in small
    letters read below STROKE_WORD are strokes); the strokes go."""
    zone = signature_zone(lines)
    fixed = list(lines)
    for k, line in enumerate(lines):
        if not _in_signature_column(line, zone):
            continue
        # a stroke read as a word in small letters beside the title (`vận CHỦ TỊCH`, at 0.4) goes too
        words = [w for w in line.words if sum(c.isalpha() for c in w.text) >= 2
                 and (w.text.isupper() or w.confidence >= STROKE_WORD)]
        authority = words[:1] if words and fold(words[0].text) in _AUTHORITIES else []
        named = words[len(authority):]
        title = _TITLE_BY_FOLD.get(" ".join(fold(w.text.strip(_EDGE_PUNCTUATION)) for w in named))
        if title is None or not all(w.text.isupper() for w in named):
            continue
        titled = [w.model_copy(update={"text": text}) for w, text in zip(named, title.split())]
        fixed[k] = _rewritten(line, [*authority, *titled])
    return fixed


# The kinds of document whose name stands alone in capitals over the subject line (Decree
# 30/2020/NĐ-CP, appendix I); the subject opens with a capital, most often `Về việc`.
_KIND_HEADINGS = frozenset(fold(kind) for kind in (
    "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "NGHỊ ĐỊNH", "THÔNG TƯ", "CHỈ THỊ", "THÔNG BÁO", "KẾ HOẠCH", "TỜ TRÌNH",
    "BÁO CÁO", "QUY CHẾ", "QUY ĐỊNH", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "PHƯƠNG ÁN", "ĐỀ ÁN", "CÔNG ĐIỆN",
))
# `Về` read in small letters or as `và` (`và việc tham dự Hội nghị`)
_ABOUT = frozenset(("ve", "va"))


def _subject_lines(lines: list[Line]) -> list[Line]:
    """The line under a kind of document's name opens with a capital: a first word read in small
    letters is capitalised, and `về`/`và` before `việc` is `Về`."""
    fixed = list(lines)
    for k, line in enumerate(lines[:-1]):
        if not line.text.isupper() or fold(line.text) not in _KIND_HEADINGS or len(lines[k + 1].words) < 2:
            continue
        first, second, *rest = lines[k + 1].words
        if fold(first.text) in _ABOUT and fold(second.text) == "viec":
            text = "Về"
        elif first.text[:1].islower():
            text = first.text[:1].upper() + first.text[1:]
        else:
            continue
        fixed[k + 1] = _rewritten(lines[k + 1], [first.model_copy(update={"text": text}), second, *rest])
    return fixed


def _without_speck_periods(line: Line) -> Line:
    """The line without full stops inside a phrase of administrative language (`Quyết. định`,
    `Quyết . định`): a speck, as no sentence ends there with the next one in small letters."""
    words = list(line.words)
    for i in range(len(words) - 1, 0, -1):
        before, word = words[i - 1], words[i]
        if word.text == "." and i + 1 < len(words) and _in_phrase(before.text, words[i + 1].text):
            del words[i]
        elif word.text[:1].islower() and before.text.endswith(".") and not before.text.endswith("..") \
                and _in_phrase(before.text[:-1], word.text):
            words[i - 1] = before.model_copy(update={"text": before.text[:-1]})
    for i in range(len(words) - 1, -1, -1):
        first, hyphen, second = words[i].text.partition("-")
        if hyphen and first.isalpha() and _in_phrase(first, second):  # `Quy-định`: the space read as a hyphen
            words[i:i + 1] = shared_boxes(words[i], [first, second])
    return _rewritten(line, words)


def _commas_read_as_periods(line: Line) -> Line:
    """A full stop after a word, before a syllable in small letters on the same line, is a comma
    (`nhiệm vụ. giải pháp`): no sentence ends there, as the next one opens with a capital."""
    words = list(line.words)
    for i, (word, following) in enumerate(zip(line.words, line.words[1:])):
        stem = word.text[:-1]
        if word.text.endswith(".") and stem.isalpha() and following.text[:1].islower() \
                and is_vietnamese_syllable(following.text.rstrip(",.;:")):
            words[i] = word.model_copy(update={"text": stem + ","})
    return _rewritten(line, words)


def _rewritten(line: Line, words: list[Word]) -> Line:
    """The line with its words rewritten (the same line when none was)."""
    return Line.from_words(words, line.block).model_copy(update={"stamp": line.stamp}) if words != line.words else line


def _in_phrase(first: str, second: str) -> bool:
    return second[:1].islower() and fold(f"{first} {second.rstrip(',.;:')}").lower() in _PHRASE_BY_FOLD


# The recipients list (`Nơi nhận:`) runs a few lines; each item ends with a semicolon, the last
# with a full stop. Tesseract reads many of those semicolons as colons.
RECIPIENT_LINES = 25


def _recipient_semicolons(lines: list[Line]) -> list[Line]:
    """Lines of a recipients list ending in a colon before the next item (`- Như Điều 4:` then
    `- Cục ...`) end in a semicolon: an item that introduces others has them indented with `+`."""
    fixed = list(lines)
    starts = [k for k, line in enumerate(lines) if fold(line.text).startswith("noi nhan")]
    for start in starts:
        for k in range(start + 1, min(start + RECIPIENT_LINES, len(lines) - 1)):
            line, following = fixed[k], lines[k + 1]
            if line.text.startswith(("KT.", "TM.")) or following.text.startswith(("KT.", "TM.")):
                break
            last = line.words[-1] if line.words else None
            if last is None or not last.text.endswith(":") or len(last.text) < 2 or not following.text.startswith("-"):
                continue
            fixed[k] = _ending_in_semicolon(line)
    return fixed


def _ending_in_semicolon(line: Line) -> Line:
    last = line.words[-1]
    return _rewritten(line, [*line.words[:-1], last.model_copy(update={"text": last.text[:-1] + ";"})])


# Elsewhere too, the items of a dash list (`- Bộ trưởng Bộ Tài chính Nguyễn Văn Thắng;`) end in
# semicolons that Tesseract reads as colons. An item runs over a few lines at most. (An em dash
# opening an item was made an en dash by `normalise_glyphs`.)
DASHES = ("-", "–")
ITEM_LINES = 4


def _list_semicolons(lines: list[Line]) -> list[Line]:
    """An item's final colon before the next item is its semicolon in a dash list whose other
    items end in semicolons: at least two, and more than end in colons. A colon that introduces
    items of its own (`- Giải pháp thực hiện:`) stands in a list whose items do not."""
    fixed = list(lines)
    for run in _dash_lists(lines):
        ends = [start - 1 for start in run[1:]]
        finals = [lines[k].text[-1:] for k in ends]
        for k in ends:
            last = lines[k].words[-1] if lines[k].words else None
            if last is None or not last.text.endswith(":") or len(last.text) < 2:
                continue
            semicolons, colons = finals.count(";"), finals.count(":") - 1
            if semicolons >= 2 and semicolons > colons:
                fixed[k] = _ending_in_semicolon(lines[k])
    return fixed


def _dash_lists(lines: list[Line]) -> list[list[int]]:
    """The lists of the page as the indexes of their items' first lines: items that open with
    the same dash, each within a few lines of the one before."""
    lists: list[list[int]] = []
    open_by_dash: dict[str, list[int]] = {}
    for k, line in enumerate(lines):
        dash = line.words[0].text if line.words and len(line.words) > 1 else None
        if dash not in DASHES:
            continue
        items = open_by_dash.get(dash)
        if items is None or k - items[-1] > ITEM_LINES:
            items = open_by_dash[dash] = []
            lists.append(items)
        items.append(k)
    return lists


def _restore_line(line: Line) -> Line:
    words = list(line.words)
    for i in range(len(words) - 1):
        first, second = words[i], words[i + 1]
        if min(first.confidence, second.confidence) >= UNSURE_WORD:
            continue
        core_first, core_second = first.text.rstrip(",.;:"), second.text.rstrip(",.;:")
        phrase = _PHRASE_BY_FOLD.get(fold(f"{core_first} {core_second}"))
        if phrase is None or phrase == f"{core_first} {core_second}".lower():
            continue
        fixed_first, fixed_second = phrase.split(" ")
        # a word the page spells the old way (`Uỷ ban`) keeps its spelling
        if not spelt_alike(fixed_first, core_first.lower()):
            words[i] = _with_word(first, core_first, fixed_first)
        if not spelt_alike(fixed_second, core_second.lower()):
            words[i + 1] = _with_word(second, core_second, fixed_second)
    return _rewritten(line, words)


def _with_word(word: Word, core: str, fixed: str) -> Word:
    """The fixed spelling in the case Tesseract read, with the punctuation it read after it."""
    if core.isupper():
        fixed = fixed.upper()
    elif core[:1].isupper():
        fixed = fixed[:1].upper() + fixed[1:]
    return word.model_copy(update={"text": fixed + word.text[len(core):]})
