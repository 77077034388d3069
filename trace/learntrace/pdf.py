"""Print the HTML report to PDF with a headless Chromium, when one is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from learntrace.errors import TraceError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run", "--hide-scrollbars",
)


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium() -> str:
    found = find_chromium()
    if found is None:
        raise TraceError(
            "a PDF needs a headless Chromium, and none is installed (on Debian or Ubuntu: apt-get install chromium); "
            "the HTML report prints to PDF from any browser too"
        )
    return found


def _run_chromium(args: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="trace-chromium-") as profile:
        result = subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                                capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise TraceError(f"Chromium could not render the report: {result.stderr.strip()[-500:]}")


def html_to_pdf(html: Path, stamp: str) -> bytes:
    """The PDF of an HTML file; its creation dates are set to `stamp` (D:YYYYMMDDhhmmss) so reruns are identical."""
    with tempfile.TemporaryDirectory(prefix="trace-pdf-") as folder:
        out = Path(folder) / "report.pdf"
        _run_chromium(["--no-pdf-header-footer", f"--print-to-pdf={out}", html.resolve().as_uri()])
        if not out.exists():
            raise TraceError("Chromium finished but wrote no PDF")
        data = out.read_bytes()
    # Chromium stamps the clock into the PDF; the commit's date keeps the file reproducible.
    return re.sub(rb"/(CreationDate|ModDate) \(D:[0-9]{14}[^)]*\)",
                  lambda m: b"/" + m.group(1) + b" (D:" + stamp.encode() + b"+00'00')", data)


def html_to_png(html: Path, out: Path, width: int = 1200, height: int = 2400) -> None:
    """A screenshot of the HTML (for checking how a report looks)."""
    _run_chromium([f"--window-size={width},{height}", f"--screenshot={out.resolve()}", html.resolve().as_uri()])
    if not out.exists():
        raise TraceError("Chromium finished but wrote no screenshot")
