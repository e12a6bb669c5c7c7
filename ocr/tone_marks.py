"""Restore tone and vowel marks Tesseract got wrong, from a syllable language model.

On real fonts (Times New Roman) Tesseract reads `thẩm quyền` as `thâm quyên`, `bổ sung` as
`bồ sung`, `QUYẾT` as `QUYÉT`: same letters, other marks. So the candidates for a word are the
syllables that fold to the same letters (`ocr.vntext.fold`), and each is scored log-linearly:
how common the syllable is, whether it forms a known pair with the neighbour on either side
(as read: full weight; with other marks on the neighbour, which may be misread too: half, so
`thâm quyên` finds the pair `thẩm quyền`), and, for the form read, Tesseract's confidence in it.
Pairs carry their count in administrative text, so a pair the documents use thousands of times
(`sửa đổi`) outweighs a commoner single syllable (`đôi`). A word is rewritten only when another
form clearly wins, in two passes (the second sees the first's fixes as context), and never where
the form read makes the stronger pair with a neighbour (`bản vẽ sơ đồ` stays, though `về` is far
commoner and `bản về` is known too). Words Tesseract
is very sure of and capitalised words inside a line (names) change only on strong evidence, a
pair that administrative text uses far more often than the form read makes one (`Sở Giáo dục và
Đảo tạo` → `Đào`); that evidence also moves an unsure word in small letters that frequency and
confidence keep (`tâm nhìn` → `tầm nhìn`, though `tâm` is far commoner); a word read surely
keeps its letters (`â`, `ơ`, `đ` ...), its tone mark aside, unless a neighbour all but spells
the other form (`hướng dán` → `dẫn`, but `văn bản mật` stays);
numbers and notations (`123/QĐ-UBND`) are never touched. A word that spells no syllable at all
is wrong whatever Tesseract's confidence: one confusable letter away (`c`/`e`, `i`/`l`, `rn`/`m`)
it becomes the form that makes a pair administrative text uses often with a neighbour as read
(`quản lý eư trú` → `cư trú`); without such a pair it stays as read.

Around that: a word at a line's end takes the first word of the next line of its sentence as its
neighbour (`bồ | sung`); a word read in capitals among small letters is made small on a strong
pair (`ngày làm VIỆC`, `bổ Sung`), unless the documents write it with a capital there
(`Thủ tướng Chính phủ`); `điều`, `khoản`, `số`, ... before a number get their marks
(`Như Điêu 4`); a `1` read for an i is one where the word so spelt makes a pair (`g1ao thông`);
an unsure comma inside a phrase the documents write unbroken is a speck (`mới, ban hành`),
except on a crisp page, which has no specks (ocr/preprocess.py); an abbreviation is context as
the first syllable it stands for (`Công TTĐT` → `Cổng`); a kind of administrative unit listed
after another is spelt as one (`các xã, phương` → `phường`); a word that spells a common family
name with other marks is that name where it opens a personal name (`ông Trân Ngọc Tân` → `Trần`);
a word after an opening bracket gets back the t or tr the bracket swallowed when the word so
spelt makes a strong pair with the next (`(heo Phụ lục` → `(theo`); two words joined by a slash
are each the neighbour of the word they touch (`thăm định/phê duyệt` → `thẩm`).

The model is ocr/data/vi_syllables.tsv (built by ocr/data/make_lm.py; sources and licence there).
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path

from ocr.family_names import misread_family_name
from ocr.types import Line, Word
from ocr.vntext import fold, is_vietnamese_syllable

MODEL = Path(__file__).with_name("data") / "vi_syllables.tsv"
# Tesseract's wrong marks on real pages come with confidences up to about 0.97; above that it is
# almost always right, and a rare word read that surely (a name) must stay.
SURE_WORD = 0.97
# At this confidence and above, Tesseract's misreads on real pages are tone marks (`thâm quyên`);
# a word read so surely keeps its letters (`â`, `ă`, `ô`, `ơ`, `ư`, `đ`) unless a neighbour all but
# spells the other form: the pair is at least PREDICTS of that neighbour's pairs on its side
# (`hướng dán` → `dẫn`: 92% of `hướng *`; but `mật`, `cáp`, `dọc` stay beside `bản`, `tuyến`,
# `các`, though `mặt`, `cấp`, `đốc` are commoner and make some pair there).
SURE_LETTERS = 0.95
PREDICTS = 0.1
# Weights of the log-linear score, in nats. A known pair with a neighbour is strong evidence
# (compounds are the bulk of Vietnamese words); keeping the read form is worth KEEP × confidence,
# and another form must beat it by MARGIN more.
PAIR = 4.0
# A pair's count in administrative text adds COUNT nats per e-fold: `sửa đổi` (2,392 times in the
# corpus) outweighs the twice more frequent single syllable `đôi`, which makes no pair there.
COUNT = 0.5
# Words otherwise left alone (sure, capitalised inside a line, upper case) change only on strong
# evidence: a pair seen at least STRONG times in the corpus, RATIO times more than the form read.
STRONG = 50
RATIO = 20
# A capitalised word after a small one is read too big only if that one is followed by it at
# least this share of the time in the corpus (`bổ sung`, not `của Sở`).
BOUND = 0.5
# A pair seen this often in the corpus is in use, not only in the dictionary (make_lm.MIN_PAIR).
USED = 3
# A unit word before a capitalised place name (`tỉnh Cà Mau`) is the most specific pair there is:
# it outweighs a compound that the left neighbour happens to make (`nhân dân tình`, `bàn tính`).
NAMED_PAIR = 2 * PAIR
# The letters an opening bracket swallows in print: `(theo` is read `(heo`, `(trước` `(ước`.
SWALLOWED = ("t", "tr")
KEEP = 4.0
MARGIN = 1.0
# A comma read below this confidence between the syllables of a phrase seen unbroken at least
# SPECK_PAIR times is a speck (pairs that lists separate by commas are seen under 60 times).
SPECK_COMMA = 0.80
SPECK_PAIR = 100
# A syllable the model lacks counts as this many per billion words.
UNSEEN = 0.5
_EDGE_PUNCTUATION = "\"'“”‘’()[].,;:!?…*"
# Abbreviations that follow a word as the words they stand for do: their first syllable is the
# neighbour (`Công TTĐT` is `Cổng thông tin điện tử`, `Cổng DVCQG` the national service portal).
OPENING_SYLLABLE = {"TT": "thông", "TTĐT": "thông", "DVC": "dịch", "DVCQG": "dịch"}


class SyllableModel:
    """Syllable counts and pairs, indexed by their folded form."""

    def __init__(self, unigrams: dict[str, int], pairs: dict[str, int], named: set[str] | None = None):
        self.unigrams = unigrams
        self.pairs = pairs
        # Pairs known only before a capitalised word: a unit word before a place name (`tỉnh Cà`),
        # and a word the documents write a body's name after (`tướng Chính`, `của Sở`).
        self.named = named or set()
        self.by_fold: dict[str, list[str]] = defaultdict(list)
        for form in unigrams:
            self.by_fold[fold(form)].append(form)
        # how often each syllable is followed by another in the corpus ("bổ" -> count of `bổ *`),
        # and preceded by one ("sung" -> count of `* sung`)
        self.after: dict[str, int] = defaultdict(int)
        self.before: dict[str, int] = defaultdict(int)
        # "tham quyen" -> {"thẩm": count, "quyền": count} seen on the left/right side of the pair
        self.left: dict[str, dict[str, int]] = defaultdict(dict)
        self.right: dict[str, dict[str, int]] = defaultdict(dict)
        for pair, count in pairs.items():
            first, second = pair.split(" ")
            self.after[first] += count
            self.before[second] += count
            key = fold(pair)
            self.left[key][first] = self.left[key].get(first, 0) + count
            self.right[key][second] = self.right[key].get(second, 0) + count

    @classmethod
    def load(cls, path: Path = MODEL) -> "SyllableModel":
        unigrams: dict[str, int] = {}
        pairs: dict[str, int] = {}
        named: set[str] = set()
        for row in path.read_text(encoding="utf-8").splitlines():
            if not row or row.startswith("#"):
                continue
            form, count = row.split("\t")
            if form != form.lower():
                named.add(form)
            else:
                (pairs if " " in form else unigrams)[form] = int(count)
        return cls(unigrams, pairs, named)

    def score(self, form: str, left: str | None, right: str | None, counted: bool = True) -> float:
        """Log-linear score of `form` (lower case) between its neighbours as read."""
        return math.log(self.unigrams.get(form, UNSEEN)) + self.pair_score(form, left, right, counted)

    def pair_score(self, form: str, left: str | None, right: str | None, counted: bool = True) -> float:
        value = 0.0
        if left is not None:
            value += self._pair(f"{left.lower()} {form}", self.right, form, counted)
        if right is not None:
            value += NAMED_PAIR if _named(right) and f"{form} {right}" in self.named else 0.0
            value += self._pair(f"{form} {right.lower()}", self.left, form, counted)
        return value

    def support(self, form: str, left: str | None, right: str | None, exact: bool) -> int:
        """The corpus count of the likelier pair `form` makes with a neighbour: as read if
        `exact`, else whatever the neighbour's marks (`TÍNH BÁC` may be `tỉnh bắc`)."""
        counts = [0]
        if left is not None:
            pair = f"{left.lower()} {form}"
            counts.append(self.pairs.get(pair, 0) if exact else self.right.get(fold(pair), {}).get(form, 0))
        if right is not None:
            pair = f"{form} {right.lower()}"
            counts.append(self.pairs.get(pair, 0) if exact else self.left.get(fold(pair), {}).get(form, 0))
        return max(counts)

    def exact_pairs(self, form: str, left: str | None, right: str | None, used: int = 0) -> int:
        """How many of the neighbours, as read, make a known pair with `form` (one seen at least
        `used` times in the corpus)."""
        before = left is not None and self.pairs.get(f"{left.lower()} {form}", -1) >= used
        after = right is not None and (
            self.pairs.get(f"{form} {right.lower()}", -1) >= used or _named(right) and f"{form} {right}" in self.named
        )
        return before + after

    def read_pairs_better(self, read: str, form: str, left: str | None, right: str | None) -> bool:
        """Whether the form read makes a pair with a neighbour as read (whatever its case) where
        `form` makes none, or one seen less often and not RATIO times more than `form`'s likelier
        pair: the text supports the reading there, and a form that wins on frequency or on its
        other side is not the word (`bản vẽ sơ đồ`, not `về`; `nội dung thiết`, not `dụng`; `tra
        Sở Xây dựng`, not `Số`; `các Trưởng phòng`, not `Trường`; but `thay thể trong` is `thế`:
        `thay thế` 755 times, `thể trong` 24 and `thế trong` 7). A pair known only from the word
        list counts 0, one unknown -1."""
        counts = [
            (self.pairs.get(f"{before}{read}{after}", -1), self.pairs.get(f"{before}{form}{after}", -1))
            for before, after in _sides(left, right)
        ]
        strongest = max((other for _, other in counts), default=-1)
        return any(own > other and (other < 0 or RATIO * own >= strongest) for own, other in counts)

    def predicted(self, form: str, left: str | None, right: str | None) -> bool:
        """Whether a neighbour as read is followed (left) or preceded (right) by `form` in at least
        PREDICTS of the corpus's pairs it makes on that side."""
        shares = [0.0]
        if left is not None:
            shares.append(self.pairs.get(f"{left.lower()} {form}", 0) / max(1, self.after.get(left.lower(), 0)))
        if right is not None:
            shares.append(self.pairs.get(f"{form} {right.lower()}", 0) / max(1, self.before.get(right.lower(), 0)))
        return max(shares) >= PREDICTS

    def _pair(self, pair: str, side: dict[str, dict[str, int]], form: str, counted: bool = True) -> float:
        """PAIR, and if `counted` COUNT per e-fold of its count, if `pair` is known as read; half
        as much if only with other marks on the neighbour, which may be misread too (`thâm quyên`)
        or be another word."""
        if pair in self.pairs:
            return PAIR + counted * COUNT * math.log1p(self.pairs[pair])
        counts = side.get(fold(pair), {})
        return (PAIR + counted * COUNT * math.log1p(counts[form])) / 2 if form in counts else 0.0

    def best(self, read: str, confidence: float, left: str | None, right: str | None, by_pair: bool = False) -> str:
        """The form of `read` (lower case) to keep: itself unless another clearly wins.

        With `by_pair` (upper case), a form with a pair seen STRONG times, whatever the
        neighbour's marks, and RATIO times more than the form read's, wins on its pairs
        (`TÍNH BÁC` → `TỈNH BẮC`); otherwise only a form that makes more known pairs with the
        neighbours as read than the form read does may win, and the pairs' counts play no part:
        names in capitals (`KIỀU TIẾN TIẾN`) make pairs of common words too (`tiên tiến`).
        """
        candidates = self.by_fold.get(fold(read), [])
        if not candidates or candidates == [read]:
            return read
        # hóa/hoá, thủy/thuỷ are one word spelt two ways: never swap them.
        candidates = [form for form in candidates if not spelt_alike(form, read)]
        if not by_pair and (chained := self._chained(read, candidates, left, right)) is not None:
            return chained
        read_pairs = self.exact_pairs(read, left, right)
        # A form read that makes a known pair (`BẠC LIÊU`) or follows a unit word as a place
        # name does (`TỈNH BẠC`) is not outvoted by a commoner pair on its other side.
        if by_pair and not read_pairs and not self._place(read, left):
            read_support = self.support(read, left, right, exact=False)
            strong = [
                form
                for form in candidates
                if (support := self.support(form, left, right, exact=False)) >= STRONG
                and support >= RATIO * (read_support + 1)
            ]
            # A name in capitals spells a strong pair on one side (`LƯƠNG HỮU CƯỜNG`, `lương hưu`);
            # a heading word misread pairs on both (`DÂN TÍNH BÁC GIANG`: `dân tỉnh`, `tỉnh bắc`).
            strong = [form for form in strong if self._pairs_both_sides(form, left, right)]
            winner = max(strong, key=lambda form: self.pair_score(form, left, right), default=read)
            if winner != read and self.pair_score(winner, left, right) > self.pair_score(read, left, right) + MARGIN:
                return winner
        if by_pair:
            # Only pairs administrative text uses: a name in capitals spells dictionary words too
            # (`LƯU THANH YẾN`, `thanh yên` the citron).
            read_pairs = self.exact_pairs(read, left, right, USED)
            candidates = [form for form in candidates if self.exact_pairs(form, left, right, USED) > read_pairs]
        winner, top = read, self.score(read, left, right, not by_pair) + KEEP * confidence + MARGIN
        for form in candidates:
            if (value := self.score(form, left, right, not by_pair)) > top:
                winner, top = form, value
        return winner

    def _chained(self, read: str, candidates: list[str], left: str | None, right: str | None) -> str | None:
        """The form that makes pairs seen at least STRONG times with both neighbours as read, RATIO
        times more than the form read's likelier pair (`cơ sở dự liệu` → `dữ`: `sở dữ`, `dữ
        liệu`); None when there is none."""
        if left is None or right is None:
            return None
        floor = max(STRONG, RATIO * (self.support(read, left, right, exact=True) + 1))
        chained = [
            form
            for form in candidates
            if min(self.pairs.get(f"{left.lower()} {form}", 0), self.pairs.get(f"{form} {right.lower()}", 0)) >= floor
        ]
        return max(chained, key=lambda form: self.pair_score(form, left, right)) if chained else None

    def _pairs_both_sides(self, form: str, left: str | None, right: str | None) -> bool:
        """Whether `form` makes a pair (its neighbour's marks aside) with each neighbour there is,
        and with one of them as read: at the end of a line one side is all there is, and a
        misread neighbour (`THANH PHƯƠNG` → `thành phường`) is no evidence on its own."""
        both = all(self.pair_score(form, *sides) > 0 for sides in ((left, None), (None, right)) if any(sides))
        place = right is not None and f"{form} {right.capitalize()}" in self.named  # `TỈNH BẠC LIÊU`
        return both and (self.exact_pairs(form, left, right) > 0 or place)

    def _place(self, read: str, left: str | None) -> bool:
        """Whether `read` follows a unit word as the first syllable of a place name (`tỉnh Bạc`)."""
        return left is not None and f"{left.lower()} {read.capitalize()}" in self.named

    def best_letters(self, read: str, left: str | None, right: str | None) -> str:
        """For a word that spells no syllable (`eư trú`): the form one confusable letter away
        (`c`/`e`, `i`/`l`, `rn`/`m`) that makes a pair seen at least STRONG times with a
        neighbour as read, else with other marks on it; the one with the best pairs, else the
        word as read."""
        if read in self.unigrams or is_vietnamese_syllable(read):
            return read
        # Misreads come in pairs too (`eư trữ`): failing a pair with a neighbour as read, one
        # with other marks on it will do, and the neighbour is then restored against this word.
        for exact in (True, False):
            winner, top = read, 0.0
            for variant in _letter_variants(fold(read)):
                for form in self.by_fold.get(variant, []):
                    if self.support(form, left, right, exact=exact) < STRONG:
                        continue
                    # The marks read still count: `eư` is likelier `cư` than `cứ`.
                    value = self.pair_score(form, left, right) + (_marks(form) == _marks(read))
                    if value > top:
                        winner, top = form, value
            if winner != read:
                return winner
        return read

    def best_strict(self, read: str, left: str | None, right: str | None) -> str:
        """For a word left alone unless the evidence is strong: a form whose pair with a neighbour
        as read is seen at least STRONG times where the form read makes no known pair with that
        neighbour at all, RATIO times more than the form read's likelier pair, and whose pairs
        outscore the form read's. Frequency and confidence play no part: `sửa đôi` read with 0.97
        is `sửa đổi`, but `Sở Giao` (`sở giao` is known) and `tỉnh Bạc` (a place) stay."""
        if self._place(read, left):
            return read
        # the text before and after the form in a pair with each neighbour the form read makes none with
        open_sides = [
            (before, after) for before, after in _sides(left, right) if f"{before}{read}{after}" not in self.pairs
        ]
        read_support = self.support(read, left, right, exact=True)
        winner, top = read, self.pair_score(read, left, right) + MARGIN
        for form in self.by_fold.get(fold(read), []):
            if spelt_alike(form, read):
                continue
            support = max((self.pairs.get(f"{before}{form}{after}", 0) for before, after in open_sides), default=0)
            if support < STRONG or support < RATIO * (read_support + 1):
                continue
            if (value := self.pair_score(form, left, right)) > top:
                winner, top = form, value
        return winner


