# The two commands of the README: `make site` (or `make serve`) and `make test`.
# Each creates or refreshes .venv from the pinned dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site serve test check bench clean browser format

$(STAMP): pyproject.toml .ci/constraints.txt
	test -x $(BIN)/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }  # a venv made without ensurepip has no pip
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c .ci/constraints.txt -e '.[test]'
	touch $(STAMP)

# ENGINE=zensical builds (or previews) the same site with Zensical, Material's successor.
ENGINE ?= mkdocs

site: $(STAMP)
	$(BIN)/kb build --engine $(ENGINE)

serve: $(STAMP)
	$(BIN)/kb serve --engine $(ENGINE)

check: $(STAMP)
	$(BIN)/kb check

# Browser tests need Debian's Chromium (Playwright's own download does not work offline).
# Fonts too: the phone-width and colour-contrast checks measure rendered text.
browser:
	@{ test -x $(CHROMIUM) && dpkg -s fonts-liberation >/dev/null 2>&1; } || { command -v apt-get >/dev/null && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; }
	@test -x $(CHROMIUM) || { echo "Chromium not found at $(CHROMIUM): install Debian's chromium package" >&2; exit 1; }

# The whole suite: the formatter's and linter's checks (ruff, settings in pyproject.toml), then every test.
# `$(BIN)/python -m pytest -m "not browser"` is the fast suite for the edit-test loop.
test: $(STAMP) browser
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The benchmark (not part of `make test`): about 15 minutes on 2 cores; `make bench QUICK=1` runs 100 and 1,000 entries only.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(if $(QUICK),--quick)

# Format and fix what ruff can before committing.
format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf site .cache $(VENV)
