"""Web addresses cut by justified print made whole.

An appendix's table gives each procedure's online address (`Địa chỉ trực tuyến:
https://dichvucong.thanhhoa.gov.vn`) in a narrow, justified cell. Word spreads the address's
letters to fill the line and wraps it at a dot, so Tesseract reads `thanhhoa.go v` and, on the
next line, `.vn` with its v lost or doubled (`.n`, `.vwn`). A domain ends in a known label: an
address whose last label is the start of one, followed by the rest of it, is joined; and a
Vietnamese state domain (`.gov`) goes on with `.vn`, so the short dotted piece read next is
that. Nothing else is touched.
"""

from __future__ import annotations

import re

from ocr.types import Line

_ADDRESS = re.compile(r"^\(?(?:https?://|www\.)[\w\-]+(?:\.[\w\-]+)*\.([a-z]{1,3})$")
_LABELS = ("gov", "com", "org", "net", "edu")
# the rest of a cut label, alone or with the address's next labels (`v`, `v.vn`)
_REST = r"^{}(?=\.[a-z]|[).,;:]*$)"
# the `.vn` after a state domain misread, and the punctuation after it
_COUNTRY = re.compile(r"^\.[a-z]{1,3}(?=[).,;:]*$)")


def mend_web_addresses(lines: list[Line]) -> list[Line]:
    """The lines with each web address cut inside its last label joined, and the `.vn` after a
    state domain spelt right, on its line or at the start of the next."""
    lines = [_joined_line(line) for line in lines]
    spots = [(k, i) for k, line in enumerate(lines) for i in range(len(line.words))]
    for (k, i), (next_k, next_i) in zip(spots, spots[1:]):
        word, after = lines[k].words[i], lines[next_k].words[next_i]
        if word.text.endswith(".gov") and _ADDRESS.match(word.text) and (country := _COUNTRY.match(after.text)) \
                and country[0] != ".vn":
            words = list(lines[next_k].words)
            words[next_i] = after.model_copy(update={"text": ".vn" + after.text[country.end():]})
            lines[next_k] = Line.from_words(words, lines[next_k].block)
    return lines


def _joined_line(line: Line) -> Line:
    words = list(line.words)
    for i in range(len(words) - 2, -1, -1):
        address = _ADDRESS.match(words[i].text)
        if address is None or (label := address[1]) in _LABELS:
            continue
        for known in _LABELS:
            if known.startswith(label) and re.match(_REST.format(known[len(label):]), words[i + 1].text):
                words[i:i + 2] = [words[i].joined_with(words[i + 1], words[i].text + words[i + 1].text)]
                break
    return line if len(words) == len(line.words) else Line.from_words(words, line.block)
