"""`renstra preview`: a warm process that rebuilds on every save, seen in a real headless Chromium,
and a server that answers only its own routes, on 127.0.0.1, to its own page."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REAL_SOURCE, ROOT, pdf_text, require

SOURCE = f"source/{REAL_SOURCE.name}"
TITLE = "judul: MISI KECAMATAN MAGELANG UTARA"
BAD_DATE = ("tanggal: 2013-03-03", "tanggal: 2013-02-30")  # line 13, column 12 of the real source


@dataclass
class Running:
    process: subprocess.Popen
    url: str
    port: int
    project: Path

    @property
    def source(self) -> Path:
        return self.project / SOURCE

    @property
    def output(self) -> Path:
        return self.project / "output"

    def stop(self, how: int = signal.SIGINT) -> tuple[int, str, str]:
        """Ctrl+C, as a person stops it (or another signal): the exit code, and what it printed."""
        self.process.send_signal(how)
        out, _ = self.process.communicate(timeout=120)
        return self.process.returncode, out, (self.project / "stderr.txt").read_text(encoding="utf-8")


@contextmanager
def preview(project: Path, *args: str):
    """The preview of a copy of the real source, started as a person would, on any free port."""
    (project / "source").mkdir(parents=True)
    shutil.copy(REAL_SOURCE, project / SOURCE)
    with open(project / "stderr.txt", "w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "preview", "--port", "0", *args, SOURCE],
                                   cwd=project, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                   encoding="utf-8")
    try:
        # The handshake: the first line names the URL once the server listens.
        first = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, f"no URL in {first!r}: {(project / 'stderr.txt').read_text(encoding='utf-8')}"
        yield Running(process, found[0], int(found[1]), project)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def request(running: Running, method: str, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=60)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def first_event(running: Running) -> dict:
    """The state the event stream sends at once (after the first build, which it waits for)."""
    connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=60)
    try:
        connection.request("GET", "/events")
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
        while True:
            line = response.readline().decode("utf-8")
            if line.startswith("data: "):
                return json.loads(line[len("data: "):])
    finally:
        connection.close()


def test_a_build_follows_the_source_the_images_beside_it_and_the_templates(tmp_path):
    from renstra.paths import TEMPLATES
    from renstra.preview import affects_build

    source = tmp_path / "source" / "misi.yaml"
    read = [source, source.parent / "lambang.PNG", source.parent / "foto.jpeg", TEMPLATES / "print.css",
            TEMPLATES / "reference.docx", TEMPLATES / "fonts" / "LiberationSans-Regular.ttf"]
    ignored = [source.parent / "lain.yaml", source.parent / ".misi.yaml.swp", source.parent / "catatan.txt",
               tmp_path / "output" / "misi.pdf", tmp_path / "output" / ".misi.pdf.123.abcd.part",
               TEMPLATES / ".print.css.123.abcd.part", source.parent / "gambar" / "lambang.png"]
    assert [p for p in read if not affects_build(source, p)] == []
    assert [p for p in ignored if affects_build(source, p)] == []


# --- without a browser: one preview for these, its routes and its guards --------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with preview(tmp_path_factory.mktemp("preview")) as running:
        assert first_event(running)["ok"]
        yield running


def test_the_server_listens_on_127_0_0_1_only(served):
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].exists():
        pytest.skip("no /proc/net/tcp to read the listening sockets from (not Linux)")
    listening = []
    for table in tables:
        for line in table.read_text().splitlines()[1:] if table.exists() else []:
            local, state = line.split()[1], line.split()[3]
            address, port = local.split(":")
            if state == "0A" and int(port, 16) == served.port:  # 0A: LISTEN
                listening.append((table.name, address))
    assert listening == [("tcp", "0100007F")]  # 127.0.0.1, little-endian; nothing on IPv6 or 0.0.0.0


def test_the_first_event_has_the_generation_and_the_page_count(served):
    state = first_event(served)
    assert state["generation"] >= 1 and state["pages"] == 5 and state["messages"] == ""
    assert len(state["sizes"]) == 5


def test_the_page_and_its_images_are_served(served):
    status, body = request(served, "GET", "/")
    assert status == 200 and b'new EventSource("/events")' in body
    assert "Preview: misi-magelang-utara.yaml" in body.decode("utf-8")
    status, image = request(served, "GET", f"/pages/1.png?v={first_event(served)['images']}")
    assert status == 200 and image.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("path", ["/nothing", "/index.html", "/pages/0.png", "/pages/6.png", "/pages/1.jpg",
                                  "/pages/01.png", "/output/misi-magelang-utara.pdf", f"/{SOURCE}",
                                  "/pages/../../etc/passwd", "/pages/%2e%2e/%2e%2e/etc/passwd",
                                  "/../source/misi-magelang-utara.yaml", "//etc/passwd"])
def test_any_other_path_is_not_found(served, path):
    status, body = request(served, "GET", path)
    assert status == 404 and b"root:" not in body and b"dokumen" not in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}",
                                  "localhost:1", "0.0.0.0:{port}"])
def test_a_foreign_host_header_is_refused(served, host):
    """A page of another site whose name is made to resolve to 127.0.0.1 (DNS rebinding) sends
    its own name as the Host: it gets nothing, not even the page."""
    for path in ("/", "/pages/1.png", "/events"):
        status, _ = request(served, "GET", path, {"Host": host.format(port=served.port)})
        assert status == 403


def test_a_request_without_a_host_header_is_refused(served):
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    connection.putrequest("GET", "/", skip_host=True)
    connection.endheaders()
    assert connection.getresponse().status == 403
    connection.close()


def test_the_docx_is_written_only_when_the_page_asks(served):
    docx = served.output / "misi-magelang-utara.docx"
    docx.unlink(missing_ok=True)
    # A form or a simple request from another site cannot add a custom header.
    assert request(served, "POST", "/docx")[0] == 403
    assert request(served, "POST", "/docx", {"X-Renstra": "0"})[0] == 403
    assert request(served, "POST", "/docx", {"X-Renstra": "1", "Origin": "http://evil.example"})[0] == 403
    assert request(served, "GET", "/docx", {"X-Renstra": "1"})[0] == 404
    assert not docx.exists()
    status, body = request(served, "POST", "/docx", {"X-Renstra": "1", "Origin": served.url.rstrip("/")})
    assert (status, json.loads(body)) == (200, {"ok": True, "message": "wrote output/misi-magelang-utara.docx"})
    assert docx.read_bytes().startswith(b"PK")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_terminate_or_interrupt_stops_it_cleanly_and_writes_the_docx(tmp_path, how):
    with preview(tmp_path) as running:
        first_event(running)  # the first build is done
        code, out, err = running.stop(how)
    assert code == 0 and "Traceback" not in err, err
    assert (running.output / "misi-magelang-utara.docx").exists()
    assert "misi-magelang-utara.docx" in out


def test_a_port_in_use_is_named(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        (tmp_path / "source").mkdir()
        shutil.copy(REAL_SOURCE, tmp_path / SOURCE)
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "preview", "--port", str(port), SOURCE],
                                cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith(f"cannot serve the preview on port {port}: ")
    assert "--port" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("port", ["70000", "-1", "web"])
def test_a_port_that_is_not_one_is_a_usage_error(run, port):
    code, _, err = run("preview", "--port", port, SOURCE)
    assert code == 2 and "a port is a whole number from 0 to 65535" in err


def test_make_preview_refuses_a_name_that_is_not_a_source():
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed")
    ok = subprocess.run(["make", "-n", "--no-print-directory", "preview", "NAME=misi-magelang-utara"], cwd=ROOT,
                        capture_output=True, text=True)
    assert ok.returncode == 0 and "build.py preview source/misi-magelang-utara.yaml" in ok.stdout
    for name in ["", "../etc/passwd", "misi-magelang-utara;id", "misi-magelang-utara x", "misi%", "nothing"]:
        refused = subprocess.run(["make", "-n", "--no-print-directory", "preview", f"NAME={name}"], cwd=ROOT,
                                 capture_output=True, text=True)
        assert refused.returncode != 0 and "NAME must be the name of a source" in refused.stderr, name
        assert "build.py" not in refused.stdout


# --- in a real browser ----------------------------------------------------------------------------


@contextmanager
def chromium():
    require("chromium", "chromium")
    require("chromedriver", "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")  # Debian's, so Selenium fetches no browser of its own
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,1400"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


SHOWN = """return Array.from(document.querySelectorAll("#pages img"),
                       image => [image.getAttribute("src"), image.complete && image.naturalWidth > 0]);"""
MESSAGES = """const shown = document.getElementById("messages");
              return shown.hidden ? null : shown.textContent;"""


def shown_pages(driver) -> list[str] | None:
    """The image URLs of the pages shown, once the first one has loaded; else None."""
    images = driver.execute_script(SHOWN)
    return [src for src, _ in images] if images and images[0][1] else None


def generation_of(pages: list[str]) -> int:
    versions = {int(re.search(r"\?v=(\d+)$", src)[1]) for src in pages}
    assert len(versions) == 1, pages
    return versions.pop()


def within_2_s(driver, written: float, condition):
    """Wait for condition until 2 s after the write; return what it returned."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, max(0.1, 2 - (time.monotonic() - written)), poll_frequency=0.05).until(condition)


