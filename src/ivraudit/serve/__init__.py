"""`ivraudit serve`: a live preview of menus in the browser, on 127.0.0.1 only.

The page lists the menus under the given paths; for the chosen one it shows the drawing, the
metrics per scenario and the findings, and a phone that calls it (simulate/turns.py). Saving a
menu reloads every open page within a second; a file that stops being valid shows its error
above its last good drawing. Starlette serves it through uvicorn, watchfiles watches the files
and sse-starlette sends the reload events (the README's dependency table says why these).
"""

from __future__ import annotations

import socket
from collections.abc import Callable

HOST = "127.0.0.1"


def listen(port: int = 0) -> socket.socket:
    """A socket bound to 127.0.0.1 (``port`` 0: a free one, chosen by the system)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    return sock


def run(library, sock: socket.socket, say: Callable[[str], None],
        open_browser: bool = False, stop_after: float | None = None) -> None:
    """Serve ``library`` (loaded) on ``sock`` until Ctrl-C (or ``stop_after`` seconds)."""
    import uvicorn

    from .app import create_app

    app = create_app(library, say, stop_after)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False,
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    app.state.server = server
    if open_browser:
        _open_when_listening(server, url(sock))
    server.run(sockets=[sock])


def url(sock: socket.socket) -> str:
    return f"http://{HOST}:{sock.getsockname()[1]}/"


def _open_when_listening(server, address: str) -> None:
    """Open the browser once uvicorn has started (from a thread: it may take a moment)."""
    import threading
    import time
    import webbrowser

    def wait_then_open() -> None:
        for _ in range(200):
            if server.started:
                webbrowser.open(address)
                return
            time.sleep(0.05)

    threading.Thread(target=wait_then_open, daemon=True).start()
