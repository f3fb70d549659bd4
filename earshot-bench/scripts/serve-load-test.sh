#!/usr/bin/env bash
# Load test of `earshot serve` on loopback, next to offline classification of the same clip on the same cores:
#   bash earshot-bench/scripts/serve-load-test.sh [CLIENTS] [SECONDS] [MODEL_DIR]
# Without MODEL_DIR the AST test fixture (width 64, 2 blocks, 1 s input, 7 classes) is imported. The clip is
# 5 s of 44.1 kHz stereo MP3-free WAV made here (9 windows per request). Bounded: SECONDS of load, at most
# 100000 requests, the server stops by itself (--stop-after). Never run by CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLIENTS="${1:-4}"
SECONDS_LOAD="${2:-60}"
MODEL="${3:-}"
export OMP_WAIT_POLICY=PASSIVE
(cd "$ROOT" && mvn -B -q -DskipTests -pl earshot-cli,earshot-bench -am package)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if [[ -z "$MODEL" ]]; then
  MODEL="$WORK/ast"
  "$ROOT/earshot" import --from ast "$ROOT/earshot-core/src/test/resources/fixtures/models/ast/model.pth" \
    --out "$MODEL" --heads 4 --frames 100 >/dev/null
fi
java -cp "$ROOT/earshot-bench/target/earshot-bench.jar" dev.earshot.bench.MakeClips "$WORK"
sox "$WORK/clip_10s.wav" -r 44100 -c 2 "$WORK/clip.wav" trim 0 5
BENCH_CP="$ROOT/earshot-bench/target/earshot-bench.jar"
if [[ "${SKIP_OFFLINE:-}" != 1 ]]; then
echo "offline (4 threads, ${SECONDS_LOAD} s):"
java -Xmx2g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$BENCH_CP" \
  dev.earshot.bench.OfflineClassify --model "$MODEL" --seconds "$SECONDS_LOAD" "$WORK/clip.wav"
fi
# a fixed, pre-touched heap: resident memory then shows native growth, not the heap being paged in
EARSHOT_JAVA_OPTS="${EARSHOT_JAVA_OPTS:--Xms384m -Xmx384m -XX:+AlwaysPreTouch}" \
  "$ROOT/earshot" serve --model "$MODEL" --port 0 --stop-after $((SECONDS_LOAD + 40)) >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 600); do
  URL="$(sed -n 's/.* at \(http:\/\/127\.0\.0\.1:[0-9]*\) .*/\1/p' "$WORK/serve.log")"
  [[ -n "$URL" ]] && break
  sleep 0.1
done
echo "service at $URL, $CLIENTS clients, ${SECONDS_LOAD} s:"
java -cp "$BENCH_CP" dev.earshot.bench.ServeLoad --url "$URL" --clients "$CLIENTS" --seconds "$SECONDS_LOAD" \
  --max-requests 100000 "$WORK/clip.wav"
wait "$SERVER"
tail -n 1 "$WORK/serve.log"