# Letters Tesseract's `vie` model takes for one another in print.
_CONFUSABLE = (
    ("c", "e"), ("e", "c"), ("i", "l"), ("l", "i"), ("rn", "m"), ("m", "rn"),
    ("r", "u"), ("l", "t"), ("i", "t"), ("e", "g"),  # `Thông tr`, `lrung`, `Irung`, `Nehị`
)
_VOWEL_LETTERS = frozenset("aeiouy")


def _letter_variants(folded: str) -> set[str]:
    """`folded` with one confusable letter swapped, anywhere it occurs, or a doubled vowel single."""
    variants = set()
    for seen, meant in _CONFUSABLE:
        start = folded.find(seen)
        while start >= 0:
            variants.add(folded[:start] + meant + folded[start + len(seen):])
            start = folded.find(seen, start + 1)
    # a vowel read twice, its marks split between the two (`Huêề`, `ngoàải`)
    for k in range(len(folded) - 1):
        if folded[k] == folded[k + 1] and folded[k] in _VOWEL_LETTERS:
            variants.add(folded[:k] + folded[k + 1 :])
    return variants


def _sides(left: str | None, right: str | None) -> list[tuple[str, str]]:
    """The text before and after a form that makes its pair with each neighbour there is."""
    sides = [(f"{left.lower()} ", "")] if left is not None else []
    return sides + ([("", f" {right.lower()}")] if right is not None else [])


