"""The real-browser harness (tests/browser.py) end to end: a form posted by headless Chromium to a live
uvicorn server, and a CSS highlight over a scanned page found in a screenshot where the layout says it is.
"""

import io
import socket
import unicodedata
from urllib.parse import parse_qs

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from PIL import Image, ImageDraw
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from browser import WINDOW_SIZE, Box, colour_bounds, colour_fraction, element_box, load_rgb, serve_in_thread

pytestmark = pytest.mark.integration

HOLDER = unicodedata.normalize("NFC", "Nguyễn Thị Ánh Tuyết")
RECORD_ID = unicodedata.normalize("NFC", "HS-2024/001 — Sở Tư pháp")

# A "scan" of 800x600 pixels shown at half size, and an OCR word box on it in scan pixels, as the desk has.
SCAN_SIZE = (800, 600)
SHOWN_WIDTH = 400
WORD_BOX = (200, 240, 440, 300)  # left, top, right, bottom
HIGHLIGHT = (255, 0, 200)

PAGE = f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Kiểm tra</title>
<style>
  body {{ margin: 0; font-family: sans-serif; }}
  .scan {{ position: relative; display: inline-block; margin: 37px 0 0 53px; }}
  .scan img {{ display: block; width: {SHOWN_WIDTH}px; }}
  .mark {{ position: absolute; background: rgb{HIGHLIGHT};
           left: {WORD_BOX[0] / SCAN_SIZE[0]:.4%}; top: {WORD_BOX[1] / SCAN_SIZE[1]:.4%};
           width: {(WORD_BOX[2] - WORD_BOX[0]) / SCAN_SIZE[0]:.4%};
           height: {(WORD_BOX[3] - WORD_BOX[1]) / SCAN_SIZE[1]:.4%}; }}
</style></head>
<body>
  <div class="scan"><img id="scan" src="/scan.png" alt="Trang 1"><div class="mark" id="mark"></div></div>
  <form method="post" action="/submit">
    <input type="hidden" name="record_id" value="{RECORD_ID}">
    <label>Họ và tên <input id="holder" name="holder"></label>
    <button id="save" type="submit">Lưu</button>
  </form>
</body></html>"""


def scan_png() -> bytes:
    """A white page with dark "text" lines, so the highlight's pixels stand out from the page."""
    image = Image.new("RGB", SCAN_SIZE, "white")
    draw = ImageDraw.Draw(image)
    for top in range(60, SCAN_SIZE[1] - 60, 60):
        draw.rectangle((80, top, SCAN_SIZE[0] - 80, top + 18), fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def tiny_app(received: list[dict]) -> FastAPI:
    app = FastAPI()
    png = scan_png()

    @app.get("/", response_class=HTMLResponse)
    def page():
        return PAGE

    @app.get("/scan.png")
    def scan():
        return Response(png, media_type="image/png")

    @app.post("/submit", response_class=HTMLResponse)
    async def submit(request: Request):
        body = (await request.body()).decode("utf-8")
        received.append(
            {
                "content_type": request.headers["content-type"],
                "language": request.headers.get("accept-language", ""),
                "form": parse_qs(body, keep_blank_values=True),
            }
        )
        return '<!doctype html><meta charset="utf-8"><p id="saved">Đã lưu</p>'

    return app


def test_form_posts_vietnamese_values_to_live_server(browser, live_server, screenshot):
    received: list[dict] = []
    base_url = live_server(tiny_app(received))

    browser.get(base_url + "/")
    assert browser.title == "Kiểm tra"
    assert browser.execute_script("return window.innerWidth") == WINDOW_SIZE[0]
    browser.find_element(By.ID, "holder").send_keys(HOLDER)
    browser.find_element(By.ID, "save").click()
    saved = WebDriverWait(browser, 10).until(expected_conditions.presence_of_element_located((By.ID, "saved")))

    assert saved.text == "Đã lưu"
    assert len(received) == 1
    assert received[0]["content_type"] == "application/x-www-form-urlencoded"
    assert received[0]["language"].startswith("vi-VN")
    form = received[0]["form"]
    assert form == {"record_id": [RECORD_ID], "holder": [HOLDER]}
    # Chromium sends what was typed, code point for code point: NFC in, NFC out.
    assert unicodedata.is_normalized("NFC", form["holder"][0])
    screenshot("saved")


def test_highlight_pixels_land_on_the_word_box(browser, live_server, screenshot):
    base_url = live_server(tiny_app([]))
    browser.get(base_url + "/")
    scan = browser.find_element(By.ID, "scan")
    WebDriverWait(browser, 10).until(lambda _: browser.execute_script("return arguments[0].complete", scan))

    image_box = element_box(browser, scan)
    assert (image_box.left, image_box.top, image_box.width) == (53, 37, SHOWN_WIDTH)
    # Where the word box falls on screen, from the scan's own coordinates and the display scale.
    scale = image_box.width / SCAN_SIZE[0]
    expected = Box(
        image_box.left + round(WORD_BOX[0] * scale),
        image_box.top + round(WORD_BOX[1] * scale),
        image_box.left + round(WORD_BOX[2] * scale),
        image_box.top + round(WORD_BOX[3] * scale),
    )
    assert element_box(browser, browser.find_element(By.ID, "mark")) == expected

    pixels = load_rgb(screenshot("highlight"))
    assert pixels.shape[:2] == (browser.execute_script("return window.innerHeight"), WINDOW_SIZE[0])
    found = colour_bounds(pixels, HIGHLIGHT)
    assert found is not None, "no highlight pixels in the screenshot"
    # Sub-pixel edges may be blended into a neighbour: one pixel of slack on each side.
    assert max(
        abs(found.left - expected.left),
        abs(found.top - expected.top),
        abs(found.right - expected.right),
        abs(found.bottom - expected.bottom),
    ) <= 1, (found, expected)
    assert colour_fraction(pixels, expected.inset(1), HIGHLIGHT) == 1.0
    # The rest of the scan shows the page, not the highlight.
    left_of_word = Box(image_box.left, image_box.top, expected.left, image_box.bottom)
    assert colour_fraction(pixels, left_of_word, HIGHLIGHT) == 0


def test_live_server_stops_and_frees_its_port():
    with serve_in_thread(tiny_app([])) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        socket.create_connection((host, int(port)), timeout=2).close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=2)