def test_the_browser_shows_each_save_and_the_errors_above_the_last_good_pages(tmp_path):
    from selenium.webdriver.support.ui import WebDriverWait

    with chromium() as driver, preview(tmp_path) as running:
        pdf = running.output / "misi-magelang-utara.pdf"
        driver.get(running.url)
        # The first build is a cold one (WeasyPrint's imports): it may take a few seconds.
        pages = WebDriverWait(driver, 60, poll_frequency=0.05).until(shown_pages)
        assert len(pages) == 5
        first = generation_of(pages)
        text = running.source.read_text(encoding="utf-8")

        # A word of the title changed: the new page image is shown within 2 s of the save.
        edited = text.replace(TITLE, TITLE.replace("UTARA", "SELATAN"))
        running.source.write_text(edited, encoding="utf-8")
        written = time.monotonic()

        def new_pages(driver):
            pages = shown_pages(driver)
            return pages if pages and generation_of(pages) > first and "SELATAN" in pdf_text(pdf) else None

        pages = within_2_s(driver, written, new_pages)
        good = generation_of(pages)
        assert driver.execute_script(MESSAGES) is None

        # An invalid date and a key that looks like HTML: the located messages, as `check` prints
        # them, shown as text above the last good pages.
        running.source.write_text(edited.replace(*BAD_DATE) + "<b>tebal</b>: 1\n", encoding="utf-8")
        message = within_2_s(driver, time.monotonic(), lambda d: d.execute_script(MESSAGES))
        assert message.startswith(f"{SOURCE}:13:12: '2013-02-30' is not a date")
        assert "unknown key '<b>tebal</b>'" in message and not driver.find_elements("css selector", "#messages b")
        assert message.rstrip().endswith(f"2 errors in {SOURCE}")
        check = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", SOURCE], cwd=running.project,
                               capture_output=True, text=True)
        assert message == check.stderr.rstrip("\n")
        assert shown_pages(driver) == pages  # the last good pages are still shown

        # Fixed: the message goes and the pages of the new build come.
        running.source.write_text(edited, encoding="utf-8")
        written = time.monotonic()
        def pages_again(driver):
            pages = shown_pages(driver)
            fixed = pages and generation_of(pages) > good and driver.execute_script(MESSAGES) is None
            return pages if fixed else None

        assert len(within_2_s(driver, written, pages_again)) == 5

        # The page's button writes the DOCX.
        docx = running.output / "misi-magelang-utara.docx"
        driver.find_element("id", "docx").click()
        WebDriverWait(driver, 60).until(lambda d: d.find_element("id", "status").text.startswith("wrote "))
        assert docx.exists()
        docx.unlink()

        code, out, err = running.stop()
    assert (code, "Traceback" in err, "Traceback" in out) == (0, False, False)
    assert out.rstrip().endswith("wrote output/misi-magelang-utara.docx")  # once more when stopped
    assert docx.exists()