def _named(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def spelt_alike(form: str, read: str) -> bool:
    """Whether two forms are one word spelt two ways: the same letters (đ is not d) and marks,
    placed differently (`hóa`/`hoá`, `ủy`/`uỷ`)."""
    return _marks(form) == _marks(read) and _letters(form) == _letters(read)


# Cached, and bounded for a long-lived worker: every candidate of every word is compared with the
# word read. Uncached, that was two fifths of the stage's time.
@lru_cache(maxsize=1 << 16)
def _letters(syllable: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c))


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _shape(syllable: str) -> str:
    """The letters with their vowel marks and without the tone mark: `đặt` → `đăt`."""
    return "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in _TONE_MARKS)


@lru_cache(maxsize=1 << 16)
def _marks(syllable: str) -> tuple[str, ...]:
    """The marks of a syllable, wherever they sit."""
    return tuple(sorted(c for c in unicodedata.normalize("NFD", syllable) if unicodedata.combining(c)))


@cache
def default_model() -> SyllableModel:
    return SyllableModel.load()


def restore_tone_marks(
    lines: list[Line], model: SyllableModel | None = None, specks: bool = True
) -> tuple[list[Line], int]:
    """The lines with unsure syllables given their likeliest marks; also how many words changed.
    `specks`: the page may have specks read as commas (not a crisp page: ocr/preprocess.py)."""
    model = model or default_model()
    fixed_lines: list[Line] = []
    changed = 0
    for k, line in enumerate(lines):
        # A word at a line's end pairs with the first of the next line of its block (`bồ | sung`).
        before = fixed_lines[-1].words[-1] if fixed_lines and _wraps(fixed_lines[-1], line) else None
        after = lines[k + 1].words[0] if k + 1 < len(lines) and _wraps(line, lines[k + 1]) else None
        fixed, count = _restore_line(line, model, before, after, specks)
        fixed_lines.append(fixed)
        changed += count
    return fixed_lines, changed


