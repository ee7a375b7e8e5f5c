#!/usr/bin/env bash
# Pastes every command of the README's "hpkp command-line tool" section, as a newcomer would,
# in the example's keys directory, and fails if one does not run. Needs the example running
# (./mvnw -pl hpkp-filter-example-war -am package -Prun, in another terminal) and the CLI built
# (./mvnw -pl hpkp-cli -am package). The lint example exits 1 on purpose: it shows findings.
# ReadmeCommandsIT runs it in ./mvnw verify against an example on a free port:
# HPKP_EXAMPLE_DIR (default target/hpkp-example), HPKP_EXAMPLE_HTTPS_PORT (default 8443) and
# HPKP_EXAMPLE_IMPOSTOR_PORT (default 8444; the README's client commands need the example run in
# enforce mode with -Dexample.reportOnly=false -Dexample.impostorPort=8444).
# Each command's sample output in the README (the lines after it, up to the next '$ ' line or the
# fence) must be what the command prints now, line for line, pins, dates and numbers aside (they
# differ between runs: the example's keys are made anew on a fresh clone). With --write, the
# samples are rewritten from this run instead, keeping each sample's length (an abridged sample
# stays abridged): all of them then come from one run and agree with each other.
set -uo pipefail
write=false
[ "${1:-}" = "--write" ] && write=true
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
readme="$root/README.md"
# the '$ ' lines of the CLI section, from its first example to the end of the file's CLI part
sed -n '/^## The `hpkp` command-line tool/,/^## Layout/p' "$readme" > "$work/section"
grep '^\$ ' "$work/section" | sed 's/^\$ //' > "$work/commands"
# what varies between runs: pins, dates and times, numbers (ports, counts, days, widths)
normalize() {
  sed -E 's#[A-Za-z0-9+/]{43}=#PIN#g; s#[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?Z?)?#DATE#g; s#[0-9]+#N#g; s# +# #g; s# $##'
}
# the README's sample output of command $1: the lines after it up to the next '$ ' or fence
sample() {
  CMD="\$ $1" awk 'f && (/^\$ / || /^```/) {exit} f && !/^\(exit [0-9]+\)$/ {print} $0 == ENVIRON["CMD"] {f=1}' \
    "$work/section"
}
n=0
while IFS= read -r command; do
  count=$((count + 1))
  n=$((n + 1))
  run="${command//localhost:8443/localhost:$port}"
  run="${run//localhost:8444/localhost:$impostor}"
  bash -c "$run" < /dev/null > "$work/out" 2>&1
  status=$?
  # as the README shows it: the ports it names, paths relative to the keys directory
  sed -i "s/localhost:$port/localhost:8443/g; s/localhost:$impostor/localhost:8444/g;
    s#$work/keys/##g; s#$work/#../#g" "$work/out"
  expected=0
  # lint shows findings; fetch from the impostor is refused: both exit 1 on purpose
  case "$command" in hpkp\ lint*|hpkp\ fetch\ https://localhost:8444*) expected=1 ;; esac
  sample "$command" > "$work/sample"
  lines=$(wc -l < "$work/sample")
  head -n "$lines" "$work/out" > "$work/sample.$n"
  if [ "$status" -ne "$expected" ]; then
    failed=$((failed + 1))
    echo "FAIL (exit $status, expected $expected): $command"
    head -3 "$work/out" | sed 's/^/    /'
  elif ! $write && ! diff <(normalize < "$work/sample") <(normalize < "$work/sample.$n") \
      > "$work/diff"; then
    failed=$((failed + 1))
    echo "FAIL (the README's sample differs from what it prints now): $command"
    head -6 "$work/diff" | sed 's/^/    /'
  else
    echo "ok: ${command:0:100}"
  fi
done < "$work/commands"
# the samples are of one deployment: the leaf pin 'hpkp pin localhost.crt' prints is the leaf of
# every other sample that shows the example's chain or policy
leaf=$(sample "hpkp pin localhost.crt" | head -1)
while IFS= read -r command; do
  case "$command" in
    "hpkp pin fullchain.pem"|hpkp\ header*|hpkp\ check\ https://localhost:8443/*|hpkp\ plan*)
      count=$((count + 1))
      if $write || sample "$command" | grep -qF -- "$leaf"; then
        echo "ok: the sample of ${command:0:60} shows the leaf pin $leaf"
      else
        failed=$((failed + 1))
        echo "FAIL (the sample does not show the leaf pin $leaf of 'hpkp pin localhost.crt'):" \
          "$command"
      fi ;;
  esac
done < "$work/commands"
if $write && [ "$failed" -eq 0 ]; then
  # replace each sample by this run's output, as long as the sample was
  SAMPLES="$work/sample." awk '
    function flush() { if (n > 0) { f = ENVIRON["SAMPLES"] n; while ((getline l < f) > 0) print l; close(f) } }
    /^## The `hpkp` command-line tool/ {cli = 1}
    /^## Layout/ {cli = 0}
    skipping && (/^\$ / || /^```/ || /^\(exit [0-9]+\)$/) {skipping = 0}
    skipping {next}
    cli && /^\$ / {print; n++; flush(); skipping = 1; next}
    {print}' "$readme" > "$work/README.new" && cp "$work/README.new" "$readme"
  echo "rewrote the samples of $readme"
fi
rm -rf "$work"
echo "$((count - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
