#!/usr/bin/python3
"""Times one pretraining step of the official SSAST code on Debian's torch: nn.DataParallel(ASTModel(
pretrain_stage=True)), patch model 16x16 stride 16, the 'pretrain_joint' step of traintest_mask.py — an mpc
forward and an mpg forward, each with its own official cluster mask (mask_patch 400 of 512), loss =
nce + 10 * mse, backward, Adam(lr 5e-4, weight_decay 5e-7, betas (0.95, 0.999)). One JSON line per
configuration.

    bash tools/fixtures/extract_sources.sh SNAPSHOT_ROOT /tmp/refsrc
    REF_SRC=/tmp/refsrc /usr/bin/python3 earshot-bench/scripts/pretrain_official.py --seconds 20 \
        --sizes tiny,base --batches 2,8

Same protocol as dev.earshot.bench.PretrainThroughput: at least one warm-up step and about S/3 s of them,
then timed steps for about S s (at least 3), median.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "fixtures", "lib"))
import refenv  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", default="tiny,base")
    ap.add_argument("--batches", default="2,8")
    ap.add_argument("--frames", type=int, default=1024)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    refenv.use_path(refenv.src("timm045"))
    refenv.use_path(refenv.src("ssast", "src", "models"))
    import ast_models as am
    for size in a.sizes.split(","):
        for batch in (int(b) for b in a.batches.split(",")):
            torch.manual_seed(0)
            model = am.ASTModel(fshape=16, tshape=16, fstride=16, tstride=16, input_fdim=128, input_tdim=a.frames,
                                model_size=size, pretrain_stage=True)
            mask_patch = round(model.num_patches * 400 / 512)
            patches = model.num_patches
            model = nn.DataParallel(model)
            model.train()
            trainables = [p for p in model.parameters() if p.requires_grad]
            opt = torch.optim.Adam(trainables, 5e-4, weight_decay=5e-7, betas=(0.95, 0.999))
            torch.manual_seed(1)
            x = torch.randn(batch, a.frames, 128)

            def step():
                acc, nce = model(x, "pretrain_mpc", mask_patch=mask_patch, cluster=True)
                mse = model(x, "pretrain_mpg", mask_patch=mask_patch, cluster=True)
                loss = nce.mean() + 10 * mse.mean()
                opt.zero_grad()
                loss.backward()
                opt.step()

            end = time.perf_counter() + a.seconds / 3
            step()
            while time.perf_counter() < end:
                step()
            times = []
            end = time.perf_counter() + a.seconds
            while time.perf_counter() < end or len(times) < 3:
                t0 = time.perf_counter()
                step()
                times.append(time.perf_counter() - t0)
            times.sort()
            med = times[len(times) // 2]
            print(json.dumps({"impl": "official SSAST (torch %s)" % torch.__version__, "size": size,
                              "frames": a.frames, "patches": patches, "masked": mask_patch, "batch": batch,
                              "steps": len(times), "median_s": med, "best_s": times[0], "samples_per_s": batch / med,
                              "threads": a.threads}), flush=True)
            del model, opt


if __name__ == "__main__":
    main()
