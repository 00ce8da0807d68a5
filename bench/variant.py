"""`build.py` with one thing changed, to measure what that thing is worth in the same run:

    python bench/variant.py one-process build ...   # no PDF engine process (as on Windows)
    python bench/variant.py default-gc build ...    # Python's default garbage collector thresholds
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from renstra import cli  # noqa: E402

if __name__ == "__main__":
    variant, argv = sys.argv[1], sys.argv[2:]
    if variant == "one-process":
        cli.PdfEngine.start = staticmethod(lambda: None)
    elif variant == "default-gc":
        cli.COLLECT_AFTER = (700, 10, 10)
    else:
        sys.exit(f"unknown variant {variant!r}")
    sys.exit(cli.main(argv, whole_process=True))
