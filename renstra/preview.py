"""`renstra preview SOURCE`: one warm process rebuilds the PDF on every save and shows its pages in
a browser, as `quarto preview` and `mkdocs serve` do.

The process builds once, then watches the source, the images beside it and the templates
(watchfiles). Each save rebuilds the PDF in-process with the build step of the command line
(handed in as `build`, so there is one build), writes output/NAME.pdf, and tells the page through
server-sent events; the page then asks for the new page images, which pypdfium2 renders from the PDF
in memory when first asked for. A source with errors sends its located messages, and the last good
pages stay. The server is the standard library's, on 127.0.0.1 only, and answers only its own four
routes: nothing in a URL reaches the file system. The DOCX is written when the page's button asks
and once more when the preview stops (Ctrl+C).
"""

from __future__ import annotations

import io
import json
import re
import signal
import socketserver
import sys
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .errors import RenstraError
from .i18n import _, language, ngettext
from .outputs import failure_report, shown_path
from .paths import IMAGE_SIGNATURES, TEMPLATES
from .source import load_source

HOST = "127.0.0.1"  # never every interface: a draft is nobody else's business, and no login guards it
SCALE = 2  # image pixels per PDF point: 144 dpi, sharp on a high-density screen, ~50 ms a page
CACHED_PAGES = 64  # page images kept per build; a long document's others are rendered again if asked
IDLE = 15  # seconds between keep-alive comments on an event stream, so a closed tab is let go
CSRF_HEADER = "X-Renstra"  # a custom header: another site's page cannot send it without our consent
PAGE_PATH = re.compile(r"/pages/([1-9][0-9]{0,5})\.png")


class Pages:
    """The pages of the last good PDF: their sizes at once, each image when first asked for."""

    def __init__(self, data: bytes, generation: int):
        import pypdfium2  # only the preview renders pages

        self.generation = generation
        self.document = pypdfium2.PdfDocument(data)
        self.sizes = [self.document[i].get_size() for i in range(len(self.document))]
        self.images: dict[int, bytes] = {}

    def image(self, number: int) -> bytes:
        if number not in self.images:
            if len(self.images) >= CACHED_PAGES:
                del self.images[next(iter(self.images))]
            buffer = io.BytesIO()
            self.document[number - 1].render(scale=SCALE).to_pil().save(buffer, "PNG", compress_level=1)
            self.images[number] = buffer.getvalue()
        return self.images[number]


