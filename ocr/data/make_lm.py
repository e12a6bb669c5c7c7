"""Build ocr/data/vi_syllables.tsv, the syllable language model of ocr/tone_marks.py.

    .venv/bin/pip install wordfreq==3.1.1   # only to build; sohoa does not need it at run time
    git clone https://github.com/tnt305/tai_lieu_noi_bo && git -C tai_lieu_noi_bo checkout 94c5034
    .venv/bin/python ocr/data/make_lm.py tai_lieu_noi_bo/src/etl/dataset

Sources (the first two shipped inside PyPI wheels):
- syllable frequencies: wordfreq 3.1.1's Vietnamese list (`small_vi`, about 10,600 entries from
  Wikipedia, subtitles, news and web text), data licensed CC-BY-SA 4.0 by Robyn Speer; the table
  built from it is therefore CC-BY-SA 4.0 too. wordfreq lists single syllables only.
- syllable pairs known to exist: pyvi's word list (`pyvi/models/words.txt`, MIT, 31,000 words,
  25,000 of two syllables or more), each pair of neighbouring syllables of a word. Plus the
  phrases of administrative language in ocr/postcorrect.py and ADMINISTRATIVE_PHRASES below, and
  the place names of extract/data/places.txt (official names of units).
- pair counts: the state documents (laws, decrees, circulars, decisions: the national motto and a
  `Số:` line) among the Markdown pages of tnt305/tai_lieu_noi_bo, commit 94c5034 (a crawl of
  thuvienphapluat.vn for a question-answering system; the repository states no licence, but
  legal and administrative documents are not protected by copyright, Law on Intellectual
  Property art. 15, and only the documents' text is counted, not the crawler's page furniture).
  334 documents, 7 MB, 1.27 million syllables; documents whose number is one of the development
  set's (../shared/realdocs/truth.jsonl) are left out. A pair is counted inside a run of
  syllables that no punctuation, number or markup breaks, lower case, NFC; pairs seen fewer than
  MIN_PAIR times are dropped as likely typos of the crawl.
- unit words before place names: each unit word before the first syllable of each name, with its
  capital (`tỉnh Cà`, `phố Hải`), as documents name places; the capital keeps `bàn tính` from
  losing to `tỉnh` before a common word.
- words the corpus writes with a capital after a small word (`tướng Chính`, `của Sở`: a body's
  name), in at least CAPITAL_SHARE of the pair's uses and at least CAPITAL_MIN times; with them a
  capital read there stays, though its pair is common in small letters too.

Output: one `form<TAB>count` line per syllable (count: occurrences per billion words, at least 1
for a syllable known only from the word list or the corpus) and per pair (count: occurrences in
the corpus, 0 for a pair known only from the word list), lower case, NFC; then the unit-word
pairs and the pairs written with a capital, the only lines with a capital.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pyvi  # noqa: E402
import wordfreq  # noqa: E402

from ocr.vntext import is_vietnamese_syllable  # noqa: E402
from ocr.postcorrect import LEGAL_PHRASES  # noqa: E402

OUT = Path(__file__).with_name("vi_syllables.tsv")
PLACES = ROOT / "extract" / "data" / "places.txt"
CORPUS = "github.com/tnt305/tai_lieu_noi_bo@94c5034af72cc7e5020694d06eceb126a103d48b"
# The development set's documents are left out of the counts, so it measures the model fairly.
DEV_TRUTH = ROOT.parent / "shared" / "realdocs" / "truth.jsonl"
# A corpus pair seen fewer times is as likely a typo of the crawl as language.
MIN_PAIR = 3
# A pair is written with a capital when the corpus writes it so this often and this share of the
# time (`tướng Chính` 622 times against 1, `của Chính` 1,444 against 68).
CAPITAL_MIN = 50
CAPITAL_SHARE = 0.9
# Capitals are counted outside the lines that this share of the documents repeat word for word.
FURNITURE_SHARE = 0.4
UNIT_WORDS = ("tỉnh", "phố", "huyện", "quận", "xã", "phường", "trấn", "khu")  # (thành) phố, (thị) xã ...
# Word sequences of administrative and legal text that the word list lacks (it is a dictionary
# of words, not of phrases). Generic language of the documents, not of any one document.
ADMINISTRATIVE_PHRASES = (
    "nền kinh tế", "kinh tế xã hội", "thủ tục hành chính", "cơ quan nhà nước", "thẩm quyền giải quyết",
    "kiểm tra giám sát", "sửa đổi bổ sung", "bổ sung một số điều", "ban hành kèm theo", "quyết định này",
    "có hiệu lực kể từ ngày ký", "chịu trách nhiệm thi hành", "nơi nhận", "như điều", "lưu vt",
    "phó chủ tịch", "chủ tịch ủy ban nhân dân", "sở tư pháp", "sở nội vụ", "sở tài chính",
    "sở kế hoạch và đầu tư", "sở tài nguyên và môi trường", "sở y tế", "sở giáo dục và đào tạo",
    "phòng tài nguyên và môi trường", "ủy ban nhân dân cấp xã", "ủy ban nhân dân cấp huyện",
    "ủy ban nhân dân cấp tỉnh", "trung tâm phục vụ hành chính công", "dịch vụ công trực tuyến",
    "cổng dịch vụ công quốc gia", "cơ sở dữ liệu quốc gia", "danh mục thủ tục hành chính",
    "quy trình nội bộ", "thời hạn giải quyết", "phí lệ phí", "thành phần hồ sơ", "số lượng hồ sơ",
    "cách thức thực hiện", "trình tự thực hiện", "đối tượng thực hiện", "kết quả thực hiện",
    "yêu cầu điều kiện", "căn cứ pháp lý", "giấy chứng nhận quyền sử dụng đất",
    "quyền sở hữu nhà ở và tài sản khác gắn liền với đất", "giấy phép", "công bố", "phê duyệt",
    "lĩnh vực", "bãi bỏ", "thay thế", "được công bố", "tổ chức thực hiện", "triển khai thực hiện",
    # the labels of the fields sohoa reads (docs/fields.md)
    "thửa đất số", "tờ bản đồ số", "diện tích", "số phát hành", "mã thủ tục hành chính",
    "mã số hộ kinh doanh", "quyển số", "có giá trị sử dụng đến ngày", "thời hạn sử dụng",
)


def syllables(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).lower().split()


# A state document of the corpus: the national motto and a number line.
_STATE_DOCUMENT = re.compile(r"C[ỘO]NG H[ÒO][AÀ] X[ÃA] H[ỘO]I", re.IGNORECASE)
_NUMBER = re.compile(r"Số:\s*(\d+(?:/[\w\-]+)+)")
# The crawler's page furniture around the document text, not language of documents.
_FURNITURE = ("THƯ VIỆN PHÁP LUẬT", "Bản dịch", "copyright", "Đang tải", "Click vào", "Số hiệu", "Loại văn bản")
_PUNCTUATION = "\"'“”‘’()[].,;:!?…-–"
# Markdown marks, table rules and escapes of the crawl; words stand between them.
_MARKUP = re.compile(r"[*#|\\_`>]+")


def excluded_numbers(truth: Path) -> set[str]:
    """The document numbers of a truth.jsonl (none if it is absent): its documents are left out."""
    if not truth.exists():
        return set()
    rows = [json.loads(row) for row in truth.read_text(encoding="utf-8").splitlines() if row.strip()]
    return {row["fields"]["document_number"] for row in rows if row.get("fields", {}).get("document_number")}


def corpus_documents(folder: Path, excluded: set[str]) -> list[str]:
    """The state documents of the crawl (`*.md`), without those the development set holds."""
    documents = []
    for path in sorted(folder.glob("*.md")):
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
        if not _STATE_DOCUMENT.search(text) or not (number := _NUMBER.search(text)):
            continue
        if number.group(1) in excluded:
            continue
        documents.append(text)
    return documents


def runs(text: str) -> list[list[str]]:
    """Runs of syllables (as written) of one document that no punctuation, number or markup
    breaks: a pair is counted only inside a run, as tone_marks.py only pairs words that join."""
    found = []
    for line in text.splitlines():
        if any(mark in line for mark in _FURNITURE):
            continue
        run: list[str] = []
        for token in _MARKUP.sub(" ", line).split():
            core = token.strip(_PUNCTUATION)
            word = core.isalpha() and is_vietnamese_syllable(core.lower())
            if not word or token[0] != core[0]:  # punctuation or a non-word before it ends the run
                found.append(run)
                run = []
            if word:
                run.append(core)
            if word and token[-1] != core[-1]:  # punctuation after it ends it too
                found.append(run)
                run = []
        found.append(run)
    return [run for run in found if len(run) > 1]


def repeated_lines(documents: list[str]) -> set[str]:
    """Lines found word for word in at least FURNITURE_SHARE of the documents: the site's notices
    (`Xin lỗi Quý khách …`), which write capitals no document would."""
    seen: Counter = Counter()
    for document in documents:
        seen.update({line.strip() for line in document.splitlines()})
    return {line for line, count in seen.items() if count >= FURNITURE_SHARE * len(documents)}


def corpus_counts(documents: list[str]) -> tuple[Counter, Counter, set[str]]:
    """Syllable and pair counts (lower case), and the pairs written with a capital (`tướng Chính`)."""
    unigrams: Counter = Counter()
    pairs: Counter = Counter()
    furniture = repeated_lines(documents)
    # the pairs as written, outside the furniture (`tướng Chính`, `tướng chính`)
    written: Counter = Counter()
    for document in documents:
        for run in runs(document):
            unigrams.update(word.lower() for word in run)
            pairs.update(f"{first.lower()} {second.lower()}" for first, second in zip(run, run[1:]))
        lines = "\n".join(line for line in document.splitlines() if line.strip() not in furniture)
        for run in runs(lines):
            written.update(f"{first} {second}" for first, second in zip(run, run[1:]) if first.islower())
    folded: Counter = Counter()
    for pair, count in written.items():
        folded[pair.lower()] += count
    capitalised = {
        pair for pair, count in written.items()
        if _capitalised(pair.split()[1]) and count >= CAPITAL_MIN and count >= CAPITAL_SHARE * folded[pair.lower()]
    }
    return unigrams, pairs, capitalised


def _capitalised(word: str) -> bool:
    return word == word.capitalize() != word.lower()


def build(corpus: list[str]) -> tuple[Counter, Counter, set[str]]:
    unigrams: Counter = Counter()
    for word in wordfreq.top_n_list("vi", 100_000):
        word = unicodedata.normalize("NFC", word)
        if is_vietnamese_syllable(word):
            unigrams[word] += max(1, round(wordfreq.word_frequency(word, "vi") * 1e9))
    corpus_unigrams, corpus_pairs, capitalised = corpus_counts(corpus)
    # A pair counts as often as administrative text uses it; one of the word list that the
    # corpus lacks is known with count 0.
    pairs: Counter = Counter({pair: count for pair, count in corpus_pairs.items() if count >= MIN_PAIR})
    for syllable, count in corpus_unigrams.items():
        if count >= MIN_PAIR:
            unigrams.setdefault(syllable, 1)
    words_file = Path(pyvi.__file__).with_name("models") / "words.txt"
    places = [name for name in PLACES.read_text(encoding="utf-8").splitlines() if not name.startswith("#")]
    phrases = [
        *words_file.read_text(encoding="utf-8").splitlines(),
        *LEGAL_PHRASES,
        *ADMINISTRATIVE_PHRASES,
        *places,
    ]
    for phrase in phrases:
        parts = syllables(phrase)
        if not parts or not all(map(is_vietnamese_syllable, parts)):
            continue
        for part in parts:
            unigrams.setdefault(part, 1)
        for first, second in zip(parts, parts[1:]):
            pairs[f"{first} {second}"] = corpus_pairs.get(f"{first} {second}", 0)
    first_syllables = {name.split()[0] for name in places if is_vietnamese_syllable(name.split()[0].lower())}
    named = {f"{unit} {first}" for unit in UNIT_WORDS for first in first_syllables} | capitalised
    return unigrams, pairs, named


def documents_from_arguments(description: str) -> list[str]:
    """The corpus's documents, from the command line both builders take."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("corpus", type=Path, help="src/etl/dataset of tnt305/tai_lieu_noi_bo at the commit above")
    parser.add_argument("--exclude", type=Path, default=DEV_TRUTH, help="truth.jsonl whose documents to leave out")
    args = parser.parse_args()
    return corpus_documents(args.corpus, excluded_numbers(args.exclude))


def main() -> None:
    documents = documents_from_arguments(__doc__.split("\n")[0])
    unigrams, pairs, named = build(documents)
    with OUT.open("w", encoding="utf-8") as out:
        out.write(
            "# built by ocr/data/make_lm.py from wordfreq 3.1.1 (CC-BY-SA 4.0), pyvi's word list (MIT),"
            f" extract/data/places.txt and pair counts of {len(documents)} state documents of"
            f" {CORPUS} (public domain, Law on Intellectual Property art. 15)\n"
        )
        for form, count in sorted(unigrams.items(), key=lambda item: (-item[1], item[0])):
            out.write(f"{form}\t{count}\n")
        for form, count in sorted(pairs.items()):
            out.write(f"{form}\t{count}\n")
        for form in sorted(named):
            out.write(f"{form}\t1\n")
    size = OUT.stat().st_size // 1024
    print(f"{OUT}: {len(documents)} corpus documents, {len(unigrams)} syllables, {len(pairs)} pairs,"
          f" {len(named)} before names or written with a capital, {size} KiB")


if __name__ == "__main__":
    main()
