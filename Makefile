# `make site` builds the checked site; `make test` runs every test. Both set up what they need:
# a virtual environment in .venv, KaTeX in node_modules, and (for the tests) Debian's chromium.

VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test bench clean

site: $(BIN)/mkdocs node_modules/katex
	$(BIN)/mkdocs build
	@echo
	@echo "The site is in site/. Browse it with one of:"
	@echo "  make serve                        # live preview at http://127.0.0.1:8000/"
	@echo "  python3 -m http.server -d site    # the built files at http://localhost:8000/"

serve: $(BIN)/mkdocs node_modules/katex
	$(BIN)/mkdocs serve

test: $(BIN)/mkdocs node_modules/katex /usr/bin/chromium
	$(BIN)/python -m pytest

bench: $(BIN)/mkdocs node_modules/katex
	$(BIN)/python benchmarks/bench_site.py

$(BIN)/mkdocs: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $@

node_modules/katex: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

/usr/bin/chromium:
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

clean:
	rm -rf site .cache/plugin/mathcheck .mathcheck-cache tests/artifacts
