# Two commands on a fresh machine (Python 3.11+, no virtualenv yet):
#   make run    install everything and open the app on the embedded local server with demo data
#   make test   install everything and run the whole test suite (lint, types, layers, tests)

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

TS      = $(wildcard resources/translations/*.ts)
QM      = $(patsubst resources/translations/%.ts,messenger/ui/translations/%.qm,$(TS))

.PHONY: system-deps system-deps-test install run run-bob server test lint unit integration bench bench-quick lock clean translations-update screenshots

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,build]'
	touch $(STAMP)

# Compiled translations (.qm, not committed) from the Qt Linguist sources.
$(QM): messenger/ui/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(BIN)/python scripts/build_translations.py

# System packages beside Python (Qt's xcb libraries; for the tests also Xvfb, a window manager,
# xdotool, D-Bus): installed with apt-get as root, else the exact command is printed.
system-deps:
	@PYTHON=$(PYTHON) sh scripts/system_deps.sh run

system-deps-test:
	@PYTHON=$(PYTHON) sh scripts/system_deps.sh test

install: system-deps $(STAMP) $(QM)

# Collect every tr() string of the app into the .ts files (then translate the new ones).
translations-update: $(STAMP)
	$(BIN)/python scripts/build_translations.py --update

run: install
	$(BIN)/messenger --demo

run-bob: install
	$(BIN)/messenger --demo --as bob

# Screenshots into docs/screenshots/ (offscreen, no display needed): main window light, dark and
# Chinese, one-to-one chat, composer, sign-in, settings, banner, kick dialog, tray badges.
# Installs fonts-noto-cjk and fonts-noto-color-emoji with apt-get when missing (root or sudo).
screenshots: install
	$(BIN)/python scripts/screenshots.py

# Installers (see packaging/README.md): the one-folder bundle alone, or this OS's installer
# (Linux .deb, Windows setup .exe with Inno Setup, macOS .dmg) in dist/.
.PHONY: bundle installer
bundle: install
	$(BIN)/python packaging/build.py --bundle-only

installer: install
	$(BIN)/python packaging/build.py

server: $(STAMP)
	$(BIN)/messenger-server --data-dir messenger-data

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check messenger tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# The storage contract suite (tests/integration/storage) runs on SQLite and PostgreSQL in every
# run; PG_SMOKE, the server's core flows, runs again with every server on PostgreSQL.
PG_SMOKE = tests/integration/server/test_messaging.py tests/integration/server/test_sync.py

test: system-deps-test install lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q
	MESSENGER_TEST_DATABASE=postgresql QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q $(PG_SMOKE)

# The server's whole integration suite with every server it starts on PostgreSQL (a throw-away
# cluster on loopback: tests/helpers/postgres.py).
.PHONY: test-postgres
test-postgres: system-deps-test install
	MESSENGER_TEST_DATABASE=postgresql QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q \
		tests/integration/storage tests/integration/server tests/integration/client

unit: install
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q tests/unit tests/meta

integration: install
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q tests/integration

# The long fuzz run (docs/reliability.md has its figures): every endpoint of /openapi.json with
# schemathesis and the WebSocket's frames with hypothesis, FUZZ_EXAMPLES examples per endpoint and
# mode (make test runs 3). About 25 minutes at the default on 2 cores.
FUZZ_EXAMPLES ?= 30
.PHONY: fuzz
fuzz: install
	MESSENGER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -s \
		-p no:cacheprovider tests/integration/server/test_fuzz_api.py \
		tests/integration/server/test_fuzz_ws.py tests/unit/core/test_hostile_server.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks.backbone

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.backbone --quick

# One server on PostgreSQL against one on SQLite (C2C msg/s, p99 at 1,000 msg/s), and the two
# PostgreSQL drivers on the send path; each starts a throw-away PostgreSQL cluster.
.PHONY: bench-storage bench-storage-quick bench-pg-drivers
bench-storage: system-deps-test $(STAMP)
	$(BIN)/python -m benchmarks.storage

bench-storage-quick: system-deps-test $(STAMP)
	$(BIN)/python -m benchmarks.storage --quick

bench-pg-drivers: system-deps-test $(STAMP)
	$(BIN)/python -m benchmarks.pg_drivers

# The server's message search on PostgreSQL over 100,000 messages (its full-text index built by
# the schema step), for a typical member and for one who may read every message.
.PHONY: bench-pg-search
bench-pg-search: system-deps-test $(STAMP)
	$(BIN)/python -m benchmarks.pg_search

# Three nodes over one PostgreSQL and one Redis: same-node against cross-node latency, C2C msg/s
# with every pair across two nodes, and a 10,000-member group (quick: 1,000) fanned out over the
# nodes (throw-away PostgreSQL and Redis).
.PHONY: bench-cluster bench-cluster-quick
bench-cluster: system-deps-test $(STAMP)
	$(BIN)/python -m benchmarks.cluster

bench-cluster-quick: system-deps-test $(STAMP)
	$(BIN)/python -m benchmarks.cluster --quick

# Files over loopback through the real core and server: 100 MB up and down (MB/s), the longest
# event-loop stall meanwhile, 300 small files one at a time (files/s, server CPU per file), and a
# 24-megapixel photo prepared for its bubble.
.PHONY: bench-media bench-media-scroll
bench-media: $(STAMP)
	$(BIN)/python -m benchmarks.media

# Scrolling a chat of 2,000 pictures against the same chat of text: frame times and memory.
bench-media-scroll: install
	$(BIN)/python -m benchmarks.media_scroll

# The desktop app on a synthetic profile (offscreen): launch, switch, scroll, memory, idle, burst.
.PHONY: bench-gui bench-gui-quick bench-people bench-people-quick
bench-gui: install
	$(BIN)/python -m benchmarks.gui

bench-gui-quick: install
	$(BIN)/python -m benchmarks.gui --quick

# 5,000 friends in 20 groups and 2,000 requests: the Contacts page, friend search, a nickname
# change reaching 1,000 online friends
bench-people: install
	$(BIN)/python -m benchmarks.people

bench-people-quick: install
	$(BIN)/python -m benchmarks.people --quick

# A 10,000-member Public group and live room, everyone online: the group panel, mute / role /
# kick reaching every member, a live-room message to all, the online count
.PHONY: bench-groups bench-groups-quick
bench-groups: install
	$(BIN)/python -m benchmarks.groups

bench-groups-quick: install
	$(BIN)/python -m benchmarks.groups --quick

# Message search over 1,000,000 messages (a third Chinese), written in bulk: local search p50 / p95
# per query (newest first, by relevance, one chat, grouped by chat), the server's search for one
# member; --quick: 50,000 messages
.PHONY: bench-search bench-search-quick
bench-search: install
	$(BIN)/python -m benchmarks.search

bench-search-quick: install
	$(BIN)/python -m benchmarks.search --quick

# Our server side by side with Matrix Synapse (installed into .bench/ on first use):
#   make bench-peers         the full run (an hour or more), the desktop client included; writes
#                            docs/benchmarks.md and its plots
#   make bench-peers-quick   a small run (a few minutes); writes benchmarks/out/ only
.PHONY: bench-peers bench-peers-quick
BENCH_STAMP = $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP) benchmarks/requirements.txt
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	touch $(BENCH_STAMP)

bench-peers: $(BENCH_STAMP) install
	$(BIN)/python -m benchmarks.peers

bench-peers-quick: $(BENCH_STAMP) install
	$(BIN)/python -m benchmarks.peers --quick

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[dev,build]'
	{ echo "# Pinned versions of every dependency (runtime and development), for reproducible installs:"; \
	  echo "#   pip install -c constraints.txt -e '.[dev,build]'"; echo "# Regenerate with: make lock"; \
	  .lock-venv/bin/pip freeze --exclude-editable; } > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache messenger/ui/translations build dist
