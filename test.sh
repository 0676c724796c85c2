#!/usr/bin/env bash
# Installs what the tests need, builds everything with warnings as errors, and runs every test.
# Works on a fresh Debian machine with the .NET SDK (as root, or with sudo for the apt step).
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

# --- What the tests need -------------------------------------------------------------------------
# git: store interop tests drive the real git CLI. chromium: browser tests (Playwright drives Debian's
# chromium through ExecutablePath; no browser is ever downloaded). fonts: readable screenshots. nginx: the
# two-instances-behind-a-reverse-proxy test runs Debian's nginx on loopback (never as a system service).
need=()
command -v git >/dev/null 2>&1 || need+=(git)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
# npm: the page editor bundle (ProseMirror, markdown-it, esbuild) is built from npm at build time.
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# python3-aiosmtpd: the mail tests send through a real SMTP server on loopback (tests/Handbook.Tests/SmtpServer.cs).
# Checked with Debian's python3, which the package installs for (a python3 earlier on PATH may be another one).
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
if [ ${#need[@]} -gt 0 ]; then
  log "Installing ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Test tools from npm: the local OpenID Connect provider the sign-in tests start (oidc-provider) and the
# CommonMark specification examples the Markdown pipeline is checked against (commonmark-spec).
log "Installing test tools from npm"
(cd tests/oidc-provider && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/tools && npm ci --no-audit --no-fund --loglevel=error)

export HANDBOOK_ARTIFACTS="$(pwd)/artifacts"
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
status=0
# The editor's serialiser tests (Node, no browser): identity over the starter handbook and generated pages, edits.
log "Testing the editor's serialiser (npm test)"
(cd src/Handbook/Editor && npm ci --no-audit --no-fund --loglevel=error && npm test) 2>&1 | tee "$results/editor.log" || status=$?

export HANDBOOK_CHROMIUM="${HANDBOOK_CHROMIUM:-$(command -v chromium)}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- Build -----------------------------------------------------------------------------------------
log "Building"
dotnet build Handbook.sln -c Release -nologo -v quiet

# --- Test ------------------------------------------------------------------------------------------
# The store and app tests first, the two assemblies side by side on both cores; then the browser tests alone. The
# browser tests wait for what a worker waits for (a sign-in, an editor opening), and beside the app tests' dozens of
# app instances a sign-in redirect once took longer than 90 s.
run_tests() {
  dotnet test "$1" -c Release --no-build -nologo --results-directory "$results" \
    --logger "trx" --logger "console;verbosity=minimal" 2>&1 | tee "$results/console-$(basename "$1" .csproj).log"
}
log "Testing the store and the app"
run_tests tests/GitStore.Tests/GitStore.Tests.csproj > /dev/null & store_tests=$!
run_tests tests/Handbook.Tests/Handbook.Tests.csproj || status=$?
wait "$store_tests" || status=$?
cat "$results/console-GitStore.Tests.log"
log "Testing in the browser"
run_tests tests/Handbook.EndToEnd/Handbook.EndToEnd.csproj || status=$?
cat "$results"/console-*.log > "$results/console.log"

# One plain closing line over all test assemblies.
passed=$(grep -Eo 'Passed: +[0-9]+' "$results/console.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$results/console.log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$results/console.log" | awk '{s+=$2} END {print s+0}')
passed=$((passed + $(grep -Eo '^# pass [0-9]+' "$results/editor.log" | awk '{s+=$3} END {print s+0}')))
failed=$((failed + $(grep -Eo '^# fail [0-9]+' "$results/editor.log" | awk '{s+=$3} END {print s+0}')))
echo
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
