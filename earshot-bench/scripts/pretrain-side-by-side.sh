#!/usr/bin/env bash
# SSAST pretraining-step throughput, earshot vs the official SSAST code, alternating rounds in one run.
#   REF_SRC=/tmp/refsrc bash earshot-bench/scripts/pretrain-side-by-side.sh [ROUNDS] [SECONDS]
# Needs Debian's python3-torch and the pinned sources (tools/fixtures/extract_sources.sh); never run by CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-2}"
SECONDS_EACH="${2:-20}"
SIZES="${SIZES:-tiny,base}"
BATCHES="${BATCHES:-2,8}"
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2
(cd "$ROOT" && mvn -B -q -DskipTests -pl earshot-bench -am package)
OUT="$(mktemp)"
for r in $(seq "$ROUNDS"); do
  java -Xmx6g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
    -cp "$ROOT/earshot-bench/target/earshot-bench.jar" dev.earshot.bench.PretrainThroughput \
    --seconds "$SECONDS_EACH" --sizes "$SIZES" --batches "$BATCHES" >>"$OUT"
  /usr/bin/python3 "$ROOT/earshot-bench/scripts/pretrain_official.py" --seconds "$SECONDS_EACH" \
    --sizes "$SIZES" --batches "$BATCHES" 2>/dev/null | grep '^{' >>"$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1])]
peaks = [r["matmul_peak_gflops"] for r in rows if "matmul_peak_gflops" in r]
by = collections.defaultdict(list)
for r in rows:
    if "size" in r:
        by[("earshot" if r["impl"] == "earshot" else "official", r["size"], r["batch"])].append(r)
print(f"matmul peak (1024^3 sgemm, libtorch via DJL, 2 threads): best {max(peaks):.0f} GFLOP/s (rounds: {', '.join(f'{p:.0f}' for p in peaks)})")
print()
print("| model | tokens (masked) | batch | earshot steps/s | earshot samples/s | official samples/s | ratio | earshot GFLOP/s | of peak |")
print("|---|---|---|---|---|---|---|---|---|")
for key in sorted({k[1:] for k in by}, key=lambda k: (k[0] != "tiny", k[1])):
    e, o = by[("earshot",) + key], by[("official",) + key]
    if not e or not o:
        continue
    em = statistics.median(x["median_s"] for x in e)
    om = statistics.median(x["median_s"] for x in o)
    size, batch = key
    gf = statistics.median(x["gflops"] for x in e)
    print(f"| {size} | {e[0]['patches']} ({e[0]['masked']}) | {batch} | {1 / em:.3f} | {batch / em:.2f} | {batch / om:.2f} | {om / em:.2f}x | {gf:.0f} | {gf / max(peaks):.0%} |")
PY