def _wraps(upper: Line, lower: Line) -> bool:
    """Whether `lower` goes on with the sentence of `upper`: the next line down of the same block,
    beginning with a small letter, or in capitals after a small one (`ngày làm | VIỆC;`). Not a
    sentence, a name or `Thanh Hóa, ngày ...` under the motto, nor the lines of a heading or a
    signature block (`KT. CHỦ TỊCH` over `PHÓ CHỦ TỊCH`)."""
    if not (upper.words and lower.words and upper.block == lower.block and lower.bbox[1] > upper.bbox[1]):
        return False
    first, last = lower.words[0].text, upper.words[-1].text
    return first[:1].islower() or first.isupper() and last[-1:].islower()


def _restore_line(
    line: Line, model: SyllableModel, before: Word | None = None, after: Word | None = None, specks: bool = True
) -> tuple[Line, int]:
    # the neighbouring lines' words are context only: they are restored with their own line
    context = [before] if before is not None else []
    first = len(context)
    words = context + list(line.words) + ([after] if after is not None else [])
    inner = range(first, first + len(line.words))
    if specks:
        words = [_speck_comma(words, i, model) if i in inner else word for i, word in enumerate(words)]
    # Words that spell no syllable go first: as read they are no context for their neighbours
    # (`eư trú thuộc` would otherwise make `trú` the `trữ` of `trữ thuộc`).
    words = [_restore_word(words, i, model, first) if i in inner and _unspelt(word, model) else word
             for i, word in enumerate(words)]
    changed = sum(words[i].text != line.words[i - first].text for i in inner)
    # A later pass sees the earlier ones' fixes as context: in `thâm quyên` the pair is only
    # certain once `quyên` has become `quyền`, and a run of misread words is mended one word a
    # pass from the end its context is sure (`CHÚC NANG QUAN LY`: `QUẢN LÝ`, `NĂNG`, `CHỨC`).
    for _ in range(len(line.words)):
        fixed = list(words)
        for i in inner:
            fixed[i] = _restore_word(words, i, model, first)
        count = sum(fixed[i].text != words[i].text for i in inner)
        if not count:
            break
        words, changed = fixed, changed + count
    return (Line.from_words(words[first : first + len(line.words)], line.block), changed) if changed else (line, 0)


