#!/usr/bin/env python3
"""Writes the committed fuzz inputs of earshot-core: seed files (small valid inputs that give the fuzzer a
start) and one regression file per hostile case found by hand (issue 17). Run by hand, never by CI:

    python3 tools/fuzz/make_inputs.py

Needs sox and ffmpeg for the FLAC seeds. The model.json seeds (seed-*.json) are written by
ModelDirectory.write for the micro models and are read here as templates; they are not regenerated.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "earshot-core", "src", "test", "resources",
                    "dev", "earshot")
WAV = os.path.join(ROOT, "audio", "AudioDecodeFuzzTestInputs", "wav")
FLAC = os.path.join(ROOT, "audio", "AudioDecodeFuzzTestInputs", "flac")
PICKLE = os.path.join(ROOT, "io", "CheckpointReadersFuzzTestInputs", "pickle")
SAFETENSORS = os.path.join(ROOT, "io", "CheckpointReadersFuzzTestInputs", "safetensors")
MODEL_JSON = os.path.join(ROOT, "model", "ModelJsonFuzzTestInputs", "modelJson")


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# ------------------------------------------------------------------ WAV

def wav(rate, channels, bits, frames, fmt_tag=1, extensible=False, rf64=False, data_size=None, body=None):
    block = channels * bits // 8
    if body is None:
        body = bytes((i * 37) & 0xFF for i in range(frames * block))
    size = len(body) if data_size is None else data_size
    if extensible:
        fmt = struct.pack("<HHIIHHHHIH14s", 0xFFFE, channels, rate, rate * block, block, bits, 22, bits, 0, fmt_tag,
                          b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71")
    else:
        fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, rate * block, block, bits)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    if rf64:
        ds64 = struct.pack("<QQQI", 0, size, frames, 0)
        chunks = b"ds64" + struct.pack("<I", len(ds64)) + ds64 + chunks
        chunks += b"data" + struct.pack("<I", 0xFFFFFFFF) + body
        return b"RF64" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + chunks
    chunks += b"data" + struct.pack("<I", size & 0xFFFFFFFF) + body
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def tone16(rate, frames):
    import math
    return b"".join(struct.pack("<h", int(8000 * math.sin(i * 0.05))) for i in range(frames))


def wav_inputs():
    write(WAV, "seed-pcm16-16k.wav", wav(16000, 1, 16, 800, body=tone16(16000, 800)))
    write(WAV, "seed-pcm8-8k.wav", wav(8000, 1, 8, 600))
    write(WAV, "seed-pcm24-stereo-44k1.wav", wav(44100, 2, 24, 500))
    write(WAV, "seed-pcm32-22k05.wav", wav(22050, 1, 32, 400))
    write(WAV, "seed-float32-48k.wav", wav(48000, 1, 32, 600, fmt_tag=3,
                                           body=b"".join(struct.pack("<f", 0.001 * (i % 200)) for i in range(600))))
    write(WAV, "seed-float64-32k.wav", wav(32000, 1, 64, 300, fmt_tag=3,
                                           body=b"".join(struct.pack("<d", 0.002 * (i % 100)) for i in range(300))))
    write(WAV, "seed-extensible-quad.wav", wav(16000, 4, 16, 300, extensible=True))
    write(WAV, "seed-rf64.wav", wav(16000, 1, 16, 500, rf64=True, body=tone16(16000, 500)))
    # regressions (issue 17): rates sharing a small divisor with 16 kHz made the resampler's table huge
    write(WAV, "regression-rate-16001.wav", wav(16001, 1, 16, 4000, body=tone16(16001, 4000)))
    write(WAV, "regression-rate-44101.wav", wav(44101, 1, 16, 4000, body=tone16(44101, 4000)))
    write(WAV, "regression-rate-999983.wav", wav(999983, 1, 16, 4000, body=tone16(999983, 4000)))
    write(WAV, "regression-rate-2147483647.wav", wav(2147483647, 1, 16, 100))
    write(WAV, "regression-rate-1.wav", wav(1, 1, 16, 100))
    write(WAV, "regression-data-size-lies.wav", wav(16000, 1, 16, 100, data_size=0x7FFFFFF0))
    write(WAV, "regression-4096-channels.wav", wav(16000, 4096, 8, 0, body=bytes(4096 * 2)))


# ------------------------------------------------------------------ FLAC

def crc8(data):
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def crc16(data):
    crc = 0
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def flac_constant(rate, announced, frames, block):
    """fLaC, STREAMINFO (mono, 16 bit, no MD5), then frames of `block` equal samples (13 bytes each)."""
    info = struct.pack(">HH", min(block, 65535), min(block, 65535)) + b"\x00" * 6
    packed = (rate << 44) | (0 << 41) | (15 << 36) | (announced & 0xFFFFFFFFF)
    info += struct.pack(">Q", packed) + b"\x00" * 16
    out = b"fLaC" + bytes([0x80, 0, 0, 34]) + info
    for _ in range(frames):
        head = bytes([0xFF, 0xF8, 0x70, 0x00, 0x00, (block - 1) >> 8, (block - 1) & 0xFF])
        head += bytes([crc8(head)])
        frame = head + bytes([0x00, 0x01, 0x00])
        c = crc16(frame)
        out += frame + bytes([c >> 8, c & 0xFF])
    return out


def flac_inputs():
    with tempfile.TemporaryDirectory() as tmp:
        def run(args, name, effects=()):
            path = os.path.join(tmp, name)
            subprocess.run(args + [path] + list(effects), check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60)
            with open(path, "rb") as f:
                write(FLAC, "seed-" + name, f.read())
        run(["ffmpeg", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.05:sample_rate=16000",
             "-c:a", "flac", "-sample_fmt", "s16"], "sine-16k-s16.flac")
        run(["ffmpeg", "-y", "-f", "lavfi", "-i", "anoisesrc=d=0.03:c=pink:r=44100:a=0.3", "-ac", "2",
             "-c:a", "flac", "-sample_fmt", "s32", "-bits_per_raw_sample", "24"], "noise-44k1-stereo-s24.flac")
        run(["sox", "-n", "-r", "8000", "-b", "8", "-c", "1"], "sine-8k-8bit.flac", ["synth", "0.05", "sine", "300"])
    write(FLAC, "seed-constant-frames.flac", flac_constant(16000, 3 * 4096, 3, 4096))
    # regressions (issue 17): a header announcing 2^30 samples; a stream that expands without end
    write(FLAC, "regression-announces-2^30.flac", flac_constant(768000, 1 << 30, 4, 4096))
    write(FLAC, "regression-announces-18h.flac", flac_constant(16000, 1 << 30, 4, 4096))
    write(FLAC, "regression-constant-frame-bomb.flac", flac_constant(16000, 0, 2000, 65536))


# ------------------------------------------------------------------ pickles

class Pickle:
    def __init__(self):
        self.b = bytearray(b"\x80\x02")

    def op(self, *codes):
        for c in codes:
            if isinstance(c, int):
                self.b += bytes([c])
            elif isinstance(c, bytes):
                self.b += c
            else:
                self.b += c.encode("latin-1")
        return self

    def glob(self, module, name):
        self.b += ("c%s\n%s\n" % (module, name)).encode("ascii")
        return self

    def string(self, s):
        data = s.encode("utf-8")
        self.b += b"X" + struct.pack("<I", len(data)) + data
        return self

    def integer(self, v):
        if 0 <= v < 256:
            self.b += b"K" + bytes([v])
        elif -2 ** 31 <= v < 2 ** 31:
            self.b += b"J" + struct.pack("<i", v)
        else:
            self.b += b"\x8a\x08" + struct.pack("<q", v)
        return self

    def tuple(self, values):
        self.op("(")
        for v in values:
            self.integer(v)
        return self.op("t")

    def storage(self, key, numel, storage_type="FloatStorage"):
        self.op("(").string("storage").glob("torch", storage_type).string(key).string("cpu").integer(numel).op("t")
        return self.op("Q")

    def tensor(self, key, numel, offset, size, stride, storage_type="FloatStorage"):
        self.glob("torch._utils", "_rebuild_tensor_v2").op("(").storage(key, numel, storage_type).integer(offset)
        self.tuple(size).tuple(stride)
        return self.op(0x89).glob("collections", "OrderedDict").op(")", "R", "t", "R")

    def stop(self):
        return bytes(self.b + b".")


def pickle_inputs():
    # a state dict {"w": 2x2 view of storage "1", "b": storage "0", "n": int64 scalar-like list}
    p = Pickle().glob("collections", "OrderedDict").op(")", "R", "q", 0, "(")
    p.string("w").tensor("1", 4, 0, [2, 2], [2, 1])
    p.string("b").tensor("0", 1, 0, [1], [1])
    p.string("t").tensor("2", 16, 1, [3, 2], [1, 3])
    write(PICKLE, "seed-state-dict.pkl", p.op("u").stop())
    write(PICKLE, "seed-nested-config.pkl", Pickle().op("}", "(").string("model").op("}", "(").string("depth")
          .integer(12).string("name").string("ast").op("u").string("args").glob("argparse", "Namespace").op(")", "R")
          .op("}", "(").string("lr").op("G").op(struct.pack(">d", 0.001)).op("u", "b").string("list")
          .op("(").integer(1).integer(2).integer(-3).op("l").string("tuple").tuple([1, 2, 3])
          .string("bytes").glob("_codecs", "encode").string("\x00\x01").string("latin1").op(0x86, "R")
          .op("u", "u").stop())
    write(PICKLE, "seed-protocol4.pkl", bytes([0x80, 0x04, 0x95]) + struct.pack("<Q", 20) + b"\x8c\x0bcollections"
          + b"\x94\x8c\x0bOrderedDict\x94\x93\x94)R\x94.")
    # regressions (issue 17)
    doubled = Pickle().op("]", "q", 0, "0")
    for i in range(1, 41):
        doubled.op("(", "h", i - 1, "h", i - 1, "l", "q", i)
        if i < 40:
            doubled.op("0")
    write(PICKLE, "regression-doubled-list-in-message.pkl", bytes(doubled.b) + b"X\x06\x00\x00\x00system\x93.")
    doubled_args = Pickle().glob("torch._utils", "_rebuild_tensor_v2")
    doubled_args.b += doubled.b[2:]
    write(PICKLE, "regression-doubled-list-as-tensor-args.pkl", doubled_args.op("R").stop())
    write(PICKLE, "regression-self-containing-dict-key.pkl", Pickle().op("}", "]", "q", 0, "h", 0, "a", "N", "s").stop())
    write(PICKLE, "regression-stride0-2^31.pkl", Pickle().tensor("0", 1, 0, [2 ** 31], [0]).stop())
    write(PICKLE, "regression-stride0-2^30.pkl", Pickle().tensor("0", 1, 0, [2 ** 30], [0]).stop())
    write(PICKLE, "regression-size-overflow.pkl", Pickle().tensor("0", 1, 0, [2 ** 40, 2 ** 40], [1, 1]).stop())
    none_numel = Pickle().glob("torch._utils", "_rebuild_tensor_v2").op("(")
    none_numel.op("(").string("storage").glob("torch", "FloatStorage").string("0").string("cpu").op("N", "t", "Q")
    none_numel.integer(0).tuple([1]).tuple([1]).op(0x89, ")", "t", "R")
    write(PICKLE, "regression-numel-none.pkl", none_numel.stop())
    write(PICKLE, "regression-binunicode8-2^40.pkl", bytes([0x80, 0x04, 0x8d]) + struct.pack("<Q", 2 ** 40) + b".")
    deep = Pickle()
    for _ in range(5000):
        deep.op("]")
    for _ in range(4999):
        deep.op("a")
    write(PICKLE, "regression-nesting-5000.pkl", deep.stop())
    write(PICKLE, "regression-negative-offset.pkl", Pickle().tensor("1", 4, -1, [2], [1]).stop())


# ------------------------------------------------------------------ safetensors

def safetensors(header, data):
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    return struct.pack("<Q", len(h)) + h + data


def safetensors_inputs():
    write(SAFETENSORS, "seed-f32.safetensors", safetensors(
        {"__metadata__": {"format": "pt"}, "a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}},
        struct.pack("<4f", 1, 2, 3, 4)))
    write(SAFETENSORS, "seed-mixed.safetensors", safetensors(
        {"h": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
         "b": {"dtype": "BF16", "shape": [2], "data_offsets": [4, 8]},
         "i": {"dtype": "I64", "shape": [1], "data_offsets": [8, 16]},
         "u": {"dtype": "U8", "shape": [3], "data_offsets": [16, 19]},
         "d": {"dtype": "F64", "shape": [], "data_offsets": [19, 27]}},
        struct.pack("<2e", 1.5, -2) + b"\x80\x3f\x00\x40" + struct.pack("<q", 7) + b"\x01\x02\x03"
        + struct.pack("<d", 0.25)))
    # regressions (issue 17)
    write(SAFETENSORS, "regression-shape-2^40x2^40.safetensors", safetensors(
        {"w": {"dtype": "F32", "shape": [2 ** 40, 2 ** 40], "data_offsets": [0, 4]}}, bytes(4)))
    write(SAFETENSORS, "regression-text-shape.safetensors", safetensors(
        {"w": {"dtype": "F32", "shape": ["a"], "data_offsets": [0, 4]}}, bytes(4)))
    write(SAFETENSORS, "regression-overlap.safetensors", safetensors(
        {("t%d" % i): {"dtype": "F32", "shape": [256], "data_offsets": [0, 1024]} for i in range(200)}, bytes(1024)))
    write(SAFETENSORS, "regression-header-not-object.safetensors", safetensors([1, 2, 3], b""))
    write(SAFETENSORS, "regression-negative-offset.safetensors", safetensors(
        {"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}}, bytes(4)))


# ------------------------------------------------------------------ model.json

def model_json_inputs():
    with open(os.path.join(MODEL_JSON, "seed-vit.json"), "rb") as f:
        vit = json.load(f)

    def variant(name, edit):
        m = json.loads(json.dumps(vit))
        edit(m)
        write(MODEL_JSON, name, json.dumps(m, indent=1).encode("utf-8"))

    variant("regression-depth-100000.json", lambda m: m["config"].update(depth=100000))
    variant("regression-embed-dim-65536.json", lambda m: m["config"].update(embedDim=65536, mlpHidden=262144))
    variant("regression-classes-2e9.json", lambda m: m["config"].update(numClasses=2e9))
    variant("regression-classes-3e10.json", lambda m: m["config"].update(numClasses=3e10))
    variant("regression-over-budget.json", lambda m: m["config"].update(depth=256, embedDim=16384, heads=128,
                                                                         mlpHidden=65536))
    variant("regression-target-frames-1e9.json", lambda m: m["spec"].update(targetFrames=1000000000))
    variant("regression-labels-mismatch.json", lambda m: m["config"].update(numClasses=5))
    variant("regression-null-grid.json", lambda m: m["config"].update(grid=None))


def main():
    for folder in (WAV, FLAC, PICKLE, SAFETENSORS):
        for name in os.listdir(folder) if os.path.isdir(folder) else []:
            if name.startswith(("seed-", "regression-")):
                os.remove(os.path.join(folder, name))
    wav_inputs()
    flac_inputs()
    pickle_inputs()
    safetensors_inputs()
    model_json_inputs()


if __name__ == "__main__":
    sys.exit(main())
