"""Profile one full build in this process; print where the time went (by stage and package) as JSON."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The stages of a build, by (file ending, function); each is timed with what it calls.
STAGES = {
    "load and validate": ("renstra/cli.py", "check"),
    "render HTML": ("renstra/render.py", "render_html"),
    "write html": ("renstra/render.py", "write_html"),
    "write pdf": ("renstra/pdf.py", "write_pdf"),
    "write docx": ("renstra/docx.py", "write_docx"),
    "imports": ("<frozen importlib._bootstrap>", "_find_and_load"),
}


def package(path: str) -> str:
    """Who owns a code file: a site-packages distribution, our package, or Python itself."""
    path = path.replace("\\", "/")
    if "site-packages/" in path:
        name = path.split("site-packages/", 1)[1].split("/", 1)[0]
        return name.removesuffix(".py").split(".")[0] if not name.startswith("_") else name
    if "/renstra/" in path:
        return "renstra (ours)"
    if "/bench/" in path:
        return "benchmark harness"
    if path == "<built-in>":
        return "C code called from Python (Pango, HarfBuzz, zlib, marshal, ...)"
    if path.startswith("<frozen") or "/lib/python3" in path:
        return "Python (stdlib, import system)"
    return "other (" + path.rsplit("/", 1)[-1] + ")"


def _match(path: str, function: str):
    path = path.replace("\\", "/")
    for stage, (ending, name) in STAGES.items():
        if function == name and path.endswith(ending):
            return stage
    return None


def with_pyinstrument(argv: list[str]) -> dict:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    from renstra import cli  # inside the profile: importing is part of a build's cost

    cli.main(argv)
    session = profiler.stop()
    stages: dict[str, float] = {}
    packages: dict[str, float] = {}

    def walk(frame, inside: frozenset):
        real = [c for c in frame.children if not c.is_synthetic]
        own = frame.time - sum(c.time for c in real)
        packages[package(frame.file_path or "")] = packages.get(package(frame.file_path or ""), 0) + own
        stage = _match(frame.file_path or "", frame.function or "")
        if stage and stage not in inside:
            stages[stage] = stages.get(stage, 0) + frame.time
            inside = inside | {stage}
        for child in real:
            walk(child, inside)

    root = session.root_frame()
    walk(root, frozenset())
    return {"tool": "pyinstrument", "total": root.time, "stages": stages, "packages": packages,
            "tree": profiler.output_text(unicode=False, color=False, show_all=False)}


def with_cprofile(argv: list[str]) -> dict:
    import cProfile
    import pstats

    def build():
        from renstra import cli  # inside the profile: importing is part of a build's cost
        cli.main(argv)

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(build)
    total = time.perf_counter() - start
    stats = pstats.Stats(profiler).stats
    stages: dict[str, float] = {}
    packages: dict[str, float] = {}
    for (path, _line, function), (_cc, _nc, own, cumulative, _callers) in stats.items():
        packages[package(path)] = packages.get(package(path), 0) + own
        stage = _match(path, function)
        if stage:
            stages[stage] = stages.get(stage, 0) + cumulative
    top = sorted(stats.items(), key=lambda kv: kv[1][3], reverse=True)[:25]
    tree = "\n".join(f"{v[3]:8.3f} s cumulative {v[2]:8.3f} s own  {k[2]} ({k[0]}:{k[1]})"
                     for k, v in top)
    return {"tool": "cProfile", "total": total, "stages": stages, "packages": packages, "tree": tree}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tool", choices=["pyinstrument", "cProfile"], default="pyinstrument")
    parser.add_argument("build_args", nargs=argparse.REMAINDER, help="arguments for build.py")
    args = parser.parse_args(argv)
    build_args = [a for a in args.build_args if a != "--"]
    result = with_pyinstrument(build_args) if args.tool == "pyinstrument" else with_cprofile(build_args)
    # The build's own messages went to stdout first; the JSON is the last line.
    print()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
