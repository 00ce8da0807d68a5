"""The preview's warm rebuild, as a person sees it: from the source saved to the new page image.

A `renstra preview` runs on any free port in a copy of the project; each run saves the real source
with one word of its title changed (in turns, so every save is a change), waits for the server's
event that the rebuild is done, and fetches the first page's image. Run by itself it also times
WeasyPrint alone, cold, and prints the ratio: .venv/bin/python bench/preview_rebuild.py
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from measure import PY, REAL, ROOT, BenchError, Timing, _show, build_cmd, measure

TITLE = "judul: MISI KECAMATAN MAGELANG UTARA"


def preview_rebuilds(work: Path, runs: int, warmup: int = 2) -> Timing:
    """Seconds from each save of the source to its first page image received, in one preview."""
    project = work / "preview"
    (project / "source").mkdir(parents=True)
    source = project / "source" / REAL.name
    text = REAL.read_text(encoding="utf-8")
    assert TITLE in text, f"{REAL} has no line {TITLE!r} to change"
    shutil.copy(REAL, source)
    with open(work / "preview-stderr.txt", "w+", encoding="utf-8") as stderr:
        process = subprocess.Popen([PY, ROOT / "build.py", "preview", "--port", "0", f"source/{REAL.name}"],
                                   cwd=project, stdout=subprocess.PIPE, stderr=stderr, text=True)
        try:
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", process.stdout.readline())  # the handshake
            if not found:
                raise BenchError(f"the preview named no URL: {_read(stderr)}")
            events = http.client.HTTPConnection("127.0.0.1", int(found[1]), timeout=120)
            events.request("GET", "/events")
            stream = events.getresponse()
            state = _next_event(stream, 0, stderr)  # the first build, a cold one
            timing = Timing("preview: source saved to new page image")
            for n in range(warmup + runs):
                changed = text if n % 2 else text.replace(TITLE, TITLE.replace("UTARA", "SELATAN"))
                start = time.perf_counter()
                source.write_text(changed, encoding="utf-8")
                state = _next_event(stream, state["generation"], stderr)
                image = _get(int(found[1]), f"/pages/1.png?v={state['images']}")
                elapsed = time.perf_counter() - start
                if not image.startswith(b"\x89PNG"):
                    raise BenchError("the preview's page image is not a PNG")
                if n >= warmup:
                    timing.times.append(elapsed)
            events.close()
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
    _show(timing)
    return timing


def _next_event(stream, after: int, stderr) -> dict:
    """The next rebuild's event (the generation after `after`); a failed rebuild stops the bench."""
    while True:
        line = stream.readline().decode("utf-8")
        if not line:
            raise BenchError(f"the preview closed its event stream: {_read(stderr)}")
        if line.startswith("data: "):
            state = json.loads(line[len("data: "):])
            if state["generation"] > after:
                if not state["ok"]:
                    raise BenchError(f"the preview's rebuild failed: {state['messages']}")
                return state


def _get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        return connection.getresponse().read()
    finally:
        connection.close()


def _read(stderr) -> str:
    stderr.seek(0)
    return stderr.read()[-3000:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="renstra-bench-preview-"))
    try:
        subprocess.run([str(c) for c in build_cmd([REAL], work, "html")], check=True, capture_output=True)
        floor = measure("weasyprint alone", [PY, "-m", "weasyprint", work / f"{REAL.stem}.html", work / "floor.pdf"],
                        5)
        warm = preview_rebuilds(work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = warm.median / floor.median
    print(f"preview: source saved to new page image {warm.median:.3f} s; WeasyPrint alone, cold "
          f"{floor.median:.3f} s; ratio {ratio:.2f} (goal <= 0.35)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
