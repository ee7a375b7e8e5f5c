#!/usr/bin/env bash
# The example WAR in the full Jakarta EE servers people run, each fetched from Maven Central:
# WildFly, Open Liberty (jakartaee-10.0), GlassFish, Payara Micro 6 and 7 (7 on Java 25).
#
# On each: the WAR as built deploys, sends the exact header on HTTPS and none on HTTP, shows the
# status page and answers a sample report with 204; then three unsafe policies (no backupPins,
# the leaf's own pin as backup, maxAgeSeconds=abc) must each leave the application not started,
# as the server itself reports it, with the filter's sentence in the server's log, and no request
# answered by the application.
#
#   hpkp-filter-example-war/run-ee-servers.sh                  # every server (about 8 minutes)
#   hpkp-filter-example-war/run-ee-servers.sh wildfly liberty  # some of them
#
# Not part of './mvnw verify' (it downloads about 600 MB once and starts each server several
# times). Loopback only. Prints one line per check and a summary; exits 1 if any check failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/hpkp-filter-example-war/target/ee-servers
DATA=$ROOT/hpkp-filter-example-war/target/hpkp-example
WAR=$ROOT/hpkp-filter-example-war/target/hpkp-filter-example.war
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
REPORT_URI=https://reports.example.net/hpkp
HTTPS_PORT=8443
HTTP_PORT=8080

WILDFLY=org.wildfly:wildfly-dist:39.0.1.Final:zip
LIBERTY=io.openliberty:openliberty-runtime:26.0.0.3:zip
GLASSFISH=org.glassfish.main.distributions:glassfish:7.0.21:zip
PAYARA6=fish.payara.extras:payara-micro:6.2025.10:jar
PAYARA7=fish.payara.extras:payara-micro:7.2026.11:jar

