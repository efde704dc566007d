# arrakis — build, test, demo, install.
# `make demo` and `make test` do all set-up on a fresh Debian 12 machine with Swift installed.

PREFIX ?= /usr/local
BINDIR  = $(DESTDIR)$(PREFIX)/bin
MANDIR  = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR  = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

# groff-base checks the man pages (check-generated); the example hooks and their tests use git; the MCP
# tests need python3-venv for the Python MCP SDK (mcp-venv).
APT_PACKAGES = libcurl4-openssl-dev libgit2-dev libpq-dev libsqlite3-dev pkg-config git bubblewrap ripgrep sqlite3 groff-base python3 python3-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift
RELEASE_BIN = .build/release/arrakis
DEBUG_BIN = .build/debug/arrakis
DEMO_DB ?= $(CURDIR)/.build/demo/arrakis.db
MCP_VENV = $(CURDIR)/.build/mcp-venv

.PHONY: all deps build release test mcp-venv demo bench install uninstall man completions generated check-generated clean

all: build

# Installs only what is missing, so a machine that has everything pays one dpkg query.
deps:
	@command -v $(SWIFT) >/dev/null || { echo "error: swift not found; install Swift 6.2+ (https://swift.org/install) and put it on PATH" >&2; exit 1; }
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

# Static Swift runtime: no dynamic loading of libswiftCore/FoundationEssentials at start-up (about 15 ms saved
# per run); the full Foundation is not linked at all (docs/ARCHITECTURE.md, "Foundation"). libcurl, libgit2
# and libpq are loaded on first use (Sources/CCurl/Loader.c and the others), so nothing asks the linker for
# them. Stripped (--strip-all): the symbol table and DWARF are half of the binary (22 of 43 MB); to profile,
# build without RELEASE_FLAGS' last flag (exported symbols stay, internal functions lose their names).
# SQLite is linked in (Debian's libsqlite3.a, the same build as the shared library) instead of the request
# for libsqlite3.so in Sources/CSQLite/module.modulemap: one library less for the dynamic loader to map and
# bind at every start.
RELEASE_FLAGS = -Xswiftc -Xfrontend -Xswiftc -disable-autolink-library -Xswiftc -Xfrontend -Xswiftc sqlite3 -Xlinker -l:libsqlite3.a \
  -Xlinker --strip-all
release: deps
	$(SWIFT) build -c release --static-swift-stdlib $(RELEASE_FLAGS)

# The official Python MCP SDK, the real peer of the MCP tests (Tests/MCPPeers): its client drives
# `arrakis mcp`, its FastMCP (the 1.x name, hence <2) serves `code --mcp-config`. Made once, then reused.
mcp-venv: deps
	@$(MCP_VENV)/bin/python -c 'import mcp' 2>/dev/null || { \
	  echo "creating $(MCP_VENV) with the Python MCP SDK"; \
	  python3 -m venv $(MCP_VENV) && $(MCP_VENV)/bin/pip install -q 'mcp>=1.20,<2'; }

test: deps mcp-venv
	$(SWIFT) build --build-tests
	ARRAKIS_TEST_MCP_VENV=$(MCP_VENV) $(SWIFT) test --skip-build
	@# The fork-bomb test spikes the load for seconds: it runs alone, after everything else.
	ARRAKIS_TEST_FORK_BOMB=1 $(SWIFT) test --skip-build --filter forkBombUnderOSSandbox

# The main job, no API key needed: analyse this repository, record it in a ledger, show the record.
demo: release
	@mkdir -p $(dir $(DEMO_DB))
	env -u ANTHROPIC_API_KEY $(RELEASE_BIN) --version
	env -u ANTHROPIC_API_KEY ARRAKIS_DB=$(DEMO_DB) $(RELEASE_BIN) analyze --no-model .
	ARRAKIS_DB=$(DEMO_DB) $(RELEASE_BIN) log -n 5