def _restore_word(words: list[Word], i: int, model: SyllableModel, start: int = 0) -> Word:
    """The word `words[i]` restored; its line begins at `words[start]`, the words before are context."""
    word = words[i]
    core = _core(word.text)
    if core is None:
        return _restore_digit_letters(words, i, model)
    # A pair does not reach across punctuation: `đăng ký, quản lý` is not `ký quản`.
    left = _side(words[i - 1].text, last=True) if i > 0 and _joins(words[i - 1].text, word.text) else None
    right = _side(words[i + 1].text, last=False) if i + 1 < len(words) and _joins(word.text, words[i + 1].text) else None
    right = OPENING_SYLLABLE.get(right, right)
    if (swallowed := _swallowed(word.text, core, right, model)) is not None:
        return _replaced(word, core, swallowed)
    if (lowered := _case_misread(core, left, right, model)) is not None:
        return _replaced(word, core, lowered)
    if _unit(core, words, i):
        return word
    if (listed := _listed_unit(core, words, i)) is not None:
        return word if listed == core.lower() else _replaced(word, core, _in_case_of(core, listed))
    if (numbered := _numbered(core, words, i, model)) is not None:
        # in capitals after a word in small letters, it was read too big (`Khoáng sản SỐ 54`)
        return _replaced(word, core, numbered if left is not None and left.islower() else _in_case_of(core, numbered))
    if (family := _family_name(words, i, core, left, model)) is not None:
        return _replaced(word, core, family)
    # A capitalised word inside a line or before another is most likely a name (`Thị Hằng`,
    # `thôn Lai Sơn`, `Phan Hữu Sơn`); names are where the model knows least, and places are
    # restored against the gazetteer later. But also a capitalised common word (`Sở Giáo dục và
    # Đào tạo`): strong corpus evidence may change it, as it may a word Tesseract is sure of.
    name = _named(core) and (i > start or right is not None and _named(right))
    # Upper case is headings (`QUYÉT ĐỊNH`) but also names (`TẠ PHƯƠNG HẰNG`): only a known pair
    # may change it, never frequency alone.
    by_pair = core.isupper() and len(core) > 1
    read = core.lower()
    # Only a neighbour in small letters speaks for a common word: `Kiều Tiến Tiến` is a name
    # though `tiên tiến` is common.
    small = [n if n is not None and n.islower() else None for n in (left, right)]
    # A word that spells no syllable is misread whatever it is (`Kiêềm soát`): a name too.
    if (lettered := model.best_letters(read, *(small if name else (left, right)))) != read:
        # an l or I read for a capital T (`lrung tâm` → `Trung`)
        best = lettered.capitalize() if read[0] in "li" and lettered[0] == "t" else lettered
    elif name and read not in model.unigrams and model.by_fold.get(fold(read)):
        # no name is spelt so: every given name and place is a syllable the model has (`Biêu mức`)
        best = model.best(read, word.confidence, *small)
    elif name:
        best = model.best_strict(read, *small)
    elif word.confidence >= SURE_WORD:
        best = model.best_strict(read, left, right)
    else:
        best = model.best(read, word.confidence, left, right, by_pair)
        # the evidence that changes a word read surely changes an unsure one in small letters too,
        # though the form read is commoner (`tâm nhìn` → `tầm nhìn`, `thúc đây` → `đẩy`); words
        # in capitals are names as often (`LƯƠNG HỮU CƯỜNG`, not `lương hưu`)
        if best == read and not by_pair:
            best = model.best_strict(read, left, right)
    if best == read or model.read_pairs_better(read, best, left, right):
        return word
    if word.confidence >= SURE_LETTERS and read in model.unigrams and _shape(best) != _shape(read) and not (
            model.predicted(best, left, right)):
        return word
    return _replaced(word, core, _in_case_of(core, best))


