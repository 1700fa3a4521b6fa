# `make site` builds the checked site; `make test` runs every test. Both set up what they need:
# a virtual environment in .venv (KaTeX comes inside the package) and, for the tests, Debian's chromium.

VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test bench katex clean

site: $(BIN)/mkdocs
	$(BIN)/mkdocs build
	@echo
	@echo "The site is in site/. Browse it with one of:"
	@echo "  make serve                        # live preview at http://127.0.0.1:8000/"
	@echo "  python3 -m http.server -d site    # the built files at http://localhost:8000/"

serve: $(BIN)/mkdocs
	$(BIN)/mkdocs serve

test: $(BIN)/mkdocs /usr/bin/chromium
	$(BIN)/python -m pytest

bench: $(BIN)/mkdocs
	$(BIN)/python benchmarks/bench_site.py

# Vendors another KaTeX release into the plugin's assets (needs npm): make katex VERSION=0.19.1
katex:
	python3 scripts/update_katex.py $(VERSION)

$(BIN)/mkdocs: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $@

/usr/bin/chromium:
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

clean:
	rm -rf site .cache/plugin/mathcheck .mathcheck-cache tests/artifacts
