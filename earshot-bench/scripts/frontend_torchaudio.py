#!/usr/bin/python3
"""Times torchaudio's whole front end from the file, one JSON line per file.

Usage: /usr/bin/python3 frontend_torchaudio.py [--seconds S] FILE...
torchaudio.load, channel mean, torchaudio.functional.resample to 16 kHz (when needed), and the AST call
kaldi.fbank(w - w.mean(), htk_compat=True, sample_frequency=16000, use_energy=False, window_type='hanning',
num_mel_bins=128, dither=0.0, frame_shift=10), with torch.set_num_threads(1). Same protocol as
dev.earshot.bench.FrontEndThroughput with one thread: warm-up ~S/3 s, then calls for ~S s, median call.
"""
import json
import os
import sys
import time

import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi
import torchaudio.functional as F


def main(argv):
    seconds, files = 6.0, []
    i = 0
    while i < len(argv):
        if argv[i] == "--seconds":
            seconds = float(argv[i + 1]); i += 2
        else:
            files.append(argv[i]); i += 1
    torch.set_num_threads(1)
    for path in files:
        def call():
            w, sr = torchaudio.load(path)
            w = w.mean(0, keepdim=True)
            if sr != 16000:
                w = F.resample(w, sr, 16000)
            return kaldi.fbank(w - w.mean(), htk_compat=True, sample_frequency=16000, use_energy=False,
                               window_type="hanning", num_mel_bins=128, dither=0.0, frame_shift=10), w.shape[1]

        end = time.perf_counter() + seconds / 3
        while time.perf_counter() < end:
            call()
        times = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or len(times) < 3:
            t0 = time.perf_counter()
            _, n = call()
            times.append(time.perf_counter() - t0)
        times.sort()
        info = torchaudio.info(path)
        audio = info.num_frames / info.sample_rate
        med = times[len(times) // 2]
        print(json.dumps({"impl": f"torchaudio {torchaudio.__version__} / torch {torch.__version__}",
                          "file": os.path.basename(path), "audio_s": round(audio, 3), "threads": 1,
                          "calls": len(times), "median_s": round(med, 6),
                          "audio_s_per_s": round(audio / med, 1)}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
