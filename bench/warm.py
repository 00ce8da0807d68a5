"""Warm rebuilds of one source in a long-lived process: total and time per stage, as JSON."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renstra import cli  # noqa: E402
from renstra.outputs import WRITERS  # noqa: E402
from renstra.pdf import lay_out  # noqa: E402
from renstra.render import render_html  # noqa: E402


def stages(source: str, out: Path, formats: list[str]) -> dict[str, float]:
    """One build done stage by stage, as cli.build does it, with the time of each."""
    times = {}
    start = time.perf_counter()
    loaded, model = cli.check(source)
    times["load and validate"] = time.perf_counter() - start
    start = time.perf_counter()
    rendered = as_rendered = render_html(model, loaded, out)
    times["render HTML"] = time.perf_counter() - start
    if "pdf" in formats or ("docx" in formats and model.bab):
        start = time.perf_counter()
        rendered = lay_out(rendered, pages_only="pdf" not in formats)
        times["lay out"] = time.perf_counter() - start
    for name in formats:
        writer = WRITERS[name]
        start = time.perf_counter()
        writer.write(as_rendered if name == "html" else rendered, out / (Path(source).stem + writer.suffix))
        times[f"write {name}"] = time.perf_counter() - start
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--formats", default=",".join(WRITERS))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args(argv)
    formats = args.formats.split(",")
    for _ in range(args.warmup):
        cli.build(args.source, args.out, formats)
    totals = []
    for _ in range(args.runs):
        start = time.perf_counter()
        cli.build(args.source, args.out, formats)
        totals.append(time.perf_counter() - start)
    per_stage: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for name, seconds in stages(args.source, args.out, formats).items():
            per_stage.setdefault(name, []).append(seconds)
    json.dump({"total": statistics.median(totals), "runs": totals,
               "stages": {k: statistics.median(v) for k, v in per_stage.items()}}, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
