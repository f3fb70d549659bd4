#!/usr/bin/env bash
# Front-end throughput from the file (decode + resample + AST filterbank), earshot vs torchaudio, alternating
# rounds in one run:
#   bash earshot-bench/scripts/frontend-side-by-side.sh [ROUNDS] [SECONDS_PER_MEASUREMENT]
# Needs Debian's python3-torchaudio and sox (apt-get install python3-torchaudio sox); never run by CI.
# Each round: earshot on 1 thread without and with the vector module, earshot with 2 pipelines at once
# (vector module), torchaudio on 1 thread. The table reports medians over rounds and ratios to torchaudio.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"
SECONDS_EACH="${2:-6}"
export OMP_WAIT_POLICY=PASSIVE
(cd "$ROOT" && mvn -B -q -DskipTests -pl earshot-bench -am package)
JAR="$ROOT/earshot-bench/target/earshot-bench.jar"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
java -cp "$JAR" dev.earshot.bench.MakeClips "$WORK"
# a 44.1 kHz stereo version of the 60 s clip: the resampler's share
sox "$WORK/clip_60s.wav" -r 44100 -c 2 "$WORK/clip_60s_44k1_stereo.wav"
CLIPS=("$WORK"/clip_10s.wav "$WORK"/clip_60s.wav "$WORK"/clip_60s_44k1_stereo.wav)
OUT="$WORK/results.jsonl"
VEC="--add-modules jdk.incubator.vector"
for r in $(seq "$ROUNDS"); do
  java -Xmx2g -cp "$JAR" dev.earshot.bench.FrontEndThroughput --seconds "$SECONDS_EACH" "${CLIPS[@]}" >>"$OUT"
  java -Xmx2g $VEC -cp "$JAR" dev.earshot.bench.FrontEndThroughput --seconds "$SECONDS_EACH" "${CLIPS[@]}" \
    2>/dev/null >>"$OUT"
  java -Xmx2g $VEC -cp "$JAR" dev.earshot.bench.FrontEndThroughput --seconds "$SECONDS_EACH" --threads 2 \
    "${CLIPS[@]}" 2>/dev/null >>"$OUT"
  /usr/bin/python3 "$ROOT/earshot-bench/scripts/frontend_torchaudio.py" --seconds "$SECONDS_EACH" "${CLIPS[@]}" >>"$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1])]
by = collections.defaultdict(list)
for r in rows:
    if r["impl"] == "earshot":
        key = ("earshot", r["vector"], r["threads"], r["file"])
    else:
        key = ("torchaudio", False, 1, r["file"])
    by[key].append(r["audio_s_per_s"])
files = sorted({r["file"] for r in rows})
cols = [("earshot", False, 1, "earshot 1 thread"), ("earshot", True, 1, "earshot 1 thread, vector"),
        ("earshot", True, 2, "earshot 2 pipelines, vector"), ("torchaudio", False, 1, "torchaudio 1 thread")]
print("| clip | " + " | ".join(c[3] + " (audio s/s)" for c in cols) + " | ratios to torchaudio |")
print("|---|" + "---|" * (len(cols) + 1))
for f in files:
    rates = [statistics.median(by[c[:3] + (f,)]) if by[c[:3] + (f,)] else float("nan") for c in cols]
    ratios = " / ".join(f"{x / rates[3]:.2f}x" for x in rates[:3])
    print(f"| {f} | " + " | ".join(f"{x:,.0f}" for x in rates) + f" | {ratios} |")
print()
print(f"{len(rows)} measurements, {sys.argv[1]}; java {sorted({r.get('java', '') for r in rows if 'java' in r})}")
PY
