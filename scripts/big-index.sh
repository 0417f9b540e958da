#!/usr/bin/env bash
# A big index served (issue 28, point 2): `serve` on a synthetic index of N excerpts made by `bench
# make-index` (tracks with tempi around the demo index's, int8 vectors, IVF at its size-based defaults),
# timed from launch until /api/health answers, its peak resident memory (VmHWM) after loading and after a
# load of queries by track id (`bench serve --url … --no-baseline`: 1 client, then 8, through the
# approximate index as `serve` searches by default); then one `query --track` from the command line, timed.
# Usage: scripts/big-index.sh [N] [QUERIES] [SETTLE]   (default 1000000, 2000 and 0; the index is kept in data/big/)
#        SETTLE: seconds to wait after /api/health answers before the load (serve samples its score scale
#        in the background for about 30 s after start on an index above 200 000 excerpts).
#        RHYTHMSEARCH_JAVA_OPTS is passed on to serve and query (e.g. to try other heap settings).
# Needs: a build (mvn -B package), data/demo.db (./rhythmsearch-demo.sh), about 1.3 GB of disk per million.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n="${1:-1000000}"
queries="${2:-2000}"
settle="${3:-0}"
rs=bin/rhythmsearch
db="data/big/$n.db"
mkdir -p data/big
if [[ ! -s $db ]]; then
  "$rs" bench make-index --index data/demo.db --out "$db" --vectors "$n" 2> >(grep -v 'Using incubator modules' >&2)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
t0=$(date +%s.%N)
"$rs" serve --index "$db" --port "$port" > data/big/serve.log 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/api/health"; do
  kill -0 $launcher 2>/dev/null || { echo "big-index: serve exited:" >&2; cat data/big/serve.log >&2; exit 1; }
  sleep 0.1
done
t1=$(date +%s.%N)
jvm=$(pgrep -P $launcher java || echo $launcher)
hwm() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$jvm/status"; }
rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$jvm/status"; }
echo "serve: $n excerpts, ready after $(python3 -c "print(f'{$t1 - $t0:.1f}')") s; peak RSS $(hwm) MB while loading, RSS now $(rss) MB"
if [[ $settle != 0 ]]; then
  sleep "$settle"
  echo "serve: the load starts $settle s after ready"
fi
for clients in 1 8; do
  echo "bench serve, $clients client(s):"
  "$rs" bench serve --index "$db" --url "http://127.0.0.1:$port" --no-baseline --queries "$queries" --warmup 100 \
    --clients $clients 2> >(grep -v 'Using incubator modules\|untimed first' >&2)
done
echo "serve: peak RSS $(hwm) MB after the load, RSS now $(rss) MB"
kill $launcher
wait $launcher 2>/dev/null || true
trap - EXIT
t2=$(date +%s.%N)
"$rs" query --index "$db" --track 1 -k 5 > /dev/null 2> >(grep -v 'Using incubator modules' >&2)
t3=$(date +%s.%N)
echo "query --track 1 -k 5 (loads the index, answers through IVF): $(python3 -c "print(f'{$t3 - $t2:.1f}')") s"
