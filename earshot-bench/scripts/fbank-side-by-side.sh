#!/usr/bin/env bash
# Filterbank throughput, earshot vs torchaudio.compliance.kaldi.fbank, in the same run on the same clips.
#   bash earshot-bench/scripts/fbank-side-by-side.sh [ROUNDS] [SECONDS_PER_MEASUREMENT]
# Needs Debian's python3-torchaudio (apt-get install python3-torchaudio); never run by CI.
# Rounds alternate earshot / torchaudio (1 thread) / torchaudio (2 threads) so that machine noise hits all
# of them alike; the table reports the median over rounds of each measurement's median call time.
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
CLIPS=("$WORK"/clip_1s.wav "$WORK"/clip_10s.wav "$WORK"/clip_60s.wav)
OUT="$WORK/results.jsonl"
for r in $(seq "$ROUNDS"); do
  java -Xmx1g -cp "$JAR" dev.earshot.bench.FbankThroughput --seconds "$SECONDS_EACH" "${CLIPS[@]}" >>"$OUT"
  /usr/bin/python3 "$ROOT/earshot-bench/scripts/fbank_torchaudio.py" --seconds "$SECONDS_EACH" --threads 1 "${CLIPS[@]}" >>"$OUT"
  /usr/bin/python3 "$ROOT/earshot-bench/scripts/fbank_torchaudio.py" --seconds "$SECONDS_EACH" --threads 2 "${CLIPS[@]}" >>"$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1])]
by = collections.defaultdict(list)
for r in rows:
    key = ("earshot" if r["impl"] == "earshot" else "torchaudio", r["threads"], r["file"])
    by[key].append(r)
files = sorted({r["file"] for r in rows}, key=lambda f: float(f.split("_")[1][:-5]))
print(f"| clip | earshot 1 thread (audio s/s) | torchaudio 1 thread | torchaudio 2 threads | ratio vs 1 thread | ratio vs 2 threads |")
print("|---|---|---|---|---|---|")
for f in files:
    def rate(k):
        rs = by[k]
        med = statistics.median(x["median_s"] for x in rs)
        return rs[0]["audio_s"] / med
    e, t1, t2 = rate(("earshot", 1, f)), rate(("torchaudio", 1, f)), rate(("torchaudio", 2, f))
    print(f"| {f} | {e:,.0f} | {t1:,.0f} | {t2:,.0f} | {e / t1:.2f}x | {e / t2:.2f}x |")
print()
print(f"{len(rows)} measurements; impl strings: {sorted({r['impl'] for r in rows})}")
PY
