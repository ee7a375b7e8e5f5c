# Sourced by the run-*.sh scripts: builds the benchmark jar (and the CLI) from the current tree.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
mkdir -p results
build() {
  (cd .. && ./mvnw -B -q -pl benchmarks,benchmarks/spring6,hpkp-cli -am package -DskipTests)
}
need() {
  command -v "$1" >/dev/null || { echo "$1 is not installed: $2" >&2; exit 2; }
}
# Starts a Java main in the background, waits for its READY line, prints the rest of that line.
start_java() {
  local log=$1; shift
  java "$@" > "$log" 2>&1 &
  echo $! > "$log.pid"
  for _ in $(seq 1 300); do # up to 60 s: a 1,000,000-entry log is written first
    if grep -q '^READY ' "$log"; then grep '^READY ' "$log" | head -1 | cut -d' ' -f2-; return; fi
    sleep 0.2
  done
  echo "server did not start; see $log" >&2; exit 1
}
stop_java() { if [ -f "$1.pid" ]; then kill "$(cat "$1.pid")" 2>/dev/null || true; fi; rm -f "$1.pid"; }