def _family_name(words: list[Word], i: int, core: str, left: str | None, model: SyllableModel) -> str | None:
    """The family name `core` misreads where it opens a personal name (`ông Trân Ngọc Tân` →
    `Trần`, `Hô Chí Minh` → `Hồ`): two capitalised syllables follow it, no capitalised word runs
    into it (`Thái Nguyên`), and it makes no pair in use with the next one (`Trưởng Ban`, `Tổ
    Quốc`, `Đảng Cộng` are words). None elsewhere. Names in capitals are left alone: headings
    spell them too (`ĐÔ THỊ`)."""
    if not _named(core) or left is not None and _named(left) or (family := misread_family_name(core)) is None:
        return None
    following = words[i + 1 : i + 3]
    cores = [_core(word.text) for word in following]
    if len(following) < 2 or not all(c is not None and _named(c) for c in cores):
        return None
    if not (_joins(words[i].text, following[0].text) and _joins(following[0].text, following[1].text)):
        return None
    # a pair the documents use, not one only in the dictionary (`nguyên văn`, verbatim)
    return None if model.pairs.get(f"{core.lower()} {cores[0].lower()}", 0) >= USED else family


def _unspelt(word: Word, model: SyllableModel) -> bool:
    core = _core(word.text)
    return core is not None and core.lower() not in model.unigrams and not is_vietnamese_syllable(core.lower())