class Preview:
    """What the watcher, the server's threads and the page share: the last rebuild and its pages."""

    def __init__(self, path: str, out_dir: Path, build):
        self.path, self.out_dir, self.build = path, out_dir, build
        self.building = threading.Lock()  # one build at a time: a save's and the DOCX button's
        self.rendering = threading.Lock()  # pdfium is not thread-safe; guards pages
        self.changed = threading.Condition()  # guards generation, state and closing
        self.generation = 0  # rebuilds finished
        self.state: dict = {}  # the last rebuild's event, as the page receives it
        self.closing = False
        self.pages: Pages | None = None

    def rebuild(self) -> None:
        """Build the PDF of the source as it is now, and tell every open page."""
        written, warnings = [], []
        with self.building:
            try:
                self.build(self.path, self.out_dir, ["pdf"], on_written=written.append,
                           on_warning=warnings.append)
                failure = None
            except (RenstraError, OSError) as exc:
                failure = failure_report(self.path, exc)
        if failure is None:
            with self.rendering:
                try:
                    pages = Pages(written[0].read_bytes(), self.generation + 1)
                except Exception as exc:  # a bug: shown on the page, and the preview goes on
                    failure = _("{path}: internal error while showing the pages: {error}").format(
                        path=self.path, error=f"{type(exc).__name__}: {exc}")
                else:
                    if self.pages is not None:
                        self.pages.document.close()
                    self.pages = pages
        if failure is None:
            print(ngettext("wrote {path} ({count} page)", "wrote {path} ({count} pages)",
                           len(pages.sizes)).format(path=shown_path(written[0]), count=len(pages.sizes)),
                  flush=True)
        for text in warnings:
            print(text, file=sys.stderr, flush=True)
        if failure is not None:
            print(failure, file=sys.stderr, flush=True)
        with self.changed:
            self.generation += 1
            shown = self.pages
            self.state = {"generation": self.generation, "ok": failure is None,
                          "messages": "\n".join(warnings + ([failure] if failure else [])),
                          "pages": len(shown.sizes) if shown else 0,
                          "images": shown.generation if shown else 0,
                          "sizes": [[round(w, 2), round(h, 2)] for w, h in shown.sizes] if shown else []}
            self.changed.notify_all()

    def page_image(self, number: int) -> bytes | None:
        with self.rendering:
            if self.pages is None or not 1 <= number <= len(self.pages.sizes):
                return None
            return self.pages.image(number)

    def write_docx(self) -> tuple[bool, str]:
        """Write output/NAME.docx from the source as it is now: whether it was written, and what to say."""
        with self.building:
            try:
                target, = self.build(self.path, self.out_dir, ["docx"])
            except (RenstraError, OSError) as exc:
                return False, failure_report(self.path, exc)
        return True, _("wrote {path}").format(path=shown_path(target))

    def close(self) -> None:
        """End every event stream: each page then says that the preview has stopped."""
        with self.changed:
            self.closing = True
            self.changed.notify_all()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # Closing does not wait for the request threads: the event streams end when told, and an idle
    # connection a browser opened ahead of need would hold Ctrl+C up until it times out.
    block_on_close = False

    def __init__(self, preview: Preview, port: int):
        self.preview = preview
        super().__init__((HOST, port), Handler)
        port = self.server_address[1]
        # The Host header a browser sends to this server. Any other name, even one that resolves
        # to 127.0.0.1, is a page of another site reaching in (DNS rebinding) and is refused.
        self.hosts = {f"{HOST}:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}
        self.url = f"http://{HOST}:{port}/"

    def server_bind(self) -> None:
        # HTTPServer's own asks the resolver for the host's full name, which can stall offline.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class Handler(BaseHTTPRequestHandler):
    server_version = "renstra-preview"
    sys_version = ""
    timeout = 4 * IDLE  # seconds a connection may stay silent; an event stream writes every IDLE

    def log_message(self, format, *args) -> None:
        pass  # the terminal shows rebuilds and their messages, not every request

    def do_GET(self) -> None:
        if not self._allowed():
            return
        path = urlsplit(self.path).path
        preview = self.server.preview
        if path == "/":
            self._send(200, "text/html; charset=utf-8", page(preview).encode("utf-8"))
        elif path == "/events":
            self._events(preview)
        elif (match := PAGE_PATH.fullmatch(path)) and (image := preview.page_image(int(match[1]))):
            self._send(200, "image/png", image)
        else:
            self._not_found()

    def do_POST(self) -> None:
        if not self._allowed():
            return
        if urlsplit(self.path).path != "/docx":
            self._not_found()
        elif self.headers.get(CSRF_HEADER) != "1":
            self._send(403, "text/plain; charset=utf-8", _("refused: the DOCX is written from the preview's "
                                                           "own page only").encode("utf-8"))
        else:
            written, message = self.server.preview.write_docx()
            self._send(200 if written else 422, "application/json",
                       json.dumps({"ok": written, "message": message}).encode("utf-8"))

    def _allowed(self) -> bool:
        origin = self.headers.get("Origin")
        if self.headers.get("Host") in self.server.hosts and origin in (None, *self.server.origins):
            return True
        self._send(403, "text/plain; charset=utf-8", _("refused: this preview answers only to {url}").format(
            url=self.server.url).encode("utf-8"))
        return False

    def _not_found(self) -> None:
        self._send(404, "text/plain; charset=utf-8", _("not found").encode("utf-8"))

    def _send(self, status: int, media_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self._common_headers()
        self.end_headers()
        self.wfile.write(body)

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        # The page's own script and style only; no other site may frame it (and click its button).
        self.send_header("Content-Security-Policy", "default-src 'none'; img-src 'self'; connect-src 'self'; "
                         "script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'")

    def _events(self, preview: Preview) -> None:
        """A message per finished rebuild, the last one at once, until the tab or the preview closes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self._common_headers()
        self.end_headers()
        seen = 0
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                with preview.changed:
                    preview.changed.wait_for(lambda: preview.generation != seen or preview.closing, IDLE)
                    if preview.closing:
                        return
                    generation, state = preview.generation, preview.state
                if generation == seen:
                    self.wfile.write(b": idle\n\n")  # fails once the tab is gone
                else:
                    self.wfile.write(f"id: {generation}\ndata: {json.dumps(state)}\n\n".encode("utf-8"))
                    seen = generation
        except OSError:
            return  # the tab was closed or reloaded


def affects_build(source: Path, path: Path) -> bool:
    """Whether a changed file is one a build reads: the source, an image beside it, a template."""
    if path.name.startswith("."):  # temporaries of an interrupted write, editors' swap files
        return False
    if path == source:
        return True
    if path.parent == source.parent:
        return path.suffix.lower() in IMAGE_SIGNATURES
    return path.is_relative_to(TEMPLATES)


def watched_folders(source: Path) -> list[Path]:
    # Each folder by itself: the source's folder may be a large one (a home folder), and only
    # the files directly in it are read; the templates folder is read with its fonts/.
    return [source.parent, TEMPLATES, *sorted(p for p in TEMPLATES.rglob("*") if p.is_dir())]


def _stop_on_terminate() -> None:
    """SIGTERM (a closed terminal window, a service manager, kill) stops the preview as Ctrl+C does,
    and so does SIGINT where the shell started it ignored (a background job): the DOCX is still
    written and the server closed."""
    def stop(_signal, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, stop)


def preview(path: str, port: int, build, out_dir: Path) -> int:
    """Serve the preview of one source until Ctrl+C; then write its DOCX. 0 if that was written."""
    from watchfiles import watch  # only this command watches

    source = Path(path).resolve()
    if not source.is_file():
        load_source(path)  # says why it cannot be read, as `build` would
    try:
        server = Server(Preview(path, out_dir, build), port)
    except OSError as exc:
        raise RenstraError(_("cannot serve the preview on port {port}: {reason}; choose another with "
                             "--port (0 takes any free one)").format(port=port, reason=exc.strerror or exc)) from None
    _stop_on_terminate()
    print(_("preview of {path} at {url} (Ctrl+C stops it)").format(path=path, url=server.url), flush=True)
    threading.Thread(target=server.serve_forever, name="preview server", daemon=True).start()
    # The first build waits for the watcher's first (empty) answer: by then it watches, so a save
    # made while the first build runs is seen. step: a save is taken 25 ms after its last write.
    changes = watch(*watched_folders(source), watch_filter=lambda _change, name: affects_build(source, Path(name)),
                    debounce=400, step=25, rust_timeout=200, yield_on_timeout=True, recursive=False)
    try:
        built = False
        for found in changes:
            if found or not built:
                built = True
                server.preview.rebuild()
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # rebuilds report their own: this is the watcher (a system's limit of watches)
        raise RenstraError(_("cannot watch the source and the templates for changes: {reason}").format(
            reason=exc)) from None
    finally:
        changes.close()
        server.preview.close()
        server.shutdown()
        server.server_close()
    written, message = server.preview.write_docx()
    print(message, file=sys.stdout if written else sys.stderr, flush=True)
    return 0 if written else 1


def page(preview: Preview) -> str:
    """The preview's page: the pages one under another, the messages above them."""
    words = {"page": _("page {number}"), "updated": _("updated at {time}"),
             "failed": _("the source has errors; the pages shown are from the last good build"),
             "stopped": _("the preview has stopped; run renstra preview again"),
             "writing": _("writing the DOCX...")}
    # JSON inside <script>: "<" escaped, so no text can close the element.
    script_words = json.dumps(words).replace("<", "\\u003c")
    name = Path(preview.path)
    filled = {"@LANG@": language(), "@TITLE@": escape(_("Preview: {name}").format(name=name.name)),
              "@BUILDING@": escape(_("building...")), "@DOCX@": escape(_("Write DOCX")),
              "@DOCX_HELP@": escape(_("write {path}").format(path=shown_path(preview.out_dir / f"{name.stem}.docx"))),
              "@WORDS@": script_words}
    # One pass, so a marker inside a filled-in value (a source named "@DOCX@.yaml") stays as typed.
    return re.sub("@[A-Z_]+@", lambda match: filled[match[0]], PAGE)


PAGE = """<!doctype html>
<html lang="@LANG@">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@</title>
<style>
body { margin: 0; background: #525659; font-family: system-ui, sans-serif; }
header { position: sticky; top: 0; z-index: 1; display: flex; gap: 1em; align-items: center;
         padding: .5em 1em; background: #323639; color: #fff; }
h1 { flex: 1; margin: 0; font-size: 1em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#status { font-size: .9em; }
#messages { max-width: 100ch; margin: 1em auto; padding: 1em; overflow-x: auto; white-space: pre-wrap;
            background: #fde8e8; color: #611; border-left: .4em solid #c00; }
#messages.warning { background: #fff6d8; color: #543; border-color: #c90; }
#pages img { display: block; margin: 1em auto; max-width: calc(100% - 2em); height: auto;
             background: #fff; box-shadow: 0 0 .4em #0008; }
</style>
</head>
<body>
<header><h1>@TITLE@</h1><span id="status" role="status">@BUILDING@</span>
<button id="docx" type="button" title="@DOCX_HELP@">@DOCX@</button></header>
<pre id="messages" role="alert" hidden></pre>
<main id="pages"></main>
<script>
"use strict";
const WORDS = @WORDS@;
const pages = document.getElementById("pages");
const messages = document.getElementById("messages");
const status = document.getElementById("status");
const button = document.getElementById("docx");
let shown = 0;  // the build whose pages are shown

// The images of a new build replace the old ones in place, so the page keeps its scroll position.
function showPages(state) {
  if (state.images === shown) return;
  shown = state.images;
  const images = pages.getElementsByTagName("img");
  while (images.length > state.pages) images[images.length - 1].remove();
  state.sizes.forEach(([width, height], i) => {
    let image = images[i];
    if (!image) {
      image = document.createElement("img");
      image.loading = "lazy";
      image.alt = WORDS.page.replace("{number}", i + 1);
      pages.appendChild(image);
    }
    image.width = Math.round(width * 4 / 3);  // a point is 4/3 of a CSS pixel
    image.height = Math.round(height * 4 / 3);
    image.src = "/pages/" + (i + 1) + ".png?v=" + state.images;
  });
}

const events = new EventSource("/events");
events.onmessage = (event) => {
  const state = JSON.parse(event.data);
  showPages(state);
  messages.textContent = state.messages;  // text, never HTML
  messages.hidden = !state.messages;
  messages.className = state.ok ? "warning" : "";
  status.textContent = state.ok ? WORDS.updated.replace("{time}", new Date().toLocaleTimeString())
                                : WORDS.failed;
};
events.onerror = () => { status.textContent = WORDS.stopped; };

button.onclick = async () => {
  button.disabled = true;
  status.textContent = WORDS.writing;
  try {
    const response = await fetch("/docx", {method: "POST", headers: {"X-Renstra": "1"}});
    status.textContent = (await response.json()).message.split("\\n")[0];
  } catch (error) {
    status.textContent = WORDS.stopped;
  } finally {
    button.disabled = false;
  }
};
</script>
</body>
</html>
"""
