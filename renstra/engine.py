"""The PDF engine in a process of its own, started before anything heavy is loaded.

A one-document build spends about half its time before any layout: importing WeasyPrint on one
side, and on the other importing the model, Jinja and the rest, validating and rendering the
HTML. Neither needs the other until the HTML exists. So `build` forks at once: the new process
imports WeasyPrint while this one validates and renders; it then lays the PDF out and writes its
bytes while this one makes the DOCX, whose table of contents waits only for the page numbers.
This process writes every file, in the usual order, so what is written and what is printed are
the same as in one process, byte for byte. Where there is no fork (Windows), or threads are
running (a fork would copy their locks), the build runs in one process as before.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import traceback

from .errors import RenstraError
from .i18n import _


class EngineError(RenstraError):
    """The user's problem, found while laying out the PDF (a refused file, a font): the engine's
    process reports it, this one raises it."""

    def __init__(self, report: str, exit_code: int):
        super().__init__(report)
        self.exit_code = exit_code


class EngineFailure(Exception):
    """A bug or a crash in the engine's process; the build reports it as an internal error."""

    def __init__(self, described: str, remote_traceback: str = ""):
        super().__init__(described)
        self.described = described  # "TypeError: ..." as it was raised over there
        self.remote_traceback = remote_traceback


class PdfEngine:
    """This side of the engine: hands it jobs and reads what it sends back, in order."""

    def __init__(self, pid: int, to_engine, from_engine):
        self.pid = pid
        self.to_engine = to_engine
        self.from_engine = from_engine
        self.waiting = 0  # messages still due for the job in hand: its page numbers, its PDF
        self.failed: Exception | None = None  # why the job in hand ended early, raised on each read
        self.ended: str | None = None  # how the process ended, once it has

    @classmethod
    def start(cls) -> PdfEngine | None:
        """Fork the engine's process, or None where a build must stay in one process."""
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        jobs_read, jobs_write = os.pipe()
        results_read, results_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the engine's process: it never returns from here
            os.close(jobs_write)
            os.close(results_read)
            _serve(os.fdopen(jobs_read, "rb"), os.fdopen(results_write, "wb"))
        os.close(jobs_read)
        os.close(results_write)
        return cls(pid, os.fdopen(jobs_write, "wb"), os.fdopen(results_read, "rb"))

    def submit(self, job) -> None:
        """Start laying out one document (a pdfjob.PdfJob); the previous job must be read out."""
        self._settle()
        self.failed = None
        try:
            pickle.dump(job, self.to_engine, protocol=pickle.HIGHEST_PROTOCOL)
            self.to_engine.flush()
        except OSError:  # the engine's process is gone (killed): said on the first read
            pass
        self.waiting = 2

    def toc_pages(self) -> tuple[int, ...] | None:
        """The page number of each TOC entry, as soon as the body is laid out."""
        return self._receive("toc")

    def pdf_bytes(self) -> bytes:
        """The finished PDF; raises EngineError or EngineFailure if it could not be made."""
        if self.waiting == 2:
            self._receive("toc")
        return self._receive("pdf")

    def _receive(self, expected: str):
        if self.failed is not None:
            raise self.failed
        try:
            kind, value = pickle.load(self.from_engine)
        except (EOFError, OSError, pickle.UnpicklingError):
            kind, value = "failure", (_("the PDF engine's process ended unexpectedly ({status})").format(
                status=self._end_status()),)
        if kind in ("error", "failure"):
            self.waiting = 0
            self.failed = EngineError(*value) if kind == "error" else EngineFailure(*value)
            raise self.failed
        assert kind == expected, (kind, expected)
        self.waiting -= 1
        return value

    def _settle(self) -> None:
        """Read out what is left of a job whose results were not all wanted."""
        while self.waiting:
            try:
                self._receive("toc" if self.waiting == 2 else "pdf")
            except (EngineError, EngineFailure):
                pass

    def close(self) -> None:
        """End the engine's process and wait for it: closing its job pipe ends it when idle; a
        job still in hand (an interrupted build) is not worth finishing."""
        if self.waiting:
            os.kill(self.pid, signal.SIGKILL)
        for pipe in (self.to_engine, self.from_engine):
            try:
                pipe.close()
            except OSError:
                pass
        self._end_status()

    def _end_status(self) -> str:
        """How the engine's process ended, waiting for it once (it is reaped then)."""
        if self.ended is None:
            try:
                _pid, status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                status = None
            if status is None:
                self.ended = _("already ended")
            elif os.WIFSIGNALED(status):
                self.ended = _("signal {number}").format(number=os.WTERMSIG(status))
            else:
                self.ended = _("exit status {code}").format(code=os.waitstatus_to_exitcode(status))
        return self.ended


def _serve(jobs, results) -> None:
    """The engine's process: import WeasyPrint at once, then lay out each job as it comes."""
    # Ctrl-C reaches the whole process group: the build reports it, and ends this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    code = 0
    try:
        from . import pdf  # WeasyPrint, loaded while the other process validates

        while True:
            try:
                job = pickle.load(jobs)
            except EOFError:
                break
            _lay_out_and_write(pdf, job, results)
    except BaseException:  # nothing can be reported any more: the other side says it ended
        code = 1
    finally:
        os._exit(code)  # never the forked copy of the parent's clean-up (atexit, pytest, buffers)


def _lay_out_and_write(pdf, job, results) -> None:
    def send(kind, value):
        pickle.dump((kind, value), results, protocol=pickle.HIGHEST_PROTOCOL)
        results.flush()

    try:
        layout = pdf.lay_out_job(job, on_toc_pages=lambda pages: send("toc", pages))
        data = pdf.job_pdf_bytes(job, layout)
        layout = None  # the layout's memory goes before the bytes travel
        send("pdf", data)
    except RenstraError as exc:
        send("error", (exc.report(), exc.exit_code))
    except Exception as exc:
        send("failure", (f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc))))