def _speck_comma(words: list[Word], i: int, model: SyllableModel) -> Word:
    """`words[i]` without a comma Tesseract was unsure of inside a phrase that administrative
    text writes unbroken at least SPECK_PAIR times (`thủ tục hành chính mới, ban hành`): a speck
    of a scan read as punctuation. Pairs that lists separate (`tổ chức, cá nhân`) are far rarer."""
    word = words[i]
    if not (word.text.endswith(",") and word.confidence < SPECK_COMMA and i + 1 < len(words)):
        return word
    core, right = _core(word.text), words[i + 1].text
    if core is None or not right[:1].islower() or (after := _core(right)) is None:
        return word
    if model.pairs.get(f"{core.lower()} {after}", 0) < SPECK_PAIR:
        return word
    return word.model_copy(update={"text": word.text[:-1]})


def _replaced(word: Word, core: str, fixed: str) -> Word:
    text = unicodedata.normalize("NFC", word.text)
    start = text.index(core)
    return word.model_copy(update={"text": text[:start] + fixed + text[start + len(core) :]})


# Letters whose small and capital forms have one shape, told apart only by their size: a word of
# small letters can be read in capitals (`làm VIỆC`, `bổ Sung`, `Nghị định SỐ`).
_ONE_SHAPE = frozenset("cosvwxz")


def _case_misread(core: str, left: str | None, right: str | None, model: SyllableModel) -> str | None:
    """The word in small letters when Tesseract read its letters too big: a word in capitals that
    beside a neighbour in small letters makes a pair administrative text uses at least STRONG
    times (`ngày làm VIỆC` → `việc`), or one capitalised, its first letter of one shape in both
    cases, that makes such a pair with the small word before it (`bổ Sung` → `sung`). A word in
    capitals beside another (a name, a heading) and a place after its unit word (`tỉnh Sơn La`)
    stay; None when the word is read right."""
    lower = core.lower()
    if len(core) < 2 or core == lower or not is_vietnamese_syllable(lower):
        return None
    before = model.pairs.get(f"{left} {lower}", 0) if left is not None and left.islower() else 0
    after = model.pairs.get(f"{lower} {right}", 0) if right is not None and right.islower() else 0
    if core.isupper():
        return lower if max(before, after) >= STRONG and not any(n and n.isupper() for n in (left, right)) else None
    # Capitalised: offices, bodies and documents are (`của Sở Y tế`, `của Chính phủ`, `theo Công
    # văn`), so only a word the one before almost always pairs with (`bổ` → `sung`), before a
    # word that is no capitalised name.
    if core != core.capitalize() or fold(core[0]) not in _ONE_SHAPE or f"{left} {core}" in model.named:
        return None
    bound = before >= STRONG and before >= BOUND * model.after.get(left or "", 0)
    return lower if bound and right is not None and not right[:1].isupper() else None


# Units written after a number that spell a syllable too (`10 ha`: hectares, not `hà`).
_UNITS = frozenset(("ha",))


def _unit(core: str, words: list[Word], i: int) -> bool:
    """Whether the word is a unit after a number, to be left as read."""
    return core in _UNITS and i > 0 and words[i - 1].text[-1:].isdigit()


# Kinds of administrative unit, listed one after another (`các xã, phường, thị trấn`): a pair
# across a comma, which the model does not count.
_UNIT_KINDS = {fold(form): form for form in ("xã", "phường", "huyện", "quận", "tỉnh")}


