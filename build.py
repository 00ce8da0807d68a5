#!/usr/bin/env python3
"""Build Renstra documents: python build.py check|build|schema ... (see --help)."""

import sys

from renstra.cli import main

if __name__ == "__main__":
    sys.exit(main(whole_process=True))
