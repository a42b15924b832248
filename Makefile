# activity_hub: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
# `make run PORT=5077` when 5000 is taken (on macOS, AirPlay listens there).
PORT ?= 5000
BIN := $(VENV)/bin
export FLASK_APP := activity_hub:create_app
DOMAIN_CATALOGUES := activity_hub/translations $(wildcard activity_hub/*/translations)

.PHONY: run test install dev-install translations messages node-deps browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations

dev-install: $(VENV)/.dev-installed translations node-deps browser-deps

# Compile every catalogue (.po -> .mo); the binaries are build output, never committed.
translations: $(VENV)/.installed
	@for dir in $(DOMAIN_CATALOGUES); do \
	  if ls $$dir/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	    $(BIN)/pybabel compile --statistics -f -d $$dir 2>&1 | grep -v '^compiling' || true; \
	  fi; \
	done

# Re-extract the strings of each domain into its own catalogue (for developers adding text).
messages: $(VENV)/.installed
	@$(BIN)/python -m activity_hub.catalogues

node-deps:
	@if [ -f package.json ]; then \
	  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then npm ci --no-audit --no-fund --silent; fi; \
	fi

# The browser tests drive Debian's Chromium and need CJK fonts to render Chinese. Installed with
# apt-get when this runs as root on Debian; elsewhere the README's quick start says what to install.
browser-deps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else \
	  echo "browser tests need Chromium at /usr/bin/chromium (or CHROMIUM_PATH) and Noto Sans CJK fonts:"; \
	  echo "  sudo apt-get install chromium fonts-noto-cjk"; \
	fi

run: install
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# `make test XDIST="-n 2 --dist loadgroup"` runs on two pytest-xdist workers, a database each.
# Not the default yet: the xdist_group marks of tests/conftest.py (browser, Redis database 2) were
# not honoured in a trial run, and the Celery tests must not share Redis database 2 at once.
XDIST ?=

test: dev-install
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules .pytest_cache
	find . -name '*.mo' -delete
