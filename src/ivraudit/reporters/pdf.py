"""The regulator's copy: the report's print.html printed to PDF by a headless Chromium.

Chromium lays the page out as the browser shows it, CJK fonts and inline SVG drawings included,
and follows the print style sheet (A4, each menu from a new page, its verdict alone on the
first, headings kept with what follows them, drawings scaled to the page). The page loads
nothing (its Content-Security-Policy), and the browser runs with a fresh profile, no network
services and nothing but the page. Chromium writes the time of printing as the PDF's creation
and change dates; they are set to the audit's date, so that the same audit gives the same bytes
(``--date`` or SOURCE_DATE_EPOCH). The browser is ``$IVRAUDIT_CHROMIUM``, else the first of
``BROWSERS`` on the PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import IvrauditError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 300  # seconds for the browser to print
INSTALL_HINT = ("install Chromium (Debian/Ubuntu: sudo apt-get install chromium; macOS: brew "
                "install --cask chromium), or set IVRAUDIT_CHROMIUM to a Chrome or Chromium "
                "program")
_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \()D:\d{14}")


def browser() -> str | None:
    """The Chromium to print with, or None."""
    chosen = os.environ.get("IVRAUDIT_CHROMIUM")
    if chosen:
        return chosen
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def pdf_bytes(html: str, date: str, where: str = "report.pdf") -> bytes:
    """``html`` (a whole page that loads nothing) printed to PDF, dated ``date`` (YYYY-MM-DD).
    Raises IvrauditError when no browser is found or printing fails (``where``: the file the
    PDF was for, for the message)."""
    program = browser()
    if program is None:
        raise IvrauditError(where, 1, 1, "cannot write the PDF: no Chromium or Chrome found",
                            INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="ivraudit-pdf-") as folder:
        page, out = Path(folder, "print.html"), Path(folder, "report.pdf")
        page.write_text(html, encoding="utf-8")
        command = [program, "--headless", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--disable-extensions", "--no-default-browser-check",
                   f"--user-data-dir={Path(folder, 'profile')}", "--no-pdf-header-footer",
                   "--font-render-hinting=none",  # glyph positions as the fonts say
                   f"--print-to-pdf={out}", page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise IvrauditError(where, 1, 1, f"cannot write the PDF: {program} failed "
                                f"({error})", INSTALL_HINT) from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            raise IvrauditError(where, 1, 1, f"cannot write the PDF: {program} exited with "
                                f"{done.returncode}" + (f" ({said[0]})" if said else ""),
                                INSTALL_HINT)
        return dated(out.read_bytes(), date)


def dated(pdf: bytes, date: str) -> bytes:
    """The PDF with its creation and change dates set to ``date`` at midnight UTC (the same
    length as Chromium's, so no offset in the file moves).

    >>> dated(b"/CreationDate (D:20261130133103+00'00')", "2026-05-01")
    b"/CreationDate (D:20260501000000+00'00')"
    """
    stamp = b"D:" + date.replace("-", "").encode("ascii") + b"000000"
    return _PDF_DATE.sub(lambda m: m.group(1) + stamp, pdf) if date else pdf
