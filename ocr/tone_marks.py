"""Restore tone and vowel marks Tesseract got wrong, from a syllable language model.

On real fonts (Times New Roman) Tesseract reads `thẩm quyền` as `thâm quyên`, `bổ sung` as
`bồ sung`, `QUYẾT` as `QUYÉT`: same letters, other marks. So the candidates for a word are the
syllables that fold to the same letters (`ocr.vntext.fold`), and each is scored log-linearly:
how common the syllable is, whether it forms a known pair with the neighbour on either side
(as read: full weight; with other marks on the neighbour, which may be misread too: half, so
`thâm quyên` finds the pair `thẩm quyền`), and, for the form read, Tesseract's confidence in it.
A word is rewritten only when another form clearly wins, in two passes (the second sees the
first's fixes as context). Words Tesseract is very sure of, capitalised words inside a line
(names), numbers, notations (`123/QĐ-UBND`) and words whose letters fold to no known syllable
are never touched.

The model is ocr/data/vi_syllables.tsv (built by ocr/data/make_lm.py; sources and licence there).
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path

from ocr.types import Line, Word
from ocr.vntext import fold

MODEL = Path(__file__).with_name("data") / "vi_syllables.tsv"
# Tesseract's wrong marks on real pages come with confidences up to about 0.97; above that it is
# almost always right, and a rare word read that surely (a name) must stay.
SURE_WORD = 0.97
# Weights of the log-linear score, in nats. A known pair with a neighbour is strong evidence
# (compounds are the bulk of Vietnamese words); keeping the read form is worth KEEP × confidence,
# and another form must beat it by MARGIN more.
PAIR = 4.0
# A unit word before a capitalised place name (`tỉnh Cà Mau`) is the most specific pair there is:
# it outweighs a compound that the left neighbour happens to make (`nhân dân tình`, `bàn tính`).
NAMED_PAIR = 2 * PAIR
KEEP = 4.0
MARGIN = 1.0
# A syllable the model lacks counts as this many per billion words.
UNSEEN = 0.5
_EDGE_PUNCTUATION = "\"'“”‘’()[].,;:!?…*"


class SyllableModel:
    """Syllable counts and pairs, indexed by their folded form."""

    def __init__(self, unigrams: dict[str, int], pairs: dict[str, int], named: set[str] | None = None):
        self.unigrams = unigrams
        self.pairs = pairs
        # A unit word before a place name (`tỉnh Cà`), known only before a capitalised word.
        self.named = named or set()
        self.by_fold: dict[str, list[str]] = defaultdict(list)
        for form in unigrams:
            self.by_fold[fold(form)].append(form)
        # "tham quyen" -> {"thẩm": 1, "quyền": 1} seen on the left/right side of the pair
        self.left: dict[str, dict[str, int]] = defaultdict(dict)
        self.right: dict[str, dict[str, int]] = defaultdict(dict)
        for pair, count in pairs.items():
            first, second = pair.split(" ")
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

    def score(self, form: str, left: str | None, right: str | None) -> float:
        """Log-linear score of `form` (lower case) between its neighbours as read."""
        return math.log(self.unigrams.get(form, UNSEEN)) + self.pair_score(form, left, right)

    def pair_score(self, form: str, left: str | None, right: str | None) -> float:
        value = 0.0
        if left is not None:
            value += self._pair(f"{left.lower()} {form}", self.right, form)
        if right is not None:
            value += NAMED_PAIR if _named(right) and f"{form} {right}" in self.named else 0.0
            value += self._pair(f"{form} {right.lower()}", self.left, form)
        return value

    def exact_pairs(self, form: str, left: str | None, right: str | None) -> int:
        """How many of the neighbours, as read, make a known pair with `form`."""
        before = left is not None and f"{left.lower()} {form}" in self.pairs
        after = right is not None and (
            f"{form} {right.lower()}" in self.pairs or _named(right) and f"{form} {right}" in self.named
        )
        return before + after

    def _pair(self, pair: str, side: dict[str, dict[str, int]], form: str) -> float:
        """PAIR if `pair` is known as read; half as much if only with other marks on the
        neighbour, which may be misread too (`thâm quyên`) or be another word."""
        if pair in self.pairs:
            return PAIR
        return PAIR / 2 if side.get(fold(pair), {}).get(form) else 0.0

    def best(self, read: str, confidence: float, left: str | None, right: str | None, by_pair: bool = False) -> str:
        """The form of `read` (lower case) to keep: itself unless another clearly wins.

        With `by_pair`, only a form that makes more known pairs with the neighbours as read than
        the form read does may win.
        """
        candidates = self.by_fold.get(fold(read), [])
        if not candidates or candidates == [read]:
            return read
        winner, top = read, self.score(read, left, right) + KEEP * confidence + MARGIN
        read_pairs = self.exact_pairs(read, left, right)
        marks = _marks(read)
        for form in candidates:
            # hóa/hoá, thủy/thuỷ are one word spelt two ways: never swap them.
            if _marks(form) == marks or by_pair and self.exact_pairs(form, left, right) <= read_pairs:
                continue
            if (value := self.score(form, left, right)) > top:
                winner, top = form, value
        return winner


def _named(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _marks(syllable: str) -> list[str]:
    """The marks of a syllable, wherever they sit."""
    return sorted(c for c in unicodedata.normalize("NFD", syllable) if unicodedata.combining(c))


@cache
def default_model() -> SyllableModel:
    return SyllableModel.load()


def restore_tone_marks(lines: list[Line], model: SyllableModel | None = None) -> tuple[list[Line], int]:
    """The lines with unsure syllables given their likeliest marks; also how many words changed."""
    model = model or default_model()
    fixed_lines, changed = [], 0
    for line in lines:
        fixed, count = _restore_line(line, model)
        fixed_lines.append(fixed)
        changed += count
    return fixed_lines, changed


def _restore_line(line: Line, model: SyllableModel) -> tuple[Line, int]:
    words = list(line.words)
    changed = 0
    # A second pass sees the first one's fixes as context: in `thâm quyên` the pair is only
    # certain once `quyên` has become `quyền`.
    for _ in range(2):
        fixed = [_restore_word(words, i, model) for i in range(len(words))]
        count = sum(new.text != old.text for new, old in zip(fixed, words))
        if not count:
            break
        words, changed = fixed, changed + count
    return (Line.from_words(words, line.block), changed) if changed else (line, 0)


def _restore_word(words: list[Word], i: int, model: SyllableModel) -> Word:
    word = words[i]
    core = _core(word.text)
    if core is None or word.confidence >= SURE_WORD:
        return word
    # A pair does not reach across punctuation: `đăng ký, quản lý` is not `ký quản`.
    left = _core(words[i - 1].text) if i > 0 and _joins(words[i - 1].text, word.text) else None
    right = _core(words[i + 1].text) if i + 1 < len(words) and _joins(word.text, words[i + 1].text) else None
    # A capitalised word inside a line or before another is most likely a name (`Thị Hằng`,
    # `thôn Lai Sơn`, `Phan Hữu Sơn`); names are where the model knows least, and places are
    # restored against the gazetteer later.
    if _named(core) and (i > 0 or right is not None and _named(right)):
        return word
    # Upper case is headings (`QUYÉT ĐỊNH`) but also names (`TẠ PHƯƠNG HẰNG`): only a known pair
    # may change it, never frequency alone.
    by_pair = core.isupper() and len(core) > 1
    best = model.best(core.lower(), word.confidence, left, right, by_pair)
    if best == core.lower():
        return word
    text = unicodedata.normalize("NFC", word.text)
    start = text.index(core)
    return word.model_copy(update={"text": text[:start] + _in_case_of(core, best) + text[start + len(core) :]})


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
