#!/usr/bin/env bash
# The engine decision, measured: DJL 0.35 (libtorch 2.7.1, the last DJL revision of earshot, built from git in a
# temporary worktree) against JavaCPP's PyTorch presets (libtorch 2.10, this tree), alternating rounds on the same
# cores, with the official SSAST code (Debian's torch 1.13) as the common yardstick.
#   REF_SRC=/tmp/refsrc bash earshot-bench/scripts/engine-side-by-side.sh [ROUNDS] [SECONDS]
# Env: DJL_REV (default 2626fa8), PARTS (default "pretrain infer attention memory allreduce"), MEMORY_STEPS (2000),
# PRETRAIN_SETS (default "tiny:2,8 base:2": model size:batches), OUT (default earshot-bench/target/engine-side-by-side.jsonl;
# emptied first). Every bench prints its median and its fastest
# step; on a shared machine the summary's ratios use the fastest (the least disturbed) of each.
# Needs Debian's python3-torch, python3-torchvision and python3-matplotlib (SSAST imports them) and the pinned sources
# (tools/fixtures/extract_sources.sh); never run by CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-2}"
SECONDS_EACH="${2:-15}"
DJL_REV="${DJL_REV:-2626fa8}"
PARTS="${PARTS:-pretrain infer attention memory allreduce}"
PRETRAIN_SETS="${PRETRAIN_SETS:-tiny:2,8 base:2}"
MEMORY_STEPS="${MEMORY_STEPS:-2000}"
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2
WORK="$(mktemp -d)"
trap 'git -C "$ROOT" worktree remove --force "$WORK/djl" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
OUT="${OUT:-$ROOT/earshot-bench/target/engine-side-by-side.jsonl}"
mkdir -p "$(dirname "$OUT")"
: >"$OUT"

echo "building this tree and DJL revision $DJL_REV ..." >&2
(cd "$ROOT" && mvn -B -q -DskipTests -pl earshot-bench -am package)
git -C "$ROOT" worktree add -q --detach "$WORK/djl" "$DJL_REV"
python3 "$ROOT/earshot-bench/scripts/djl_best_of.py" "$WORK/djl"
(cd "$WORK/djl" && mvn -B -q -DskipTests -pl earshot-bench -am package)
NEW="$ROOT/earshot-bench/target/earshot-bench.jar"
DJL="$WORK/djl/earshot-bench/target/earshot-bench.jar"
jnew() { java -Xmx6g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -cp "$NEW" "$@"; }
jdjl() { java -Xmx6g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$DJL" "$@"; }
tag() { python3 -c 'import json,sys
extra=json.loads(sys.argv[1])
for l in sys.stdin:
    l=l.strip()
    if l.startswith("{"):
        r=json.loads(l); r.update(extra); print(json.dumps(r))' "$1" >>"$OUT"; }

# RSS (kB) of a process every second while it runs: prints {"rss_kb": [...]} when it ends
rss_trace() {
  local pid=$1 samples=()
  while kill -0 "$pid" 2>/dev/null; do
    samples+=("$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" || echo 0)")
    sleep 1
  done
  (IFS=,; echo "{\"rss_kb\": [${samples[*]}]}")
}

for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  if [[ " $PARTS " == *" pretrain "* ]]; then
    for set in $PRETRAIN_SETS; do
      size="${set%%:*}" batches="${set#*:}"
      jdjl dev.earshot.bench.PretrainThroughput --seconds "$SECONDS_EACH" --sizes "$size" --batches "$batches" \
        | tag '{"engine_name": "djl", "precision": "fp32", "part": "pretrain"}'
      jnew dev.earshot.bench.PretrainThroughput --seconds "$SECONDS_EACH" --sizes "$size" --batches "$batches" \
        | tag '{"engine_name": "javacpp", "part": "pretrain"}'
      jnew dev.earshot.bench.PretrainThroughput --seconds "$SECONDS_EACH" --sizes "$size" --batches "$batches" \
        --precision bf16 | tag '{"engine_name": "javacpp", "part": "pretrain"}'
      /usr/bin/python3 "$ROOT/earshot-bench/scripts/pretrain_official.py" --seconds "$SECONDS_EACH" --sizes "$size" \
        --batches "$batches" | tag '{"engine_name": "official", "precision": "fp32", "part": "pretrain"}'
    done
  fi
  if [[ " $PARTS " == *" infer "* ]]; then
    jdjl dev.earshot.bench.InferenceThroughput --seconds "$SECONDS_EACH" | tag '{"engine_name": "djl", "precision": "fp32", "part": "infer"}'
    jnew dev.earshot.bench.InferenceThroughput --seconds "$SECONDS_EACH" | tag '{"engine_name": "javacpp", "part": "infer"}'
    jnew dev.earshot.bench.InferenceThroughput --seconds "$SECONDS_EACH" --precision bf16 | tag '{"engine_name": "javacpp", "part": "infer"}'
    /usr/bin/python3 "$ROOT/earshot-bench/scripts/infer_official.py" --seconds "$SECONDS_EACH" \
      | tag '{"engine_name": "official", "precision": "fp32", "part": "infer"}'
  fi
  if [[ " $PARTS " == *" attention "* ]]; then
    # SSAST patch tokens at 100 and 1,024 frames (48 and 512 patches + 2), AST's stride-10 tokens (108 and 1,212 + 2)
    for p in fp32 bf16; do
      jnew dev.earshot.bench.AttentionThroughput --seconds 3 --tokens 50,110,514,1214 --heads 3,12 --precision "$p" \
        | tag '{"engine_name": "javacpp", "part": "attention"}'
    done
  fi
done

if [[ " $PARTS " == *" memory "* ]]; then
  # native memory over MEMORY_STEPS training steps of a micro SSAST (96 frames, batch 8) per engine
  for engine in djl javacpp; do
    if [[ $engine == djl ]]; then
      cp="$DJL"; flags=(-Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error)
    else
      cp="$NEW"; flags=(-Dorg.bytedeco.javacpp.maxPhysicalBytes=0)
    fi
    java -Xmx2g "${flags[@]}" -cp "$cp" dev.earshot.bench.PretrainThroughput --seconds $(( MEMORY_STEPS / 15 )) \
      --sizes micro --batches 8 --frames 96 >"$WORK/mem-$engine.json" &
    trace="$(rss_trace $!)"
    python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1]) if l.startswith("{") and "size" in l]
t=json.loads(sys.argv[2]); r=rows[-1]
print(json.dumps({"part": "memory", "engine_name": sys.argv[3], "steps": r["steps"], "rss_kb": t["rss_kb"]}))' \
      "$WORK/mem-$engine.json" "$trace" "$engine" >>"$OUT"
  done
fi

if [[ " $PARTS " == *" allreduce "* ]]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  jnew dev.earshot.bench.CollectiveThroughput --rank 1 --world 2 --port "$port" --sizes-mb 1,4,16,64,256 >/dev/null 2>&1 &
  jnew dev.earshot.bench.CollectiveThroughput --rank 0 --world 2 --port "$port" --sizes-mb 1,4,16,64,256 \
    | tag '{"engine_name": "javacpp", "part": "allreduce"}'
  wait
fi

python3 "$ROOT/earshot-bench/scripts/engine_summary.py" "$OUT"
