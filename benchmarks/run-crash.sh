#!/usr/bin/env bash
# 5. Crash durability: kill -9 the collector's JVM in the middle of a 64-client load run; every
#    report that got a 204 must be in the file exactly once (a torn last line is skipped).
source "$(dirname "$0")/common.sh"
build
java -cp target/benchmarks.jar dev.hpkp.benchmarks.CrashRun "${1:-5000}" | tee results/crash.txt
