#!/usr/bin/env bash
# `npm test`: installs what the tests need (Debian packages, when they are missing and we are root),
# then runs the type check (server and browser code), the format and lint check, the fast suite
# (twice: read cache on, then off) and the browser suite, and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0

count() { grep -E "^ *[0-9]+ $1\$" "$2" | tail -1 | tr -dc 0-9; }
tally() { # tally LOG EXIT_CODE: add bun test's counts; a run that failed without counting a failure still fails
  local p f
  p=$(count pass "$1"); f=$(count fail "$1")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "$2" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
}

# Debian packages the tests drive: Chromium (browser suite), Pebble (a local ACME CA for automatic
# HTTPS), curl (the README's bot lines run as written), openssl, systemd-analyze.
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v pebble >/dev/null && command -v pebble-challtestsrv >/dev/null || missing+=(pebble)
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl)
command -v systemd-analyze >/dev/null || missing+=(systemd)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's ${missing[*]} for the tests (about a minute)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$logs/apt.log" 2>&1 ||
      { tail -20 "$logs/apt.log"; echo "Could not install ${missing[*]}."; }
  else
    echo "The tests need Debian's ${missing[*]}: run 'sudo apt-get install ${missing[*]}' (Chromium may live elsewhere: set CHROMIUM_PATH)."
  fi
fi

echo "== type check"
if tsc --noEmit -p . && tsc --noEmit -p assets/client && tsc --noEmit -p assets/worker; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "== format and lint (biome; \`npm run format\` fixes most of it)"
if npm run --silent lint; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "== fast suite (test/**/*.test.ts[x])"
bun test --timeout 30000 2>&1 | tee "$logs/fast.log"
tally "$logs/fast.log" "${PIPESTATUS[0]}"

# Again with the read cache switched off: every read goes to SQLite, so a write path that forgot
# to tell the cache fails a comparison here instead of serving a stale page in production.
echo "== fast suite again, read cache off (CAMPFIRE_READ_CACHE=off)"
CAMPFIRE_READ_CACHE=off bun test --timeout 30000 2>&1 | tee "$logs/fast-uncached.log"
tally "$logs/fast-uncached.log" "${PIPESTATUS[0]}"

echo "== browser suite (test/e2e/*.e2e.ts, headless Chromium)"
bun test --timeout 60000 ./test/e2e/*.e2e.ts 2>&1 | tee "$logs/e2e.log"
tally "$logs/e2e.log" "${PIPESTATUS[0]}"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
