"""Makes the DJL revision's PretrainThroughput and InferenceThroughput also print their fastest step ("best_s"), the
statistic this tree's benches print next to the median, so that engine-side-by-side.sh compares like with like.
Touches only the printed JSON of the benchmark checkout it is given; the timed code is unchanged.
  python3 djl_best_of.py DJL_CHECKOUT"""
import pathlib
import sys

bench = pathlib.Path(sys.argv[1]) / "earshot-bench/src/main/java/dev/earshot/bench"
edits = {
    "InferenceThroughput.java": [
        ('\\"calls\\": %d, \\"median_s\\": %.6f,"', '\\"calls\\": %d, \\"median_s\\": %.6f, \\"best_s\\": %.6f,"'),
        ("batch, n, median, batch / median,", "batch, n, median, sorted[0], batch / median,"),
    ],
    "PretrainThroughput.java": [
        ('+ " \\"steps\\": %d, \\"median_s\\": %.6f, \\"samples_per_s\\": %.3f, \\"gflops\\": %.1f,"',
         '+ " \\"steps\\": %d, \\"median_s\\": %.6f, \\"best_s\\": %.6f, \\"samples_per_s\\": %.3f, \\"gflops\\": %.1f,"'),
        ("masked, batch, n, median, batch / median,", "masked, batch, n, median, t[2], batch / median,"),
        ("return new double[] {sorted[n / 2], n};", "return new double[] {sorted[n / 2], n, sorted[0]};"),
    ],
}
for name, pairs in edits.items():
    path = bench / name
    text = path.read_text()
    for old, new in pairs:
        if old not in text:
            sys.exit(f"{path}: expected text not found: {old}")
        text = text.replace(old, new)
    path.write_text(text)
