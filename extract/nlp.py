"""spaCy over a document's text: where the labels of body fields stand.

The pipeline is `spacy.blank("vi")`, which segments words with pyvi (`bản đồ`, `diện tích`
are one token each), plus a component that sets each token's norm to its accent-folded
lower case. Labels (`thửa đất số`, `Mã thủ tục hành chính`, `Quyển số`) are Matcher
patterns on those norms, so a lost or wrong tone mark does not hide a label, with one
pattern for every way the label's syllables may be grouped into tokens: pyvi keeps
`bản đồ` together when the marks are right and may split it when OCR mangled them.
Each field's value is then read from the text after its label by that field's own rule.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from ocr.vntext import fold

# Field → its labels, accent-folded, syllables separated by single spaces.
LABELS: dict[str, tuple[str, ...]] = {
    "land_parcel": ("thua dat so",),
    "map_sheet": ("to ban do so",),
    "land_area": ("dien tich",),
    "land_serial": ("so phat hanh", "so seri"),
    "procedure_code": ("ma thu tuc hanh chinh", "ma tthc"),
    "business_code": ("ma so ho kinh doanh",),
    "register_book": ("quyen so",),
    "valid_until": ("co gia tri su dung den ngay", "co gia tri den ngay", "thoi han su dung"),
}


@Language.component("sohoa_folded_norm")
def folded_norm(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = fold(token.text)
    return doc


def groupings(syllables: list[str]) -> list[list[str]]:
    """Every way to cut a run of syllables into consecutive tokens (2^(n-1) of them)."""
    cuts = range(1, len(syllables))
    result = []
    for size in range(len(syllables)):
        for chosen in itertools.combinations(cuts, size):
            bounds = [0, *chosen, len(syllables)]
            result.append([" ".join(syllables[a:b]) for a, b in itertools.pairwise(bounds)])
    return result


def label_patterns(label: str) -> list[list[dict]]:
    return [[{"NORM": token} for token in tokens] for tokens in groupings(label.split())]


def open_pyvi_model() -> None:
    """Open pyvi's word-segmentation model now and remove its temporary file.

    Unpickling the model writes it to a temporary file that only a finaliser removes, and a
    killed worker never runs it: 1,135 such files (700 MB) had piled up in /tmp here. The
    tagger reads the file whole when it opens it, so the file is not needed afterwards.
    """
    from pyvi.ViTokenizer import ViTokenizer

    model = ViTokenizer.model
    if model.tagger_ is not None:
        model.modelfile.cleanup()


# Built once per process under a lock: two worker threads building it at once both open pyvi's
# model file, and the first to finish removes it under the other (FileNotFoundError).
_PIPELINE_LOCK = threading.Lock()


def pipeline() -> tuple[Language, Matcher]:
    """The shared pipeline and label matcher (pyvi loads its model once, about 1.5 s)."""
    with _PIPELINE_LOCK:
        return _pipeline()


@lru_cache(maxsize=1)
def _pipeline() -> tuple[Language, Matcher]:
    nlp = spacy.blank("vi")
    open_pyvi_model()
    nlp.add_pipe("sohoa_folded_norm")
    matcher = Matcher(nlp.vocab)
    for name, labels in LABELS.items():
        matcher.add(name, [pattern for label in labels for pattern in label_patterns(label)])
    return nlp, matcher


@dataclass(frozen=True)
class LabelHit:
    field: str
    start: int  # character offsets of the label in the text
    end: int


def find_labels(text: str) -> list[LabelHit]:
    """Every field label in an NFC text, in reading order; overlapping hits keep the longest."""
    nlp, matcher = pipeline()
    doc = nlp(text)
    spans = [(doc.vocab.strings[key], doc[start:end]) for key, start, end in matcher(doc)]
    spans.sort(key=lambda item: (item[1].start_char, -len(item[1].text)))
    hits: list[LabelHit] = []
    for name, span in spans:
        if hits and span.start_char < hits[-1].end:
            continue
        hits.append(LabelHit(name, span.start_char, span.end_char))
    return hits
