#!/usr/bin/python3
"""Times torchaudio.compliance.kaldi.fbank (the AST/SSAST/EAT call) on WAV files, one JSON line per file.

Usage: /usr/bin/python3 fbank_torchaudio.py [--seconds S] [--threads N] FILE...
Same protocol as dev.earshot.bench.FbankThroughput: decode once, warm up ~S/3 s, then time repeated calls for
~S s and report the median. Includes the w - w.mean() that the AST family applies before the call.
"""
import json
import os
import sys
import time

import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi


def main(argv):
    seconds, threads, files = 6.0, 1, []
    i = 0
    while i < len(argv):
        if argv[i] == "--seconds":
            seconds = float(argv[i + 1]); i += 2
        elif argv[i] == "--threads":
            threads = int(argv[i + 1]); i += 2
        else:
            files.append(argv[i]); i += 1
    torch.set_num_threads(threads)
    for path in files:
        w, sr = torchaudio.load(path)
        w = w.mean(0, keepdim=True)

        def call():
            return kaldi.fbank(w - w.mean(), htk_compat=True, sample_frequency=sr, use_energy=False,
                               window_type="hanning", num_mel_bins=128, dither=0.0, frame_shift=10)

        end = time.perf_counter() + seconds / 3
        while time.perf_counter() < end:
            call()
        times = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or len(times) < 5:
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        times.sort()
        audio = w.shape[1] / sr
        med = times[len(times) // 2]
        print(json.dumps({"impl": f"torchaudio {torchaudio.__version__} / torch {torch.__version__}",
                          "file": os.path.basename(path), "audio_s": round(audio, 3), "calls": len(times),
                          "median_s": round(med, 6), "min_s": round(times[0], 6),
                          "audio_s_per_s": round(audio / med, 1), "threads": threads}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
