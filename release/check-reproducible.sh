#!/usr/bin/env bash
# Builds the release twice, each from its own clean clone of HEAD in its own directory, and
# compares the SHA-256 of every archive and POM the two builds made (jars, sources and Javadoc
# jars, test-jars, the WAR, the CLI's zip and tar.gz, the SBOMs). Prints every hash; exits 1 when
# any artifact differs or is missing from one build. Only what is committed is built.
#
#   release/check-reproducible.sh            # ./mvnw -B -Prelease -DskipSigning -DskipTests package
#   KEEP=1 release/check-reproducible.sh     # keep the two build directories to compare by hand
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$root" rev-parse HEAD)
work=$(mktemp -d "${TMPDIR:-/tmp}/hpkp-reproducible.XXXXXX")
if [ -z "${KEEP:-}" ]; then
  trap 'rm -rf "$work"' EXIT
fi
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  echo "note: uncommitted changes are not built; building commit ${commit:0:12}" >&2
fi

artifacts() {
  # every archive, SBOM and flattened POM a module's build wrote into its target/ directory
  (cd "$1" && find . -path ./.git -prune -o -type f -path '*/target/*' \
      \( -name '*.jar' -o -name '*.war' -o -name '*.zip' -o -name '*.tar.gz' \
         -o -name 'bom.json' -o -name 'bom.xml' -o -name '.flattened-pom.xml' \) -print \
    | grep -Ev '/target/[^/]+/.+' | LC_ALL=C sort)
}

for n in 1 2; do
  dir="$work/build-$n"
  git clone -q "$root" "$dir"
  git -C "$dir" checkout -q "$commit"
  echo "build $n of ${commit:0:12} in $dir" >&2
  (cd "$dir" && ./mvnw -B -q -Prelease -DskipSigning -DskipTests package >"$work/build-$n.log" 2>&1) \
    || { echo "build $n failed; its log:" >&2; tail -40 "$work/build-$n.log" >&2; exit 2; }
  (cd "$dir" && artifacts . | xargs sha256sum) >"$work/sha256-$n"
done

status=0
count=0
while read -r sum file; do
  count=$((count + 1))
  other=$(awk -v f="$file" '$2 == f { print $1 }' "$work/sha256-2")
  if [ -z "$other" ]; then
    echo "MISSING in build 2  $file"
    status=1
  elif [ "$other" != "$sum" ]; then
    echo "DIFFERS  $sum  $other  $file"
    status=1
  else
    echo "same     $sum  $file"
  fi
done <"$work/sha256-1"
while read -r sum file; do
  grep -q "  $file\$" "$work/sha256-1" || { echo "MISSING in build 1  $file"; status=1; }
done <"$work/sha256-2"

if [ "$status" -eq 0 ]; then
  echo "REPRODUCIBLE: $count artifacts, identical SHA-256 in both builds of ${commit:0:12}"
else
  echo "NOT REPRODUCIBLE: see the lines above (KEEP=1 keeps $work to compare them)"
fi
exit "$status"