bench: release
	@for b in bench/*.sh; do echo "== $$b"; bash $$b || exit 1; done

# Man pages and completions come from the argument definitions, through the debug build: the output is
# the same as a release build's and CI already has one.
# The pages are dated by the last commit that changed what they say (the argument definitions, the
# hand-written sections, the script that joins them): true, and the same for everyone with the same tree.
# check-generated regenerates with the date the committed pages carry, so it compares what they say and
# is a no-op when nothing changed; outside a git checkout that committed date is used too.
# The plugin writes to its own work directory (it rejects --output-directory) and names pages
# arrakis.ask.1; scripts/man-pages.sh renames them and adds the hand-written sections in man/extra/.
MAN_SOURCES = Sources/arrakis Sources/ArrakisCore/ExitStatus.swift man/extra scripts/man-pages.sh
MAN_COMMITTED_DATE = $(shell date -u -d "$$(sed -n 's/^\.Dd //p' man/arrakis.1 2>/dev/null)" +%F 2>/dev/null)
MAN_DATE = $(or $(shell git log -1 --format=%cs -- $(MAN_SOURCES) 2>/dev/null),$(MAN_COMMITTED_DATE))
MAN_PLUGIN_OUT = .build/plugins/GenerateManual/outputs/arrakis

man: build
	@rm -rf $(MAN_PLUGIN_OUT)
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --configuration debug --multi-page --date $(MAN_DATE) >/dev/null
	sh scripts/man-pages.sh $(MAN_PLUGIN_OUT) $(DEBUG_BIN) man

completions: build
	@mkdir -p completions
	$(DEBUG_BIN) --generate-completion-script bash > completions/arrakis.bash
	$(DEBUG_BIN) --generate-completion-script zsh > completions/_arrakis
	$(DEBUG_BIN) --generate-completion-script fish > completions/arrakis.fish

generated: man completions

# CI: the committed man pages and completions must match what the code generates, and must parse.
check-generated: MAN_DATE = $(MAN_COMMITTED_DATE)
check-generated: generated
	@git diff --exit-code -- man completions || { echo "error: man/ or completions/ are out of date; run 'make generated' and commit" >&2; exit 1; }
	@test -z "$$(git status --porcelain -- man completions)" || { echo "error: untracked files in man/ or completions/; run 'make generated' and commit" >&2; git status --short -- man completions >&2; exit 1; }
	@for f in man/*.1; do w=$$(groff -mandoc -Tutf8 -ww -z $$f 2>&1); [ -z "$$w" ] || { echo "$$f: $$w" >&2; exit 1; }; done
	bash -n completions/arrakis.bash
	@if command -v zsh >/dev/null; then zsh -n completions/_arrakis; fi
	@if command -v fish >/dev/null; then fish -n completions/arrakis.fish; fi

# BIN: the binary to install. The default builds a release; `make install BIN=.build/debug/arrakis` installs
# an existing binary without building (the install test does this: a release build takes minutes).
BIN ?= $(RELEASE_BIN)

install: $(if $(filter $(RELEASE_BIN),$(BIN)),release)
	@test -x $(BIN) || { echo "error: $(BIN) does not exist; run 'make release' or pass BIN=path/to/arrakis" >&2; exit 1; }
	install -d $(BINDIR) $(MANDIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -s -m 0755 $(BIN) $(BINDIR)/arrakis
	@# The guardian every command runs under; without it arrakis forks its own (slower) copy.
	install -s -m 0755 $(dir $(BIN))arrakis-guard $(BINDIR)/arrakis-guard
	install -m 0644 man/*.1 $(MANDIR)/
	install -m 0644 completions/arrakis.bash $(BASHDIR)/arrakis
	install -m 0644 completions/_arrakis $(ZSHDIR)/_arrakis
	install -m 0644 completions/arrakis.fish $(FISHDIR)/arrakis.fish

uninstall:
	rm -f $(BINDIR)/arrakis $(BINDIR)/arrakis-guard $(BASHDIR)/arrakis $(ZSHDIR)/_arrakis $(FISHDIR)/arrakis.fish
	rm -f $(MANDIR)/arrakis.1 $(MANDIR)/arrakis-*.1

clean:
	rm -rf .build
