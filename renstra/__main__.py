"""`python -m renstra`: the same command as `renstra` and build.py."""

import sys

from .cli import main

sys.exit(main(prog="renstra", whole_process=True))
