#!/usr/bin/python3
"""Times inference of the official SSAST fine-tuning model (ASTModel(pretrain_stage=False), task ft_avgtok,
eval + no_grad), random init, on Debian's torch. One JSON line per configuration.

    bash tools/fixtures/extract_sources.sh SNAPSHOT_ROOT /tmp/refsrc
    REF_SRC=/tmp/refsrc /usr/bin/python3 earshot-bench/scripts/infer_official.py --seconds 6 \
        --sizes tiny,base --frames 100,1024 --batches 1,16

Patch model 16x16 with stride 16 (no overlap): 1 s = 100 frames -> 8 x 6 = 48 patches, 10 s = 1024 frames
-> 8 x 64 = 512 patches. Same protocol as dev.earshot.bench.InferenceThroughput: warm-up ~S/3 s, then
timed forwards for ~S s (at least 3), median.
"""
import argparse
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "fixtures", "lib"))
import refenv  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", default="tiny,base")
    ap.add_argument("--frames", default="100,1024")
    ap.add_argument("--batches", default="1,16")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    refenv.use_path(refenv.src("timm045"))
    refenv.use_path(refenv.src("ssast", "src", "models"))
    import ast_models as am
    tmp = tempfile.mkdtemp()
    for size in a.sizes.split(","):
        for frames in (int(f) for f in a.frames.split(",")):
            torch.manual_seed(0)
            pre = am.ASTModel(fshape=16, tshape=16, fstride=16, tstride=16, input_fdim=128, input_tdim=frames,
                              model_size=size, pretrain_stage=True)
            path = os.path.join(tmp, f"pre_{size}_{frames}.pth")
            torch.save(nn.DataParallel(pre).state_dict(), path)
            model = am.ASTModel(label_dim=527, fshape=16, tshape=16, fstride=16, tstride=16, input_fdim=128,
                                input_tdim=frames, model_size=size, pretrain_stage=False,
                                load_pretrained_mdl_path=path)
            model.eval()
            for batch in (int(b) for b in a.batches.split(",")):
                x = torch.randn(batch, frames, 128)

                def step():
                    with torch.no_grad():
                        return model(x, "ft_avgtok")

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
                                  "frames": frames, "batch": batch, "calls": len(times), "median_s": med, "best_s": times[0],
                                  "clips_per_s": batch / med, "threads": a.threads}), flush=True)


if __name__ == "__main__":
    main()
