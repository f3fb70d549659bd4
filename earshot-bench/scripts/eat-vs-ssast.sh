#!/usr/bin/env bash
# Pretraining efficiency on the demo data: SSAST (ssast-cpu) vs EAT (eat-cpu) at the same model size
# (width 64, 2 blocks, 96-frame inputs), each pretrained for several budgets and then fine-tuned with the
# same recipe (finetune-cpu) on the demo's labelled split. Prints pretraining seconds, seconds per clip
# and test accuracy per run.
#   bash earshot-bench/scripts/eat-vs-ssast.sh DEMO_DATA_DIR [STEPS...]
# DEMO_DATA_DIR is the data folder `./earshot demo` writes (pool/, train/, test/). Never run by CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="$1"; shift
if [ $# -gt 0 ]; then STEPS=("$@"); else STEPS=(300 750 1500); fi
OUT="$(mktemp -d)"
NORM="$("$ROOT/earshot" stats "$DATA/pool" --target-frames 96 2>/dev/null | awk '/^mean/ {print $2 "," $4}')"
echo "normalisation $NORM; runs in $OUT"
echo "| method | pretraining steps | pretraining s | ms per clip | test accuracy |"
echo "|---|---|---|---|---|"
for method in ssast eat; do
  for steps in "${STEPS[@]}"; do
    run="$OUT/$method-$steps"
    recipe="$OUT/$method-$steps.yaml"
    cp "$ROOT/recipes/$method-cpu.yaml" "$recipe"
    if [ "$method" = eat ]; then sed -i "s/emaAnnealSteps: .*/emaAnnealSteps: $steps/" "$recipe"; fi
    "$ROOT/earshot" pretrain --recipe "$recipe" --data "unlabeled:$DATA/pool" --steps "$steps" --norm="$NORM" \
      --out "$run" >/dev/null 2>&1
    secs="$(python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(round(r[-1]['seconds']))" "$run/metrics.jsonl")"
    "$ROOT/earshot" finetune --init "$run/model" --recipe finetune-cpu --data "folder:$DATA/train" \
      --test "folder:$DATA/test" --out "$run-ft" >/dev/null 2>&1
    acc="$(python3 -c "import json,sys; print(round(100*json.load(open(sys.argv[1]))['summary']['accuracy'][0], 1))" "$run-ft/results.json")"
    ms="$(python3 -c "print(round(1000*$secs/($steps*32), 2))")"
    echo "| $method | $steps | $secs | $ms | $acc% |"
  done
done
