#!/usr/bin/env bash
# Every endpoint of `rhythmsearch serve`, and a bad request of each kind, against an index (default: the
# demo's data/demo.db, after ./rhythmsearch-demo.sh): prints status, type and the start of each answer,
# and exits 1 if any status differs from the one expected.
#   scripts/api-smoke.sh [INDEX_DB]
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-data/demo.db}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B="http://127.0.0.1:$PORT"
bin/rhythmsearch serve --index "$DB" --port "$PORT" --upload-limit 1 2>/tmp/rhythmsearch-smoke.log &
SERVER=$!
TMP=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do curl -sf "$B/api/health" >/dev/null && break; sleep 0.2; done
ID=$(curl -s "$B/api/tracks?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tracks"][0]["id"])')
FILE=$(curl -s "$B/api/tracks/$ID" | python3 -c 'import json,sys; print(json.load(sys.stdin)["path"])')
head -c 900000 "$FILE" > "$TMP/query.${FILE##*.}"   # under the 1 MB limit set above
head -c 2000000 "$FILE" > "$TMP/big.${FILE##*.}"
head -c 30000 "$FILE" > "$TMP/short.${FILE##*.}"   # a second or two: too short for one excerpt
echo "not audio" > "$TMP/junk.mp3"
fails=0
check() { # EXPECTED DESCRIPTION CURL_ARGS...
  local want=$1 what=$2; shift 2
  local got
  got=$(curl -s -o "$TMP/body" -w '%{http_code} %{content_type}' "$@")
  local head
  head=$(head -c 110 "$TMP/body" | tr -d '\n' | LC_ALL=C tr -c '[:print:]' '.')
  printf '%-4s %-36s %-26s %s\n' "${got%% *}" "$what" "${got#* }" "$head"
  if [ "${got%% *}" != "$want" ]; then echo "     expected $want" >&2; fails=$((fails + 1)); fi
}
check 200 "GET /api/health" "$B/api/health"
check 200 "GET /api/tracks?q=&offset=&limit=" "$B/api/tracks?q=a&offset=1&limit=2"
check 200 "GET /api/tracks/{id}" "$B/api/tracks/$ID"
check 200 "POST /api/query {trackId}" -H 'Content-Type: application/json' -d "{\"trackId\": $ID, \"k\": 3}" "$B/api/query"
check 200 "POST /api/query (upload)" -F "audio=@$TMP/query.${FILE##*.}" -F k=3 "$B/api/query"
TOKEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["upload"]["token"])' "$TMP/body")
check 200 "GET /api/tracks/{id}/audio" "$B/api/tracks/$ID/audio?start=10&seconds=5"
check 200 "GET /api/uploads/{token}/audio" "$B/api/uploads/$TOKEN/audio?start=0&seconds=5"
check 200 "GET /api/plot (png, all)" "$B/api/plot?track=$ID&start=10"
check 200 "GET /api/plot (svg, pair)" "$B/api/plot?upload=$TOKEN&against=$ID&format=svg"
check 200 "POST /api/reload" -X POST "$B/api/reload"
check 200 "GET / (the page)" "$B/"
check 400 "bad parameter" "$B/api/tracks?limit=0"
check 400 "unknown parameter" "$B/api/tracks?path=/etc/passwd"
check 404 "unknown track" "$B/api/tracks/987654321"
check 404 "unknown endpoint" "$B/api/nothing"
check 405 "wrong method" -X PUT "$B/api/query"
check 413 "upload over the limit" -F "audio=@$TMP/big.${FILE##*.}" "$B/api/query"
check 415 "not audio" -F "audio=@$TMP/junk.mp3" "$B/api/query"
check 422 "audio that gives no vector" -F "audio=@$TMP/short.${FILE##*.}" "$B/api/query"
check 415 "wrong Content-Type" -H 'Content-Type: text/plain' -d x "$B/api/query"
check 400 "start past the end" "$B/api/tracks/$ID/audio?start=99999"
echo "$fails unexpected statuses"
[ "$fails" = 0 ]
