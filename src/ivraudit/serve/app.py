"""The live preview's web application (Starlette): the page, its parts, the reload events and
the phone.

Routes: ``GET /`` the page (``?menu=PATH&scenario=NAME``); ``GET /view`` the chosen menu's
view and the menu list as JSON, for the script to swap in after a save; ``GET /events``
server-sent events: ``hello`` on connecting, ``reload`` after every save; ``POST /call`` a new
call (``{menu, scenario}``), ``POST /call/{id}/press`` (``{keys}``), ``/silence``, ``/say``
(``{phrase}``) and ``/hangup``: each answers the call's state and transcript.

Files are watched with watchfiles (inotify and its kin, polling where they are missing); each
batch of saves audits the menus again and wakes every open page. Only hosts 127.0.0.1 and
localhost are answered (no DNS rebinding).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import OrderedDict

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from sse_starlette.sse import EventSourceResponse

from ..errors import IvrauditError
from ..simulate.session import Line
from ..simulate.turns import TurnCall
from ..util.watch import DEBOUNCE_MS
from .library import Library
from .page import menu_list, menu_view, page

MAX_CALLS = 64  # calls kept at once; the oldest is dropped first


class Preview:
    """The shared state of one server: the library, who is waiting for a reload, the calls."""

    def __init__(self, library: Library, say=print) -> None:
        self.library = library
        self.say = say  # a line for the terminal
        self.changed = asyncio.Condition()
        self.calls: OrderedDict[int, TurnCall] = OrderedDict()
        self._ids = itertools.count(1)

    async def reload(self) -> None:
        errors = await run_in_threadpool(self.library.reload)
        count = len(self.library.entries)
        self.say(f"reload {self.library.version}: {count} menu{'s' if count != 1 else ''}"
                 + "".join(f"\n{error.format()}" for error in errors))
        async with self.changed:
            self.changed.notify_all()

    async def watch(self, stop: asyncio.Event) -> None:
        """Reload after every batch of saves until ``stop`` is set."""
        from watchfiles import awatch

        targets = self.library.targets()
        if not targets.roots():
            await stop.wait()
            return
        async for changes in awatch(*targets.roots(), stop_event=stop, debounce=DEBOUNCE_MS,
                                    step=25, recursive=bool(targets.folders)):
            if any(targets.matters(path) for _, path in changes):
                await self.reload()

    def start_call(self, path: str, scenario: str | None) -> tuple[TurnCall, int]:
        """A new call to the last good version of a menu; KeyError for no such menu."""
        entry = self.library.entries.get(path)
        if entry is None or entry.result is None:
            raise KeyError(path)
        menu = entry.result.menu
        scenario = scenario if scenario in menu.scenarios else next(iter(menu.scenarios))
        line = Line(menu, entry.result.graph, scenario, menu.scenarios[scenario])
        number = next(self._ids)
        self.calls[number] = TurnCall(line)
        while len(self.calls) > MAX_CALLS:
            self.calls.popitem(last=False)
        return self.calls[number], number


def create_app(library: Library, say=print, stop_after: float | None = None) -> Starlette:
    """The application for ``library`` (already loaded); ``say`` prints a line on the
    terminal; ``stop_after``: seconds after which the server asks itself to stop (tests)."""
    preview = Preview(library, say)

    async def home(request: Request) -> HTMLResponse:
        path, scenario = _chosen(library, request)
        return HTMLResponse(page(library, path, scenario, await _view(path, scenario)))

    async def view(request: Request) -> JSONResponse:
        path, scenario = _chosen(library, request)
        return JSONResponse({"version": library.version, "menus": menu_list(library, path),
                             "view": await _view(path, scenario)})

    async def _view(path, scenario) -> str:
        svg = problem = None
        entry = library.entries.get(path)
        if entry is not None and entry.result is not None:
            try:
                svg = await run_in_threadpool(library.drawing, path, scenario)
            except IvrauditError as error:
                problem = error.message + (f" ({error.hint})" if error.hint else "")
        return menu_view(library, path, scenario, svg, problem)

    async def events(request: Request) -> EventSourceResponse:
        async def stream():
            seen = library.version
            yield {"event": "hello", "data": str(seen)}
            while True:
                async with preview.changed:
                    await preview.changed.wait_for(lambda: library.version != seen)
                seen = library.version
                yield {"event": "reload", "data": str(seen)}

        return EventSourceResponse(stream(), ping=15)

    async def new_call(request: Request) -> JSONResponse:
        data = await _json(request)
        try:
            call, number = preview.start_call(str(data.get("menu", "")), data.get("scenario"))
        except KeyError:
            return JSONResponse({"error": "no such menu (or it has never loaded)"}, 404)
        return _answer(number, call)

    async def act(request: Request) -> JSONResponse:
        number = int(request.path_params["number"])
        call = preview.calls.get(number)
        if call is None:
            return JSONResponse({"error": "this call is over: start a new one"}, 404)
        data, action = await _json(request), request.path_params["action"]
        try:
            if action == "press":
                call.press(str(data.get("keys", "")))
            elif action == "silence":
                call.stay_silent()
            elif action == "say":
                call.say(str(data.get("phrase", "")))
            elif action == "hangup":
                call.hang_up()
            else:
                return JSONResponse({"error": f"no action '{action}'"}, 404)
        except IvrauditError as error:
            return JSONResponse({"error": f"{error.message} ({error.hint})"}, 400)
        return _answer(number, call)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        stop = asyncio.Event()
        tasks = [asyncio.create_task(preview.watch(stop))]
        if stop_after is not None:
            tasks.append(asyncio.create_task(_stop_later(app, stop_after)))
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    app = Starlette(routes=[
        Route("/", home), Route("/view", view), Route("/events", events),
        Route("/call", new_call, methods=["POST"]),
        Route("/call/{number:int}/{action:str}", act, methods=["POST"]),
    ], middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"])],
        lifespan=lifespan)
    app.state.preview = preview
    app.state.server = None  # set by serve.run: how the server is asked to stop
    return app


async def _stop_later(app, seconds: float) -> None:
    await asyncio.sleep(seconds)
    if app.state.server is not None:
        app.state.server.should_exit = True


async def _json(request: Request) -> dict:
    try:
        data = await request.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _answer(number: int, call: TurnCall) -> JSONResponse:
    return JSONResponse({"id": number, "state": call.state(), "lines": call.transcript()})


def _chosen(library: Library, request: Request) -> tuple[str | None, str | None]:
    """The menu and scenario the query asks for, else the first menu and its first scenario."""
    path = request.query_params.get("menu")
    if path not in library.entries:
        path = library.first()
    entry = library.entries.get(path)
    scenarios = list(entry.result.scenarios) if entry and entry.result else []
    scenario = request.query_params.get("scenario")
    if scenario not in scenarios:
        scenario = scenarios[0] if scenarios else None
    return path, scenario
