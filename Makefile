# Reproducible report on the exodus from Russia after the September 2022 mobilisation.
# `make` lists the targets; `make report` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Test files run in one process per core; a file stays on one process so its shared builds are made once.
PYTEST_PARALLEL := -n auto --dist loadfile
SYSTEM_PACKAGES := chromium poppler-utils libreoffice-calc-nogui

# FILE and ID (add-source, candidates) reach Python verbatim through the environment: taken with
# $(value ...) so make expands nothing in them, and never written into a recipe's shell line.
override FILE := $(value FILE)
override ID := $(value ID)
export FILE ID

.DEFAULT_GOAL := help
.PHONY: help setup venv sysdeps check frictionless derive figures report html pdf docx test test-all bench preview clean add-source candidates draft

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

PIP_INSTALL := $(PY) -m pip install --disable-pip-version-check --progress-bar on

# The Python version is checked before anything is installed: a wrong one fails here, with what to do,
# not later on an obscure package, and leaves no half-made .venv behind.
$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: $(PYTHON) is Python %d.%d; this project needs Python 3.11 or later: install it, then run make setup PYTHON=python3.11 (or make venv if a .venv exists)" % sys.version_info[:2])'
	@echo "setup: creating $(VENV) with $$($(PYTHON) --version) and installing requirements.txt (a few minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) requirements-test.txt
	@echo "setup: installing requirements-test.txt into $(VENV)"
	$(PIP_INSTALL) -r requirements-test.txt
	touch $(TEST_STAMP)

setup: $(STAMP) ## Create the virtual environment with the pinned requirements

venv: ## Rebuild the virtual environment from scratch (a broken or wrong-Python .venv): PYTHON=python3.11 to choose
	rm -rf $(VENV)
	$(MAKE) --no-print-directory setup PYTHON=$(PYTHON)

sysdeps: ## Install (as root) the Debian packages the reader tests need: chromium, pdftotext, LibreOffice Calc
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

check: $(STAMP) ## Validate every table against the schema and the source texts, and run the coverage audit
	$(PY) -m exodus.pipeline check
	cd data && ../$(VENV)/bin/frictionless validate datapackage.json

frictionless: $(STAMP) ## Validate the data package with the real frictionless tool
	cd data && ../$(VENV)/bin/frictionless validate datapackage.json

derive: $(STAMP) ## Evaluate the derived numbers into build/derived.csv
	$(PY) -m exodus.pipeline derive

figures: $(STAMP) ## Draw every chart into figures/ and regenerate the report's includes and variables
	$(PY) -m exodus.pipeline figures

report: $(STAMP) ## Validate, derive, draw and render _output/report.html, .pdf and .docx
	$(PY) -m exodus.pipeline report

html: $(STAMP) ## Render only _output/report.html (a PDF from older inputs is kept and named stale)
	$(PY) -m exodus.pipeline html

pdf: $(STAMP) ## Render only _output/report.pdf
	$(PY) -m exodus.pipeline pdf

docx: $(STAMP) ## Render only _output/report.docx (Word)
	$(PY) -m exodus.pipeline docx

test: $(TEST_STAMP) ## Run the test suite except its slow whole-build end-to-end tests (sets up first; installs nothing system-wide)
	$(PY) -m pytest -q $(PYTEST_PARALLEL) -m "not slow"

test-all: $(TEST_STAMP) ## Run every test, the slow end-to-end ones included (what CI runs)
	$(PY) -m pytest -q $(PYTEST_PARALLEL)

BENCH_STAMP := $(VENV)/.installed-bench
PORT ?= 4848
export PORT  # handed over in the environment, never through the shell's command line

$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(PIP_INSTALL) -r requirements-bench.txt
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) ## Print the benchmark table: ratios against targets, per-stage times, scaling, notebook baseline
	$(PY) -m exodus.tools.bench

preview: $(STAMP) ## Serve the HTML on 127.0.0.1:PORT (default 4848), rebuilding and reloading on every save
	$(PY) -m exodus.tools.preview

add-source: $(STAMP) ## Register a new article: make add-source FILE=article.txt ID=snake_case_id
	$(PY) -m exodus.tools.add_source --from-env
	$(PY) -m exodus.stages.audit --from-env

candidates: $(STAMP) ## List figures in a source not yet claimed: make candidates ID=source_id
	$(PY) -m exodus.stages.audit --from-env

draft: $(STAMP) ## Draft rows for a source's figures, ages and dates: make draft ID=source_id (build/drafts/)
	$(PY) -m exodus.tools.draft

clean: ## Remove everything generated except what is committed (figures/, _generated/, _variables.yml) and .venv (make venv rebuilds it)
	rm -rf build _output .pytest_cache