def _listed_unit(core: str, words: list[Word], i: int) -> str | None:
    """The unit kind a word is spelt as, when it follows another one and a comma in a list
    (`xã, phương` → `phường`), and then it stays so; None otherwise."""
    form = _UNIT_KINDS.get(fold(core).lower())
    if form is None or i == 0 or not words[i - 1].text.endswith(","):
        return None
    before = _core(words[i - 1].text)
    return form if before is not None and _UNIT_KINDS.get(fold(before).lower()) == before.lower() else None


# Words legal text puts before a number (`Điều 3`, `khoản 2`, `số 15`, `tháng 02 năm 2025`),
# each the only one of its letters that does: the model counts no pair with a number. An article
# misread is `Điều` with its capital wherever it stands (`tại Điêu 5`; 132 of 133 on the real
# pages); one read with its marks right keeps the case it was read in (`Khoản 1 điều 19`).
_BEFORE_NUMBER = {
    fold(form): form for form in ("Điều", "khoản", "điểm", "số", "tháng", "năm", "chương", "mục")
}


def _numbered(core: str, words: list[Word], i: int, model: SyllableModel) -> str | None:
    """The marks of a word that numbers what follows (`Điêu 1.` → `Điều`), before a number; not
    a common word capitalised after a capitalised one (`Việt Nam 2025` is a name)."""
    form = _BEFORE_NUMBER.get(fold(core))
    if form is None or core == form or i + 1 == len(words) or not words[i + 1].text[:1].isdigit():
        return None
    if core.lower() == form.lower() and not core.isupper():
        return None
    before = _core(words[i - 1].text) if i > 0 else None
    common = model.unigrams.get(core.lower(), 0) * 10 >= model.unigrams.get(form.lower(), 0)
    return None if before and _named(before) and _named(core) and common else form


# A `1` (or `l1`) read for the i of a word (`g1ao`, `gl1ao`, `G1a`), a `Ø` for its g (`Ø1aO`).
_DIGITS_FOR_LETTERS = (("l1", "i"), ("1l", "i"), ("1", "i"), ("\u00d8", "g"))


def _restore_digit_letters(words: list[Word], i: int, model: SyllableModel) -> Word:
    """A word of letters with a `1` for its i (`g1ao thông` → `giao`), or a `Ø` for its g, when the
    syllable so spelt makes a pair administrative text uses (USED times) with a neighbour as read."""
    word = words[i]
    core = unicodedata.normalize("NFC", word.text).strip(_EDGE_PUNCTUATION)
    if not any(seen in core for seen, _ in _DIGITS_FOR_LETTERS) or not any(
            c.isalpha() and c != "\u00d8" for c in core):
        return word
    spelt = core
    for seen, meant in _DIGITS_FOR_LETTERS:
        spelt = spelt.replace(seen, meant)
    if not spelt.isalpha() or not is_vietnamese_syllable(spelt.lower()):
        return word
    left = _core(words[i - 1].text) if i > 0 and words[i - 1].text[-1:].isalpha() else None
    right = _core(words[i + 1].text) if i + 1 < len(words) and words[i + 1].text[:1].isalpha() else None
    if model.support(spelt.lower(), left, right, exact=True) < USED:
        return word
    return _replaced(word, core, _in_case_of(spelt, spelt.lower()))


def _swallowed(text: str, core: str, right: str | None, model: SyllableModel) -> str | None:
    """The word after an opening bracket with the letters the bracket swallowed given back (`(heo
    Phụ lục` → `theo`, `(hông qua` → `thông`, `(ước ngày` → `trước`): the form so spelt makes a
    pair administrative text uses at least STRONG times with the next word, RATIO times more than
    the form read does. None elsewhere."""
    if not text.startswith("(" + core) or not core.islower() or right is None:
        return None
    own = model.pairs.get(f"{core} {right.lower()}", 0)
    for letters in SWALLOWED:
        uses = model.pairs.get(f"{letters}{core} {right.lower()}", 0)
        if uses >= STRONG and uses >= RATIO * (own + 1):
            return letters + core
    return None


def _side(token: str, last: bool) -> str | None:
    """The letters of a neighbouring token that touch the word: of all of it, or of its `last`
    or first part when it is two words joined by a slash (`thẩm định/phê duyệt`)."""
    parts = token.split("/")
    return _core(parts[-1] if last else parts[0]) if len(parts) == 2 else _core(token)


def _joins(first: str, second: str) -> bool:
    return first[-1:].isalpha() and second[:1].isalpha()


def _core(token: str) -> str | None:
    """The letters of a word without the punctuation around it; None for anything else
    (numbers, notations such as `123/QĐ-UBND`, abbreviations with dots)."""
    core = unicodedata.normalize("NFC", token).strip(_EDGE_PUNCTUATION)
    return core if core.isalpha() else None


def _in_case_of(read: str, form: str) -> str:
    if read.isupper() and len(read) > 1:
        return form.upper()
    if read[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
