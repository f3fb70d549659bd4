#!/usr/bin/env bash
# earshot spark embed (local[2]) next to the single-process earshot embed on the same 2 cores, alternating rounds:
#   bash earshot-bench/scripts/spark-side-by-side.sh [CLIPS] [ROUNDS] [MODEL_NAME] [FRAMES]
# Generates CLIPS 1-second clips with the demo's generator (./earshot demo --data-only --pool CLIPS), makes an
# untrained MODEL_NAME model at FRAMES input frames (default ssast-micro-patch, 96: the demo's; the front end then
# dominates, the case where Spark's own overhead shows most), then per round runs both on every clip and prints
# wall time, clips/s, the JVM's resident memory (peak, median; sampled every 0.5 s) and the ratio. Both JVMs get
# -Xmx2g. Local only (loopback, no web UI); never run by CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLIPS="${1:-10000}"
ROUNDS="${2:-2}"
MODEL_NAME="${3:-ssast-micro-patch}"
FRAMES="${4:-96}"
export OMP_WAIT_POLICY=PASSIVE SPARK_LOCAL_IP=127.0.0.1
export EARSHOT_JAVA_OPTS="-Xmx2g"
WORK="${WORK:-$(mktemp -d)}"
E="$ROOT/earshot"
[[ -d "$WORK/data/pool" ]] || "$E" demo --data-only --pool "$CLIPS" --out "$WORK" >/dev/null
[[ -f "$WORK/model-$MODEL_NAME/model/model.json" ]] || "$E" pretrain --method ssast --model "$MODEL_NAME" \
  --frames "$FRAMES" --steps 1 --batch-size 2 --norm audioset --data "unlabeled:$WORK/data/pool" \
  --out "$WORK/model-$MODEL_NAME" >/dev/null 2>&1
MODEL="$WORK/model-$MODEL_NAME/model"

# runs a command in the background, samples its resident memory; prints "wall_s cpu_s peak_MB median_MB"
# (CPU = user + system seconds of the JVM: on a shared machine steadier than wall time)
measure() {
  local log="$1"; shift
  local pid java
  /usr/bin/time -f "%e %U %S" -o "$log.time" "$@" >"$log" 2>&1 &
  pid=$!
  : >"$log.rss"
  while kill -0 "$pid" 2>/dev/null; do
    java="$(pgrep -P "$pid" | head -n 1 || true)"
    [[ -n "$java" ]] && awk '/VmRSS/ {print $2}' "/proc/$java/status" 2>/dev/null >>"$log.rss" || true
    sleep 0.5
  done
  wait "$pid" || true
  python3 - "$log.time" "$log.rss" <<'PY'
import statistics, sys
wall, user, system = map(float, open(sys.argv[1]).read().split()[-3:])
kb = [int(l) for l in open(sys.argv[2]) if l.strip()]
print(f"{wall:.1f} {user + system:.1f} {max(kb) / 1024:.0f} {statistics.median(kb) / 1024:.0f}")
PY
}

echo "clips: $CLIPS x 1 s, model: $MODEL_NAME ($FRAMES frames), cores: $(nproc)"
for round in $(seq "$ROUNDS"); do
  rm -rf "$WORK/out.npy"* "$WORK/out.parquet"
  read -r cs cc cp cm < <(measure "$WORK/cli.log" taskset -c 0,1 "$E" embed --model "$MODEL" "$WORK/data/pool" \
    -o "$WORK/out.npy")
  read -r ss sc sp sm < <(measure "$WORK/spark.log" taskset -c 0,1 "$E" spark embed --input "$WORK/data/pool" \
    --model "$MODEL" --out "$WORK/out.parquet" --master 'local[2]')
  tail -n 1 "$WORK/cli.log"; tail -n 1 "$WORK/spark.log"
  python3 - "$round" "$CLIPS" "$cs" "$cc" "$cp" "$cm" "$ss" "$sc" "$sp" "$sm" <<'PY'
import sys
r, n, cs, cc, cp, cm, ss, sc, sp, sm = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
print(f"round {r}: earshot embed {cs:.1f} s wall, {cc:.1f} s CPU ({n / cs:.0f} clips/s, RSS peak {cp:.0f} MB, "
      f"median {cm:.0f} MB) | earshot spark embed local[2] {ss:.1f} s wall, {sc:.1f} s CPU ({n / ss:.0f} clips/s, "
      f"RSS peak {sp:.0f} MB, median {sm:.0f} MB) | spark/cli wall {ss / cs:.2f}, CPU {sc / cc:.2f}")
PY
done
