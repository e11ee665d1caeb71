SHELL := /bin/bash
# armada-testsuite — the two commands a fresh machine needs:
#   make run    run the retry seed test case on the embedded Armada simulator
#   make test   build and run the unit and end-to-end tests
SWIFT ?= swift
TESTS ?= retries/single_pod_retry.yaml
ALL ?= testcases/**/*.yaml
BIN = .build/debug/testsuite

.PHONY: run run-all localdev test build install validate list bench stress fuzz fuzz-build sanitize clean pydeps interop-venv oidc-provider pod-tools browser
PREFIX ?= /usr/local

build:
	@set -o pipefail; $(SWIFT) build 2>&1 | tee .build-log.txt
	@if grep -E '^/.*/(Sources|Tests)/.*: warning:' .build-log.txt; then echo "warnings in project code (see above)"; exit 1; fi

# The host programs the process runtime runs images with (busybox-static, stress-ng; see
# Sources/ArmadaSim/images.yaml): installed with apt-get as root, otherwise named.
pod-tools:
	@bash scripts/install-pod-tools.sh

# The main job: one retry-policy test case on the embedded simulator (no target configured).
run: build pod-tools
	$(BIN) test --embedded --tests '$(TESTS)'

# Every test case in testcases/ on the embedded simulator.
run-all: build pod-tools
	$(BIN) validate --tests '$(ALL)' --no-warnings
	$(BIN) test --embedded --tests '$(ALL)'

# Every test case against the local goreman dev stack (gRPC on localhost:50051).
localdev: build
	$(BIN) test --config config/localdev.yaml --tests '$(ALL)' --junit .build/junit.xml

validate: build
	$(BIN) validate --tests '$(ALL)'

list: build
	$(BIN) list --tests '$(ALL)'

# Installs the built testsuite as $(PREFIX)/bin/testsuite.
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/testsuite

# The report readers the tests check JUnit and JSON output with (xunitparser, junitparser, jsonschema).
pydeps:
	@python3 -c 'import xunitparser, junitparser, jsonschema' 2>/dev/null || python3 -m pip install -q xunitparser junitparser jsonschema \
	  || python3 -m pip install -q --break-system-packages xunitparser junitparser jsonschema

# Armada's official Python client (armada-client on PyPI, gRPC) in a venv of its own, for the
# interop tests against `testsuite serve` (Tests/CLITests/PythonInteropTests.swift).
ARMADA_CLIENT_VERSION ?= 0.5.1
INTEROP_VENV = .build-interop/venv
interop-venv:
	@$(INTEROP_VENV)/bin/python -c 'import armada_client.client' 2>/dev/null || { \
	  python3 -m venv $(INTEROP_VENV) && $(INTEROP_VENV)/bin/pip install -q "armada-client==$(ARMADA_CLIENT_VERSION)"; }

# A real OpenID Connect provider for the OIDC tests: Debian's glewlwyd, unpacked into .build-oidc
# (Tests/ArmadaSimTests/OIDCProviderTests.swift runs it through scripts/oidc/glewlwyd_provider.py).
oidc-provider:
	@bash scripts/oidc/install-glewlwyd.sh .build-oidc

# Debian's chromium, for the HTML report tests (Tests/ReportingTests/HTMLReportBrowserTests.swift).
browser:
	@bash scripts/browser/install-chromium.sh

test: build pydeps interop-venv oidc-provider pod-tools browser
	$(SWIFT) test

# Performance benchmarks (release build, ~5 min): see docs/performance.md. BENCH_ARGS=--quick for a smoke run.
bench: pod-tools browser
	$(SWIFT) build -c release --scratch-path .build-release --product armada-bench
	$(SWIFT) build -c release --scratch-path .build-release --product testsuite
	.build-release/release/armada-bench $(BENCH_ARGS)

# Load on the process runtime (~2 min a run here): STRESS_RUNS runs of 2 × STRESS_JOBS pods, each
# must pass and leave no process, run directory or memory group behind.
stress: build
	scripts/stress.sh

# libFuzzer targets (see Sources/FuzzHarness): FUZZ_SECONDS per target (default 60; the "done"
# bar is 600), FUZZ_TARGETS to pick some. Its own build directory: every module is instrumented.
fuzz: fuzz-build
	scripts/fuzz.sh

fuzz-build:
	$(SWIFT) build -c debug --scratch-path .build-fuzz --product armada-fuzz \
	  -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -DFUZZING

# The simulator's and the runner's tests under AddressSanitizer, then ThreadSanitizer. Leak reports
# are off: at exit LeakSanitizer lists allocations of the Swift runtime's regex parser, libcurl and
# XCTest that live for the whole process, none of this code's. TSan cannot see Swift's Mutex on
# Linux: scripts/tsan-suppressions.txt lists the reports read and found to be inside one Mutex.
sanitize:
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --scratch-path .build-asan --sanitize=address --filter 'ArmadaSimTests|RunnerTests'
	TSAN_OPTIONS=suppressions=$(CURDIR)/scripts/tsan-suppressions.txt $(SWIFT) test --scratch-path .build-tsan --sanitize=thread \
	  --filter 'ArmadaSimTests|RunnerTests'

clean:
	rm -rf .build .build-release .build-fuzz .build-asan .build-tsan .build-interop .build-oidc .build-log.txt
