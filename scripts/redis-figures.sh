#!/usr/bin/env bash
# The figures of issue 14 on this machine, after ./rhythmsearch-demo.sh: `serve` answering by track id
# from the demo index in SQLite and in Redis, with one and with two server processes; Redis memory per
# excerpt; the time to load 100 000 excerpts from Redis beside SQLite. Starts its own redis-server
# (Debian's package) on a free loopback port without persistence, and stops it at the end.
#   scripts/redis-figures.sh [QUERIES] [CLIENTS]     (defaults: 2000 8)
set -euo pipefail
cd "$(dirname "$0")/.."
Q=${1:-2000}
C=${2:-8}
[ -f data/demo.db ] || { echo "redis-figures.sh: run ./rhythmsearch-demo.sh first (data/demo.db)" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-figures.sh: needs redis-server (apt-get install redis-server)" >&2; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
TMP=$(mktemp -d)
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$TMP" --daemonize no \
  > "$TMP/redis.log" 2>&1 &
REDIS=$!
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; kill $REDIS 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
until redis-cli -p "$RPORT" ping >/dev/null 2>&1; do sleep 0.1; done
R="redis://127.0.0.1:$RPORT/demo"
echo "== the demo index into Redis ($R)"
bin/rhythmsearch index data/demo-corpus/songs --index "$R" 2>&1 | grep -v WARNING | tail -1
bin/rhythmsearch stats --index "$R" --json 2>/dev/null | python3 -c '
import json, os, sys
d = json.load(sys.stdin)
b, n, dim = d["bytesStored"], d["excerpts"], d["dimension"]
print("Redis memory (MEMORY USAGE of its keys): %.2f MB for %d excerpts: %.0f bytes per excerpt, %.2f x its %d float32 values; SQLite file: %.2f MB"
      % (b / 1e6, n, b / n, b / n / (4 * dim), dim, os.path.getsize("data/demo.db") / 1e6))'
echo "Redis INFO memory: $(redis-cli -p "$RPORT" info memory | grep -E '^used_memory_human' | tr -d '\r')"
serve() { # INDEX -> URL of a new serve process
  local port; port=$(free_port)
  bin/rhythmsearch serve --index "$1" --port "$port" --score-sample 0 > "$TMP/serve-$port.log" 2>&1 &
  PIDS+=($!)
  until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.2; done
  echo "http://127.0.0.1:$port"
}
bench() { bin/rhythmsearch bench serve --queries "$Q" --clients "$C" "$@" 2>&1 | grep -v WARNING | tail -1; }
for INDEX in data/demo.db "$R"; do
  A=$(serve "$INDEX")
  B=$(serve "$INDEX")
  echo "== $INDEX, one server process:"
  bench --index "$INDEX" --url "$A"
  echo "== $INDEX, two server processes:"
  bench --index "$INDEX" --url "$A" --url "$B"
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  PIDS=()
done
echo "== loading 100 000 excerpts (a server's in-memory copy): SQLite, then Redis"
bin/rhythmsearch bench load --excerpts 100000 --redis "redis://127.0.0.1:$RPORT/bench-load" 2>&1 | grep -v WARNING
