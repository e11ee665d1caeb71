#!/usr/bin/env bash
# Runs each libFuzzer target (issue #14 item 8) for FUZZ_SECONDS seconds (default 60), seeded from
# Fuzz/seeds/<target>, Fuzz/regressions/<target> and, for the loader, testcases/. The corpus grows
# in .build-fuzz/corpus/<target> across runs. A crash stops with the input's path and how to keep
# it as a regression. Usage: make fuzz [FUZZ_SECONDS=600] [FUZZ_TARGETS="loader sim-requests"].
set -u
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-loader sim-requests event-lines configs scalars grpc-messages tokens}
bin=${FUZZ_BIN:-.build-fuzz/debug/armada-fuzz}
failures=0
for target in $targets; do
    corpus=.build-fuzz/corpus/$target
    crashes=.build-fuzz/crashes/$target
    mkdir -p "$corpus" "$crashes"
    seeds=()
    for dir in "Fuzz/seeds/$target" "Fuzz/regressions/$target"; do [ -d "$dir" ] && seeds+=("$dir"); done
    # libFuzzer reads no sub-directories: the loader's corpus gets the test-case files themselves.
    [ "$target" = loader ] && find testcases -name '*.yaml' -exec cp {} "$corpus/" \;
    log=.build-fuzz/$target.log
    echo "fuzz $target: ${seconds}s"
    # SWIFT_BACKTRACE off: libFuzzer, not the Swift runtime, handles a crash and writes its input.
    if SWIFT_BACKTRACE=enable=no FUZZ_TARGET=$target "$bin" "$corpus" ${seeds[@]+"${seeds[@]}"} -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" > "$log" 2>&1; then
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$log" | sed 's/^/    /'
    else
        failures=$((failures + 1))
        echo "FAILED: $target (log: $log)"
        grep -E "ERROR|Fatal error|SUMMARY|Test unit written" "$log" | head -10 | sed 's/^/    /'
        echo "    keep it: cp <that file> Fuzz/regressions/$target/ and fix the cause (FuzzRegressionTests replays it)"
    fi
done
[ "$failures" -eq 0 ]
