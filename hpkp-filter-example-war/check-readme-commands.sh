#!/usr/bin/env bash
# Pastes every command of the README's "hpkp command-line tool" section, as a newcomer would,
# in the example's keys directory, and fails if one does not run. Needs the example running
# (./mvnw -pl hpkp-filter-example-war -am package -Prun, in another terminal) and the CLI built
# (./mvnw -pl hpkp-cli -am package). The lint example exits 1 on purpose: it shows findings.
# ReadmeCommandsIT runs it in ./mvnw verify against an example on a free port:
# HPKP_EXAMPLE_DIR (default target/hpkp-example), HPKP_EXAMPLE_HTTPS_PORT (default 8443) and
# HPKP_EXAMPLE_IMPOSTOR_PORT (default 8444; the README's client commands need the example run in
# enforce mode with -Dexample.reportOnly=false -Dexample.impostorPort=8444).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
example="${HPKP_EXAMPLE_DIR:-$root/hpkp-filter-example-war/target/hpkp-example}"
port="${HPKP_EXAMPLE_HTTPS_PORT:-8443}"
impostor="${HPKP_EXAMPLE_IMPOSTOR_PORT:-8444}"
keys="$example/keys"
[ -d "$keys" ] || { echo "no $keys: run the example first" >&2; exit 2; }
[ -f "$root/hpkp-cli/target/hpkp.jar" ] || { echo "build the CLI first" >&2; exit 2; }
export PATH="$root/hpkp-cli:$PATH"
work=$(mktemp -d)
cp -r "$keys" "$work/keys"
cp -r "$keys/../reports" "$work/reports" 2>/dev/null || mkdir -p "$work/reports"
cd "$work/keys"
failed=0
count=0
# the '$ ' lines of the CLI section, from its first example to the end of the file's CLI part
sed -n '/^## The `hpkp` command-line tool/,/^## Layout/p' "$root/README.md" | grep '^\$ ' \
  | sed 's/^\$ //' > "$work/commands"
while IFS= read -r command; do
  count=$((count + 1))
  run="${command//localhost:8443/localhost:$port}"
  run="${run//localhost:8444/localhost:$impostor}"
  bash -c "$run" > "$work/out" 2>&1
  status=$?
  expected=0
  # lint shows findings; fetch from the impostor is refused: both exit 1 on purpose
  case "$command" in hpkp\ lint*|hpkp\ fetch\ https://localhost:8444*) expected=1 ;; esac
  if [ "$status" -ne "$expected" ]; then
    failed=$((failed + 1))
    echo "FAIL (exit $status, expected $expected): $command"
    head -3 "$work/out" | sed 's/^/    /'
  else
    echo "ok: ${command:0:100}"
  fi
done < "$work/commands"
rm -rf "$work"
echo "$((count - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
