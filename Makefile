SHELL := /bin/bash
# armada-testsuite — the two commands a fresh machine needs:
#   make run    run every test case in testcases/ on the embedded Armada simulator
#   make test   build and run the unit tests
SWIFT ?= swift
TESTS ?= testcases/**/*.yaml
BIN = .build/debug/testsuite

.PHONY: run test build validate list clean

build:
	@set -o pipefail; $(SWIFT) build 2>&1 | tee .build-log.txt
	@if grep -E '^/.*/(Sources|Tests)/.*: warning:' .build-log.txt; then echo "warnings in project code (see above)"; exit 1; fi

run: build
	$(BIN) validate --tests '$(TESTS)' --no-warnings
	$(BIN) test --tests '$(TESTS)'

validate: build
	$(BIN) validate --tests '$(TESTS)'

list: build
	$(BIN) list --tests '$(TESTS)'

test: build
	$(SWIFT) test

clean:
	rm -rf .build .build-log.txt
