# Loan Desk set-up. `make run` starts the app, `make test` runs every test, `make bench` the benchmarks.
# Each installs what it needs first: Debian packages (when missing and we may install them) and a
# virtual environment in .venv with the pinned Python packages.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEBIAN_PACKAGES := fonts-wqy-microhei poppler-utils poppler-data qpdf xvfb xauth libegl1 libgl1 \
	libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libfontconfig1 libdbus-1-3 zbar-tools faketime postgresql

.PHONY: run test bench setup system-packages lint clean translations bundle bundle-test

run: setup
	$(VENV)/bin/loandesk

# The suite runs in parallel (pytest-xdist, one worker per core, each test file kept on one worker so its
# module fixtures -- hubs, PostgreSQL databases, demo homes -- are made once).
PYTEST := $(PY) -m pytest
PARALLEL := -n $(or $(TEST_WORKERS),auto) --dist loadfile

test: setup
	$(VENV)/bin/ruff check desktop tests
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PYTEST) $(PARALLEL)
	@echo "The unit tests again with the machine's calendar 400 days ahead (tests pin their own clock):"
	@# Only tests/unit, to keep CI well under 20 minutes: the GUI and hub read dates through the same
	@# core.clock, and test_boundaries fails on any other read of the wall clock anywhere in the package.
	@# test_backup.py is left out: under libfaketime 0.9.10 its SQLite backup never returns (faked
	@# monotonic sleeps), a fault of the preload library, not of a date.
	QT_QPA_PLATFORM=offscreen faketime -f +400d $(PYTEST) $(PARALLEL) -q tests/unit --ignore=tests/unit/test_backup.py

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/run.py

setup: system-packages $(STAMP)
	$(PY) -m loandesk.ui.i18n_build --quiet

system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		echo "Installing Debian packages: $$missing"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,hub]'
	touch $(STAMP)

translations: setup
	$(PY) -m loandesk.ui.i18n_build

# The one-folder desktop bundle, dist/loandesk/ (about 2 minutes): PyInstaller, then the icons, the .desktop
# entry and the Linux install script beside the program. See packaging/README.md (Windows: Inno Setup).
BUNDLE_STAMP := $(VENV)/.bundle-installed

$(BUNDLE_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install -q -e '.[dev,hub,bundle]'
	touch $(BUNDLE_STAMP)

bundle: setup $(BUNDLE_STAMP)
	$(PY) packaging/render_icon.py build/icons >/dev/null
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/loandesk.spec
	cp -r build/icons dist/loandesk/icons
	cp packaging/loandesk.desktop packaging/loandesk.svg packaging/install-linux.sh dist/loandesk/
	dist/loandesk/loandesk --self-check

bundle-test: bundle
	LOANDESK_TEST_BUNDLE=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider tests/packaging

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
