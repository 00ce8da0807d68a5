# Renstra documents: `make` sets up (if needed) and builds every source; `make help` lists targets.
# Every source/*.yaml is found by itself; each output depends on its source, the templates and
# the code, so exactly the affected outputs rebuild and a no-op `make` starts no Python.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
READY  := $(VENV)/.installed

SOURCES := $(wildcard source/*.yaml)
NAMES   := $(patsubst source/%.yaml,%,$(SOURCES))
HTML    := $(NAMES:%=output/%.html)
PDF     := $(NAMES:%=output/%.pdf)
DOCX    := $(NAMES:%=output/%.docx)
# Everything a build reads besides the source: templates, styles, fonts, reference document, code.
INPUTS  := $(wildcard templates/* templates/fonts/*) $(wildcard renstra/*.py) build.py $(READY)

.DEFAULT_GOAL := all
.PHONY: all html pdf docx check test help clean
.DELETE_ON_ERROR:

all: $(HTML) $(PDF) ## set up if needed, then build every document in source/
	@echo "output/ is up to date ($(words $(SOURCES)) source(s))"

html: $(HTML) ## the HTML previews only
pdf: $(PDF) ## the PDFs only
docx: $(DOCX) ## the DOCX files only

output/%.html: source/%.yaml $(INPUTS)
	$(PY) build.py build --formats html $<

output/%.pdf: source/%.yaml $(INPUTS)
	$(PY) build.py build --formats pdf $<

output/%.docx: source/%.yaml $(INPUTS)
	$(PY) build.py build --formats docx $<

check: $(READY) ## validate every source, build nothing
	$(PY) build.py check $(SOURCES)

test: $(READY) ## run the test suite
	$(PY) -m pytest -q

$(READY): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

clean: ## remove output/ (never the archive)
	rm -rf output

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 24
