#!/usr/bin/env bash
# Screenshot of the web page answering for one indexed track (the page's #track=ID link), taken with
# Debian's headless chromium (apt-get install chromium), for the docs:
#   scripts/screenshot.sh [INDEX_DB] [TRACK_ID] [OUT_PNG]    (defaults: data/demo.db 2 docs/web-page.png)
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-data/demo.db}
TRACK=${2:-2}
OUT=${3:-docs/web-page.png}
command -v chromium >/dev/null || { echo "screenshot.sh: needs chromium (apt-get install chromium)" >&2; exit 2; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bin/rhythmsearch serve --index "$DB" --port "$PORT" 2>/tmp/rhythmsearch-screenshot.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break
  sleep 0.2
done
sleep 2 # the score scale is sampled in the background after loading
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1500 \
  --virtual-time-budget=8000 --screenshot="$OUT" "http://127.0.0.1:$PORT/#track=$TRACK" 2>/dev/null
echo "wrote $OUT"
