"""Build ocr/data/vi_syllables.tsv, the syllable language model of ocr/tone_marks.py.

    .venv/bin/pip install wordfreq==3.1.1   # only to build; sohoa does not need it at run time
    .venv/bin/python ocr/data/make_lm.py

Sources, both shipped inside PyPI wheels (nothing is downloaded):
- syllable frequencies: wordfreq 3.1.1's Vietnamese list (`small_vi`, about 10,600 entries from
  Wikipedia, subtitles, news and web text), data licensed CC-BY-SA 4.0 by Robyn Speer; the table
  built from it is therefore CC-BY-SA 4.0 too. wordfreq lists single syllables only.
- syllable pairs: pyvi's word list (`pyvi/models/words.txt`, MIT, 31,000 words, 25,000 of two
  syllables or more): each pair of neighbouring syllables of a word counts once. Plus the phrases
  of administrative language in ocr/postcorrect.py and ADMINISTRATIVE_PHRASES below, and the
  place names of extract/data/places.txt (official names of units).
- unit words before place names: each unit word before the first syllable of each name, with its
  capital (`tỉnh Cà`, `phố Hải`), as documents name places; the capital keeps `bàn tính` from
  losing to `tỉnh` before a common word.

Output: one `form<TAB>count` line per syllable (count: occurrences per billion words, at least 1
for a syllable known only from the word list) and per pair (`thẩm quyền<TAB>1`), lower case, NFC;
then the unit-word pairs, the only lines with a capital.
"""

from __future__ import annotations

import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pyvi  # noqa: E402
import wordfreq  # noqa: E402

from ocr.legacy import is_vietnamese_syllable  # noqa: E402
from ocr.postcorrect import LEGAL_PHRASES  # noqa: E402

OUT = Path(__file__).with_name("vi_syllables.tsv")
PLACES = ROOT / "extract" / "data" / "places.txt"
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


def build() -> tuple[Counter, Counter, set[str]]:
    unigrams: Counter = Counter()
    for word in wordfreq.top_n_list("vi", 100_000):
        word = unicodedata.normalize("NFC", word)
        if is_vietnamese_syllable(word):
            unigrams[word] += max(1, round(wordfreq.word_frequency(word, "vi") * 1e9))
    pairs: Counter = Counter()
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
            pairs[f"{first} {second}"] += 1
    first_syllables = {name.split()[0] for name in places if is_vietnamese_syllable(name.split()[0].lower())}
    named = {f"{unit} {first}" for unit in UNIT_WORDS for first in first_syllables}
    return unigrams, pairs, named


def main() -> None:
    unigrams, pairs, named = build()
    with OUT.open("w", encoding="utf-8") as out:
        out.write("# built by ocr/data/make_lm.py from wordfreq 3.1.1 (CC-BY-SA 4.0), pyvi's word list (MIT), extract/data/places.txt\n")
        for form, count in sorted(unigrams.items(), key=lambda item: (-item[1], item[0])):
            out.write(f"{form}\t{count}\n")
        for form, count in sorted(pairs.items()):
            out.write(f"{form}\t{count}\n")
        for form in sorted(named):
            out.write(f"{form}\t1\n")
    size = OUT.stat().st_size // 1024
    print(f"{OUT}: {len(unigrams)} syllables, {len(pairs)} pairs, {len(named)} before names, {size} KiB")


if __name__ == "__main__":
    main()
