#!/usr/bin/env bash
# 11. hpkp-watch end to end (#20): a Static CT API log of 1,000,000 entries (ENTRIES to change it)
#     written to target/watch-log (never committed), served by Jetty over loopback with gzip data
#     tiles, read by CtWatcher from the start with every check on (checkpoint signature, each
#     entry's leaf hash into the compact range, root against the checkpoint, names of every entry,
#     the JDK parse of the matching ones). Goal: >= 100,000 entries/s, heap under 256 MiB.
source "$(dirname "$0")/common.sh"
build
entries="${ENTRIES:-1000000}"
rm -rf target/watch-log
java -Xmx256m -cp target/benchmarks.jar dev.hpkp.benchmarks.WatchThroughput "$entries" \
  target/watch-log | tee results/watch.txt
