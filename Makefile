# Reproducible report on the exodus from Russia after the September 2022 mobilisation.
# `make` lists the targets; `make report` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SYSTEM_PACKAGES := chromium poppler-utils

# FILE and ID (add-source, candidates) reach Python verbatim through the environment: taken with
# $(value ...) so make expands nothing in them, and never written into a recipe's shell line.
override FILE := $(value FILE)
override ID := $(value ID)
export FILE ID

.DEFAULT_GOAL := help
.PHONY: help setup sysdeps check frictionless derive figures report html pdf test bench preview clean add-source candidates draft

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $(TEST_STAMP)

setup: $(STAMP) ## Create the virtual environment with the pinned requirements

sysdeps: ## Install (as root) the Debian packages the reader tests need: chromium, pdftotext
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
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

report: $(STAMP) ## Validate, derive, draw and render _output/report.html and _output/report.pdf
	$(PY) -m exodus.pipeline report

html: $(STAMP) ## Render only _output/report.html (a PDF from older inputs is kept and named stale)
	$(PY) -m exodus.pipeline html

pdf: $(STAMP) ## Render only _output/report.pdf
	$(PY) -m exodus.pipeline pdf

test: $(TEST_STAMP) ## Run the whole test suite (sets up first; installs nothing system-wide)
	$(PY) -m pytest -q

BENCH_STAMP := $(VENV)/.installed-bench
PORT ?= 4848
export PORT  # handed over in the environment, never through the shell's command line

$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
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

clean: ## Remove everything generated except what is committed (figures/, _generated/, _variables.yml)
	rm -rf build _output .pytest_cache
