"""Real-browser test harness: Debian's headless Chromium driven by Selenium through Debian's chromedriver.

Both come from apt (`chromium`, `chromium-driver`, in the Makefile's APT_PACKAGES), so the driver always
matches the browser's version and nothing is downloaded: Selenium Manager is never consulted because the
driver's path is given explicitly. The browser reaches loopback only (every other host goes to a dead
proxy), so a page that loads an asset from elsewhere shows it broken in the test, as it would offline.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

# Belt and braces: should anything reach Selenium Manager, it must not go to the network.
os.environ.setdefault("SE_OFFLINE", "true")

WINDOW_SIZE = (1366, 768)
INSTALL_HINT = "apt-get install chromium chromium-driver (`make test` installs both)"


class BrowserMissing(RuntimeError):
    """Chromium or chromedriver is not installed."""


def artifacts_dir() -> Path:
    """Where tests leave files for a human (CI keeps the folder): SOHOA_TEST_ARTIFACTS or tests/artifacts."""
    folder = os.environ.get("SOHOA_TEST_ARTIFACTS")
    return Path(folder) if folder else Path(__file__).parent / "artifacts"


def browser_binaries() -> tuple[str, str]:
    """(chromium, chromedriver) paths from PATH, or BrowserMissing naming the apt packages."""
    chromium = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    missing = [name for name, path in (("chromium", chromium), ("chromedriver", driver)) if path is None]
    if missing:
        raise BrowserMissing(f"{' and '.join(missing)} not found: {INSTALL_HINT}")
    return chromium, driver


def start_chromium(user_data_dir: Path):
    """A headless Chromium WebDriver with a 1366x768 window (the desk's smallest supported screen)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = browser_binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",  # tests run as root in CI containers, where the sandbox cannot start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={WINDOW_SIZE[0]},{WINDOW_SIZE[1]}",
        # One screenshot pixel per CSS pixel, so element boxes index screenshots directly.
        "--force-device-scale-factor=1",
        f"--user-data-dir={user_data_dir}",
        # Loopback bypasses the proxy; anything else is refused, so no test depends on the internet.
        "--proxy-server=http://127.0.0.1:9",
        "--no-first-run",
        "--disable-extensions",
    ):
        options.add_argument(argument)
    # Clerks' browsers ask for Vietnamese (Accept-Language, navigator.language); `--lang` is ignored on Linux.
    options.add_experimental_option("prefs", {"intl.accept_languages": "vi-VN,vi"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    # Headless windows may open slightly smaller than asked; the viewport is what layouts see.
    driver.set_window_size(*WINDOW_SIZE)
    return driver


@dataclass(frozen=True)
class Box:
    """A rectangle in screenshot pixels: [left, right) x [top, bottom)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def inset(self, pixels: int) -> Box:
        return Box(self.left + pixels, self.top + pixels, self.right - pixels, self.bottom - pixels)


def element_box(driver, element) -> Box:
    """The element's border box in viewport screenshot pixels (scroll it into view first)."""
    rect = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(), s = window.devicePixelRatio;"
        "return [r.left * s, r.top * s, r.right * s, r.bottom * s];",
        element,
    )
    left, top, right, bottom = (round(value) for value in rect)
    return Box(left, top, right, bottom)


def save_screenshot(driver, path: Path) -> Path:
    """The viewport as PNG at `path` (folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not driver.save_screenshot(str(path)):
        raise RuntimeError(f"Chromium could not write the screenshot {path}")
    return path


def load_rgb(path: Path) -> np.ndarray:
    """A screenshot as an H x W x 3 uint8 array."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def colour_mask(pixels: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 12) -> np.ndarray:
    """True where every channel is within `tolerance` of `rgb` (antialiasing and blending blur edges)."""
    return (np.abs(pixels.astype(np.int16) - np.array(rgb, dtype=np.int16)) <= tolerance).all(axis=2)


def colour_fraction(pixels: np.ndarray, box: Box, rgb: tuple[int, int, int], tolerance: int = 12) -> float:
    """The share of the box's pixels that have colour `rgb`."""
    region = pixels[max(box.top, 0) : box.bottom, max(box.left, 0) : box.right]
    if region.size == 0:
        return 0.0
    return float(colour_mask(region, rgb, tolerance).mean())


def colour_bounds(pixels: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 12) -> Box | None:
    """The bounding box of every pixel with colour `rgb`, or None when there is none."""
    rows, columns = np.nonzero(colour_mask(pixels, rgb, tolerance))
    if rows.size == 0:
        return None
    return Box(int(columns.min()), int(rows.min()), int(columns.max()) + 1, int(rows.max()) + 1)


def free_loopback_socket() -> socket.socket:
    """A socket bound to a free 127.0.0.1 port, handed to uvicorn so no other process can take the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def serve_in_thread(app, start_timeout: float = 10.0) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a background thread; yields its base URL, stops it on exit."""
    import uvicorn

    sock = free_loopback_socket()
    host, port = sock.getsockname()
    # uvicorn installs signal handlers only in the main thread, so a thread leaves pytest's alone.
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(
                f"uvicorn did not start on {host}:{port} within {start_timeout} s (see its log above)"
            )
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        if thread.is_alive():
            raise RuntimeError(f"uvicorn on {host}:{port} did not stop within 10 s")


def sign_in(driver, base: str, name: str, password: str) -> None:
    """Log in through the desk's form and wait for the home page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base + "/dang-nhap")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, ".login button[type=submit]").click()
    WebDriverWait(driver, 10).until(ec.url_to_be(base + "/"))