SERVERS=("$@")
[ ${#SERVERS[@]} -gt 0 ] || SERVERS=(wildfly liberty glassfish payara6 payara7)
PASSED=0
FAILED=0
SUMMARY=()

say() { printf '%s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); say "  ok    $*"; }
fail() { FAILED=$((FAILED + 1)); SUMMARY+=("$CURRENT: $*"); say "  FAIL  $*"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# --- what is deployed ------------------------------------------------------------------------

build() {
  say "Building the example WAR"
  ./mvnw -B -q -pl hpkp-filter-example-war -am package -DskipTests
  if [ ! -f "$DATA/keys/server.p12" ]; then
    say "Generating the example's development chain (the launcher, stopped once it runs)"
    local log=$WORK/launcher.log
    ./mvnw -q -pl hpkp-filter-example-war package -Prun -Dexample.httpsPort=18443 \
      -Dexample.httpPort=18080 > "$log" 2>&1 &
    local launcher=$!
    for _ in $(seq 1 90); do grep -q "is running" "$log" && break; sleep 2; done
    kill "$launcher" 2> /dev/null || true
    pkill -f dev.hpkp.example.ExampleServer 2> /dev/null || true
    wait "$launcher" 2> /dev/null || true
    [ -f "$DATA/keys/server.p12" ] || { say "the launcher made no keys: $log"; exit 2; }
  fi
  python3 - "$WAR" "$WORK/wars" << 'EOF'
import re, sys, zipfile, pathlib
war, out = sys.argv[1], pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
def backup(xml, value):
    return re.sub(r'(<param-name>backupPins</param-name>\s*<param-value>).*?(</param-value>)',
                  lambda m: m.group(1) + value + m.group(2), xml, count=1, flags=re.S)
variants = {
    'good': lambda xml: xml,
    'no-backup': lambda xml: re.sub(
        r'\s*<init-param>\s*<param-name>backupPins</param-name>.*?</init-param>', '', xml,
        count=1, flags=re.S),
    'leaf-backup': lambda xml: backup(xml, 'file:${sys:hpkp.example.dir}/keys/localhost.crt'),
    'bad-max-age': lambda xml: re.sub(
        r'(<param-name>maxAgeSeconds</param-name>\s*<param-value>)600(</param-value>)',
        r'\g<1>abc\g<2>', xml, count=1),
}
with zipfile.ZipFile(war) as source:
    entries = [(item.filename, source.read(item)) for item in source.infolist()]
original = dict(entries)['WEB-INF/web.xml'].decode()
for name, change in variants.items():
    xml = change(original)
    if name != 'good' and xml == original:
        sys.exit('could not make the ' + name + ' variant of web.xml')
    with zipfile.ZipFile(out / (name + '.war'), 'w', zipfile.ZIP_DEFLATED) as target:
        for filename, data in entries:
            target.writestr(filename, xml.encode() if filename == 'WEB-INF/web.xml' else data)
EOF
  EXPECTED=$(expected_header)
  say "Expected on HTTPS: Public-Key-Pins-Report-Only: $EXPECTED"
}

# The header the example sends with these keys, from the keys themselves (openssl).
expected_header() {
  local pins=()
  pins+=("$(openssl x509 -in "$DATA/keys/localhost.crt" -pubkey -noout | pin_of_public_key)")
  for csr in "$DATA/keys/backup-1.csr" "$DATA/keys/backup-2.csr"; do
    pins+=("$(openssl req -in "$csr" -pubkey -noout | pin_of_public_key)")
  done
  printf 'pin-sha256="%s"; pin-sha256="%s"; pin-sha256="%s"; max-age=600; report-uri="%s"' \
    "${pins[0]}" "${pins[1]}" "${pins[2]}" "$REPORT_URI"
}
pin_of_public_key() { openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64; }

JAVA_PROPS=(-Dhpkp.example.dir="$DATA" -Dhpkp.example.reportOnly=true
  -Dhpkp.example.reportUri="$REPORT_URI")
sentence_for() {
  case $1 in
    no-backup) say "HPKP filter hpkp refuses to start: backupPins:" ;;
    leaf-backup) say "HPKP filter hpkp refuses to start: backupPins: sha256/" ;;
    bad-max-age) say "HPKP filter hpkp refuses to start: maxAgeSeconds: 'abc'" ;;
  esac
}

# --- what is checked -------------------------------------------------------------------------

header_of() { # header_of NAME FILE: the value of the first such header, without CR
  grep -i "^$1:" "$2" | head -n 1 | cut -d: -f2- | sed 's/^ //' | tr -d '\r'
}

check_good() { # check_good LOGFILE
  local out=$WORK/out
  mkdir -p "$out"
  curl -sk --max-time 10 -D "$out/https.h" -o "$out/https.b" "https://127.0.0.1:$HTTPS_PORT/" || true
  curl -s --max-time 10 -D "$out/http.h" -o "$out/http.b" "http://127.0.0.1:$HTTP_PORT/" || true
  check "HTTPS / answers 200 with the status page" \
    grep -q "hpkp-filter example" "$out/https.b"
  check "HTTPS carries exactly the expected Public-Key-Pins-Report-Only" \
    test "$(header_of Public-Key-Pins-Report-Only "$out/https.h")" = "$EXPECTED"
  check "plain HTTP answers without a pinning header" \
    bash -c "grep -q 'hpkp-filter example' '$out/http.b' && ! grep -qi '^public-key-pins' '$out/http.h'"
  local status
  status=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' \
    -H 'Content-Type: application/json' --data "@$DATA/sample-report.json" \
    "https://127.0.0.1:$HTTPS_PORT/hpkp-report" || true)
  check "a sample report gets 204 (got $status)" test "$status" = 204
  check "the filter logged the header it sends" grep -q "HPKP filter hpkp sends on HTTPS" "$1"
  check "no WFLYEE0007 (optional component) warning" bash -c "! grep -q WFLYEE0007 '$1'"
}

check_refused() { # check_refused VARIANT LOGFILE SERVER_SAYS_FAILED(0/1)
  local variant=$1 log=$2 failed=$3 out=$WORK/out
  check "$variant: the server reports the application as not started" test "$failed" = 1
  check "$variant: the server's log has the filter's sentence" \
    grep -qF "$(sentence_for "$variant")" "$log"
  curl -sk --max-time 10 -D "$out/bad.h" -o "$out/bad.b" "https://127.0.0.1:$HTTPS_PORT/" || true
  check "$variant: no request is answered by the application" \
    bash -c "! grep -q 'hpkp-filter example' '$out/bad.b' && ! grep -qi '^public-key-pins' '$out/bad.h'"
}

wait_for() { # wait_for SECONDS COMMAND...: true once COMMAND succeeds
  local seconds=$1; shift
  for _ in $(seq 1 "$seconds"); do "$@" && return 0; sleep 1; done
  return 1
}

fetch() { # fetch GAV: the file, from Maven Central through the local repository
  local gav=$1 dir=$WORK/downloads
  mkdir -p "$dir"
  IFS=: read -r group artifact version type <<< "$gav"
  local file=$dir/$artifact-$version.$type
  if [ ! -f "$file" ]; then
    ./mvnw -B -q dependency:copy -Dartifact="$gav" -DoutputDirectory="$dir" > /dev/null
  fi
  printf '%s' "$file"
}

# --- the servers -----------------------------------------------------------------------------

run_wildfly() {
  local zip home log deployments
  zip=$(fetch "$WILDFLY")
  rm -rf "$WORK/wildfly" && mkdir -p "$WORK/wildfly" && unzip -q "$zip" -d "$WORK/wildfly"
  home=$(ls -d "$WORK"/wildfly/wildfly-*)
  deployments=$home/standalone/deployments
  log=$WORK/wildfly.log
  JAVA_OPTS="-Xmx768m ${JAVA_PROPS[*]}" "$home/bin/standalone.sh" \
    -Djboss.bind.address=127.0.0.1 -Djboss.bind.address.management=127.0.0.1 > "$log" 2>&1 &
  wait_for 120 grep -q WFLYSRV0025 "$log" || { fail "WildFly did not start: $log"; return; }
  for variant in good no-backup leaf-backup bad-max-age; do
    rm -f "$deployments"/ROOT.war*
    wait_for 30 bash -c "! ls '$deployments' | grep -q '^ROOT.war.undeployed'" || true
    local from
    from=$(wc -l < "$log")
    cp "$WORK/wars/$variant.war" "$deployments/ROOT.war"
    wait_for 90 bash -c "ls '$deployments' | grep -qE '^ROOT.war.(deployed|failed)$'" || true
    if [ "$variant" = good ]; then
      check "the example deploys (ROOT.war.deployed)" test -f "$deployments/ROOT.war.deployed"
      check_good "$log"
    else
      tail -n "+$((from + 1))" "$log" > "$WORK/wildfly-$variant.log"
      check_refused "$variant" "$WORK/wildfly-$variant.log" \
        "$([ -f "$deployments/ROOT.war.failed" ] && echo 1 || echo 0)"
    fi
  done
  "$home/bin/jboss-cli.sh" -c --controller=127.0.0.1:9990 --command=shutdown > /dev/null 2>&1 || true
  wait_for 30 bash -c "! pgrep -f '$home' > /dev/null" || pkill -f "$home" || true
}

run_liberty() {
  local zip home server log
  zip=$(fetch "$LIBERTY")
  rm -rf "$WORK/liberty" && mkdir -p "$WORK/liberty" && unzip -q "$zip" -d "$WORK/liberty"
  home=$WORK/liberty/wlp
  "$home/bin/server" create hpkp > /dev/null
  server=$home/usr/servers/hpkp
  cat > "$server/server.xml" << EOF
<server>
  <featureManager>
    <feature>jakartaee-10.0</feature>
  </featureManager>
  <keyStore id="defaultKeyStore" password="changeit"/>
  <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="$HTTP_PORT" httpsPort="$HTTPS_PORT"/>
  <webApplication id="ROOT" name="ROOT" location="ROOT.war" contextRoot="/"/>
</server>
EOF
  printf '%s\n' "${JAVA_PROPS[@]}" > "$server/jvm.options"
  log=$server/logs/messages.log
  for variant in good no-backup leaf-backup bad-max-age; do
    cp "$WORK/wars/$variant.war" "$server/apps/ROOT.war"
    rm -rf "$server/logs" "$server/workarea"
    "$home/bin/server" start hpkp > /dev/null || true
    wait_for 120 grep -qE 'CWWKZ0001I|CWWKZ0002E|CWWKZ0004E|CWWKZ0012I' "$log" 2> /dev/null || true
    sleep 2
    if [ "$variant" = good ]; then
      check "the example deploys (CWWKZ0001I)" grep -q CWWKZ0001I "$log"
      # filters start at the first request: the log line comes with it
      check_good "$log"
    else
      check_refused "$variant" "$log" "$(grep -qE 'CWWKZ0002E|CWWKZ0004E|CWWKZ0012I' "$log" \
        && ! grep -q CWWKZ0001I "$log" && echo 1 || echo 0)"
    fi
    cp "$log" "$WORK/liberty-$variant.log" 2> /dev/null || true
    "$home/bin/server" stop hpkp > /dev/null || true
  done
}

run_glassfish() {
  local zip home asadmin log
  zip=$(fetch "$GLASSFISH")
  rm -rf "$WORK/glassfish" && mkdir -p "$WORK/glassfish" && unzip -q "$zip" -d "$WORK/glassfish"
  home=$WORK/glassfish/glassfish7
  asadmin=$home/bin/asadmin
  python3 - "$home/glassfish/domains/domain1/config/domain.xml" "${JAVA_PROPS[@]}" << 'EOF'
import sys
path, options = sys.argv[1], sys.argv[2:]
xml = open(path).read()
marker = '<java-config'
start = xml.index(marker, xml.index('<config name="server-config"'))
end = xml.index('>', start) + 1
xml = xml[:end] + ''.join('\n        <jvm-options>' + o + '</jvm-options>' for o in options) + xml[end:]
open(path, 'w').write(xml)
EOF
  log=$home/glassfish/domains/domain1/logs/server.log
  "$asadmin" start-domain domain1 > "$WORK/glassfish-start.log" 2>&1 \
    || { fail "GlassFish did not start: $WORK/glassfish-start.log"; return; }
  HTTPS_PORT=8181
  for variant in good no-backup leaf-backup bad-max-age; do
    local deployed=0 from
    from=$(wc -l < "$log")
    "$asadmin" deploy --contextroot / --name ROOT "$WORK/wars/$variant.war" \
      > "$WORK/glassfish-$variant.out" 2>&1 && deployed=1
    sleep 1
    if [ "$variant" = good ]; then
      check "the example deploys (asadmin deploy succeeded)" test "$deployed" = 1
      check_good "$log"
    else
      tail -n "+$((from + 1))" "$log" > "$WORK/glassfish-$variant.log"
      check_refused "$variant" "$WORK/glassfish-$variant.log" \
        "$([ "$deployed" = 0 ] && echo 1 || echo 0)"
    fi
    "$asadmin" undeploy ROOT > /dev/null 2>&1 || true
  done
  "$asadmin" stop-domain domain1 > /dev/null 2>&1 || true
  HTTPS_PORT=8443
}

run_payara() { # run_payara GAV JAVA_HOME
  local jar java log
  jar=$(fetch "$1")
  java=$2/bin/java
  [ -x "$java" ] || { fail "no Java at $2 for $(basename "$jar")"; return; }
  for variant in good no-backup leaf-backup bad-max-age; do
    log=$WORK/$CURRENT-$variant.log
    "$java" -Xmx768m "${JAVA_PROPS[@]}" -jar "$jar" --nocluster --nohazelcast \
      --port "$HTTP_PORT" --sslport "$HTTPS_PORT" --contextroot / \
      --deploy "$WORK/wars/$variant.war" > "$log" 2>&1 &
    local micro=$!
    wait_for 180 grep -qE 'Payara Micro .* ready|ready in [0-9]+' "$log" || true
    sleep 2
    if [ "$variant" = good ]; then
      check "the example deploys and starts (Deployed 1 archive, no AS-WEB-CORE-00174)" \
        bash -c "grep -q 'Deployed 1 archive' '$log' && ! grep -q AS-WEB-CORE-00174 '$log'"
      check_good "$log"
    else
      # Payara Micro deploys first and starts the web context after: the refusal shows as
      # AS-WEB-CORE-00174 "Startup of context failed", and the context never serves
      check_refused "$variant" "$log" "$(grep -q 'AS-WEB-CORE-00174' "$log" && echo 1 || echo 0)"
    fi
    kill "$micro" 2> /dev/null || true
    wait "$micro" 2> /dev/null || true
  done
}

mkdir -p "$WORK"
build
for server in "${SERVERS[@]}"; do
  CURRENT=$server
  say ""
  say "== $server"
  case $server in
    wildfly) run_wildfly ;;
    liberty) run_liberty ;;
    glassfish) run_glassfish ;;
    payara6) run_payara "$PAYARA6" "${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}" ;;
    payara7) run_payara "$PAYARA7" "$JAVA25" ;;
    *) say "unknown server '$server': choose from wildfly liberty glassfish payara6 payara7"; exit 2 ;;
  esac
done
say ""
say "$PASSED passed, $FAILED failed"
for line in "${SUMMARY[@]}"; do say "  $line"; done
[ "$FAILED" = 0 ]
