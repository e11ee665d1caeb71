#!/usr/bin/env bash
# Stress test of the embedded simulator's process runtime (issue #14): STRESS_RUNS runs of
# `testsuite test --embedded` with 2 × STRESS_JOBS `exit 0` pods each. A run fails when the
# runner does not exit 0 (a crash exits 128 + signal), or when it leaves a pod process, a run
# directory or a memory group behind. Usage: make stress [STRESS_RUNS=10] [STRESS_JOBS=1000].
set -u
runs=${STRESS_RUNS:-10}
jobs=${STRESS_JOBS:-1000}
bin=${BIN:-.build/debug/testsuite}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s/^batchSize: .*/batchSize: $jobs/" "$here/stress-exit0.yaml" > "$work/stress.yaml"
# The simulator keeps runs on /dev/shm when it has 4 GiB free, else under $TMPDIR (ProcessRuntime.defaultWorkRoot).
runroot="${TMPDIR:-/tmp}"; runroot="${runroot%/}/armada-sim-runs"
shm=$(df --output=avail -B1 /dev/shm 2>/dev/null | tail -1)
[ -w /dev/shm ] && [ "${shm:-0}" -ge $((4 << 30)) ] && runroot=/dev/shm/armada-sim-runs
cgroups=""
for dir in /sys/fs/cgroup/memory/armada-sim /sys/fs/cgroup/armada-sim; do [ -d "$dir" ] && cgroups=$dir && break; done
failures=0
for i in $(seq 1 "$runs"); do
    started=$(date +%s)
    "$bin" test --embedded --quiet --no-color --junit "$work/junit-$i.xml" "$work/stress.yaml" > "$work/run-$i.log" 2>&1 &
    pid=$!
    wait "$pid"
    rc=$?
    problems=()
    [ "$rc" -eq 0 ] || problems+=("exit code $rc$([ "$rc" -gt 128 ] && echo " (signal $((rc - 128)))")")
    [ -e "$runroot/$pid" ] && problems+=("run directory $runroot/$pid left ($(ls "$runroot/$pid" | wc -l) entries)")
    if [ -n "$cgroups" ]; then
        left=$(find "$cgroups" -mindepth 1 -maxdepth 1 -type d -name "$pid-*" | wc -l)
        [ "$left" -eq 0 ] || problems+=("$left memory group(s) left in $cgroups")
    fi
    if [ "$(id -u)" -eq 0 ]; then
        left=$(pgrep -u 1500000000 | wc -l)
        [ "$left" -eq 0 ] || problems+=("$left pod process(es) left (uid 1500000000)")
    fi
    # The run's pod network (its lower device names the simulator's pid in its alias).
    for link in /sys/class/net/armsim*; do
        [ -e "$link/ifalias" ] && grep -q "pid=$pid " "$link/ifalias" && problems+=("pod network $(basename "$link") left")
    done
    elapsed=$(( $(date +%s) - started ))
    if [ ${#problems[@]} -eq 0 ]; then
        echo "run $i/$runs: 2 × $jobs pods passed in ${elapsed}s"
    else
        failures=$((failures + 1))
        echo "run $i/$runs: FAILED after ${elapsed}s: $(IFS=';'; echo "${problems[*]}")"
        tail -n 20 "$work/run-$i.log" | sed 's/^/    /'
    fi
done
echo "stress: $((runs - failures)) of $runs run(s) passed"
[ "$failures" -eq 0 ]
