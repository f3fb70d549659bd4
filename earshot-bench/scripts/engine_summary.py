"""Summarises earshot-bench/scripts/engine-side-by-side.sh's JSON lines as the Markdown tables of BENCHMARKS.md."""
import collections
import json
import statistics
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = statistics.median
# the fastest step of each measurement (the least disturbed on a shared machine), the median where a bench lacks it
step = lambda r: r.get("best_s", r["median_s"])


def peaks(engine):
    return [r["matmul_peak_gflops"] for r in rows if r.get("engine_name") == engine and "matmul_peak_gflops" in r]


for engine in ("djl", "javacpp"):
    p = peaks(engine)
    if p:
        print(f"fp32 matmul peak (1024^3, 2 threads) through {engine}: best {max(p):.0f} GFLOP/s "
              f"(rounds: {', '.join(f'{x:.0f}' for x in p)})")
peak = max(peaks("djl") + peaks("javacpp") or [1])
if peaks("djl") + peaks("javacpp"):
    print(f"peak used for 'of peak' columns: {peak:.0f} GFLOP/s (the best fp32 reading of either engine)\n")

for part, key, unit in (("pretrain", ("size", "batch"), "samples/s"), ("infer", ("size", "frames", "batch"), "clips/s")):
    by = collections.defaultdict(list)
    for r in rows:
        if r.get("part") == part and "median_s" in r:
            by[(r["engine_name"], r.get("precision", "fp32")) + tuple(r[k] for k in key)].append(r)
    if not by:
        continue
    print(f"### {part}: {unit} from each measurement's fastest step (median over rounds), ratios, share of the fp32"
          " matmul peak\n")
    print("| " + " | ".join(key) + " | official | DJL fp32 | JavaCPP fp32 | JavaCPP bf16 | JavaCPP/DJL | JavaCPP/official"
          " | JavaCPP fp32 of peak | bf16/fp32 |")
    print("|" + "---|" * (len(key) + 8))
    keys = sorted({k[2:] for k in by}, key=lambda k: (k[0] != "tiny",) + tuple(k[1:]))
    for k in keys:
        def rate(e, p):
            rs = by.get((e, p) + k)
            if not rs:
                return None, None
            m = med(step(x) for x in rs)
            batch = rs[0]["batch"]
            gf = med(x.get("gflops", 0) * x["median_s"] / step(x) for x in rs)
            return batch / m, gf
        off, _ = rate("official", "fp32")
        djl, _ = rate("djl", "fp32")
        new, gf = rate("javacpp", "fp32")
        bf, _ = rate("javacpp", "bf16")
        f = lambda v: "-" if v is None else f"{v:.2f}"
        ratio = lambda a, b: "-" if a is None or b is None else f"{a / b:.2f}x"
        print("| " + " | ".join(str(x) for x in k) + f" | {f(off)} | {f(djl)} | {f(new)} | {f(bf)} | {ratio(new, djl)}"
              f" | {ratio(new, off)} | {'-' if not gf else f'{gf / peak:.0%}'} | {ratio(bf, new)} |")
    print()

att = collections.defaultdict(list)
for r in rows:
    if r.get("part") == "attention":
        att[(r["precision"], r["heads"], r["tokens"], r["fused"], r["backward"])].append(r.get("best_ms", r["median_ms"]))
if att:
    print("### attention alone, batch 8, head dim 64: fastest call in ms (median over rounds); speed-up of fused over"
          " separate (> 1: fused is faster)\n")
    print("| precision | heads | tokens | separate fwd | fused fwd | fused speed-up fwd | separate fwd+bwd | fused fwd+bwd |"
          " fused speed-up fwd+bwd |")
    print("|---|---|---|---|---|---|---|---|---|")
    for p, h, n in sorted({k[:3] for k in att}):
        g = lambda fu, bw: med(att[(p, h, n, fu, bw)]) if att.get((p, h, n, fu, bw)) else None
        ms = lambda v: "-" if v is None else f"{v:.2f}"
        speed = lambda sep, fu: "-" if sep is None or fu is None else f"{sep / fu:.2f}x"
        print(f"| {p} | {h} | {n} | {ms(g(False, False))} | {ms(g(True, False))} | {speed(g(False, False), g(True, False))}"
              f" | {ms(g(False, True))} | {ms(g(True, True))} | {speed(g(False, True), g(True, True))} |")
    print()

mem = [r for r in rows if r.get("part") == "memory"]
if mem:
    print("### native memory over a training run (micro SSAST, 96 frames, batch 8)\n")
    print("| engine | timed steps | RSS after 10% of the run | at 50% | at the end | growth from 10% to the end |")
    print("|---|---|---|---|---|---|")
    for r in mem:
        s = r["rss_kb"]
        a, b, c = s[len(s) // 10], s[len(s) // 2], s[-2] if len(s) > 1 else s[-1]
        print(f"| {r['engine_name']} | {r['steps']} | {a / 1024:.0f} MB | {b / 1024:.0f} MB | {c / 1024:.0f} MB |"
              f" {(c - a) / 1024:+.0f} MB |")
    print()

ar = [r for r in rows if r.get("part") == "allreduce"]
if ar:
    print("### all-reduce between two processes on loopback (Gloo, float32 sum)\n")
    print("| message | median | algorithm bandwidth | bus bandwidth |")
    print("|---|---|---|---|")
    for r in ar:
        print(f"| {r['mb']:.0f} MB | {r['median_ms']:.1f} ms | {r['algbw_gb_s']:.2f} GB/s | {r['busbw_gb_s']:.2f} GB/s |")
