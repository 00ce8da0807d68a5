# Renstra documents: `make` sets up (if needed) and builds every source; `make help` lists targets.
# Every source/*.yaml is found by itself; each output depends on its source, the templates and
# the code, so exactly the affected outputs rebuild and a no-op `make` starts no Python.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
READY  := $(VENV)/.installed
TESTED := $(VENV)/.tested

# File names pass through make and the shell, so only names of letters, digits, '.', '-' and '_'
# are used: nothing in a name can run as a command or split into two names. Any other YAML file
# in source/ (a space, `$`, a backtick, .yml, a link) is named and refused, and the others build.
# The lists come from find and grep, whose output make only reads: it is never run.
SAFE      := LC_ALL=C grep -E '^[A-Za-z0-9._/-]+$$'
SOURCES   := $(shell find source -maxdepth 1 -type f -name '*.yaml' 2>/dev/null | $(SAFE) | LC_ALL=C sort)
REFUSED   := $(shell find source -maxdepth 1 \( -iname '*.yaml' -o -iname '*.yml' \) \( ! -type f \
               -o ! -name '*.yaml' -o -name '*[!A-Za-z0-9._-]*' \) 2>/dev/null | LC_ALL=C sort | tr '\n' '\t')
NAMES   := $(patsubst source/%.yaml,%,$(SOURCES))
HTML    := $(NAMES:%=output/%.html)
PDF     := $(NAMES:%=output/%.pdf)
DOCX    := $(NAMES:%=output/%.docx)

# Everything a build reads besides its source: templates, stylesheet, fonts, reference document,
# emblems kept beside the sources, the code, and the pinned engine versions. Folders are left out
# (their times change when a file is added) and so are hidden files (an interrupted write's
# .name.part temporaries), which make's wildcard never matches.
# A file whose name make cannot carry (a space, as in "reference - Copy.docx") is left out here:
# the build never reads it unless a source names it, and such a name is then refused.
INPUTS  := $(filter-out $(SOURCES),$(shell find renstra/templates source -maxdepth 2 -type f ! -name '.*' 2>/dev/null \
             | $(SAFE) | LC_ALL=C sort)) $(wildcard renstra/*.py) build.py requirements.txt

S := $(if $(filter 1,$(words $(SOURCES))),,s)

.DEFAULT_GOAL := all
.PHONY: all html pdf docx check preview test test-slow bench archive verify-archive clean help
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules
# One bad source must not keep the others from building: make goes on past a failed build and
# exits non-zero at the end, each error having been printed once by the build that found it.
MAKEFLAGS += --keep-going

all: $(HTML) $(PDF) $(DOCX) | $(READY) ## set up if needed, then build every document in source/
	@echo "output/ is up to date ($(words $(SOURCES)) source$(S))"
	$(refusals)

# Names make refuses, printed by make itself (a name never reaches the shell), then exit 1.
define refusals
$(if $(strip $(REFUSED)),$(info refused, not built: $(REFUSED)(a source is a file NAME.yaml in source/ whose NAME has only letters, digits, '.', '-' and '_'; rename it))@exit 1)
endef

html: $(HTML) ## the HTML previews only (output/NAME.html)
	@echo "HTML previews are up to date ($(words $(SOURCES)) source$(S))"
	$(refusals)
pdf: $(PDF) ## the print-ready PDFs only (output/NAME.pdf)
	@echo "PDFs are up to date ($(words $(SOURCES)) source$(S))"
	$(refusals)
docx: $(DOCX) ## the editable Word files only (output/NAME.docx)
	@echo "DOCX files are up to date ($(words $(SOURCES)) source$(S))"
	$(refusals)

# `make` (or `make all`): one process writes all three outputs of a stale source (a pattern
# rule with several targets makes them together), so Python, the engines and the layout are paid
# once per source; `make -j2` builds two sources at once. Asked for one format (`make pdf`,
# `make archive`), a rule per format writes only that file. Either way no two processes write
# the same file. The venv is order-only: setting it up again does not make outputs stale; a
# change of pinned versions does, through requirements.txt in INPUTS.
ifeq ($(filter-out all,$(MAKECMDGOALS)),)
output/%.html output/%.pdf output/%.docx: source/%.yaml $(INPUTS) | $(READY)
	$(PY) build.py build --formats html,pdf,docx $<
else
output/%.html: source/%.yaml $(INPUTS) | $(READY)
	$(PY) build.py build --formats html $<

output/%.pdf: source/%.yaml $(INPUTS) | $(READY)
	$(PY) build.py build --formats pdf $<

output/%.docx: source/%.yaml $(INPUTS) | $(READY)
	$(PY) build.py build --formats docx $<
endif

check: | $(READY) ## validate every source, build nothing
	$(PY) build.py check $(SOURCES)
	$(refusals)

# NAME must be one of the sources found above, which hold only safe names: whatever else follows
# NAME= is refused by make itself and never reaches the shell.
PREVIEWED = $(if $(and $(filter 1,$(words $(NAME))),$(if $(findstring %,$(NAME)),,ok),$(filter $(NAME),$(NAMES))),$\
  $(NAME),$(error NAME must be the name of a source in source/ (one of: $(NAMES)), e.g. make preview NAME=$(firstword $(NAMES))))

preview: | $(READY) ## rebuild one source on every save, pages shown in a browser: make preview NAME=...
	$(PY) build.py preview source/$(PREVIEWED).yaml

test: | $(TESTED) ## run the test suite (the slow cases: make test-slow)
	$(PY) -m pytest -q -m "not slow"

test-slow: | $(TESTED) ## slow cases: a 10,000-item list in the PDF, a 1,000-page document
	$(PY) -m pytest -q -m slow

bench: | $(TESTED) ## time the build against WeasyPrint alone and peers; writes docs/benchmarks.md
	$(PY) bench/run.py

archive: $(PDF) | $(READY) ## store each current PDF in archive/NAME/ with its manifest (append-only)
	$(PY) build.py archive $(SOURCES)

verify-archive: | $(READY) ## re-hash every archived PDF against its manifest
	$(PY) build.py verify-archive

# An office's machine gets what a build needs (requirements.txt); the tests and the benchmark
# add their own (requirements-test.txt) the first time `make test` or `make bench` runs.
$(READY): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(TESTED): requirements-test.txt | $(READY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt
	touch $@

clean: ## remove output/ (never the archive)
	rm -rf output

help: ## list the targets (this text)
	@echo "Renstra documents from source/*.yaml. Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 24
	@echo "Many sources in one process (start-up paid once): $(PY) build.py build source/*.yaml"
