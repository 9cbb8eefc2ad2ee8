#!/usr/bin/python3
"""Fixture for the PyTorch / ONNX Runtime parity test of the weights converter.

Builds a seeded random state dict in the layout of the published FCN-8s
weights (the Caffe voc-fcn8s layer names and shapes; only the channel counts
shrink with --width), converts it with the same code a user runs on real
weights (export_onnx.py --state-dict ... --with-logits), and runs the
PyTorch model, loaded directly from the unconverted state dict, on
deterministic uint8 BGR batches. A consumer (CaffeWeightsParityTest in the
segmenter module) then runs the ONNX file in ONNX Runtime and compares.

Writes into --out:
    state_dict.pth      the random weights, Caffe layout (torch.save)
    model.onnx          the converted graph: outputs "classes" and "scores"
    model.json          its descriptor (same schema as models/fcn8s-slim.json)
    input.json          the cases: shape, file names, torch logit range
    input.bin           case 0: uint8 NHWC BGR, 2 x 67 x 93 x 3 (odd sizes)
    logits.bin          case 0: torch scores, float32 little-endian NCHW
    classes.bin         case 0: torch class map, uint8 NHW
    frame.bin, frame-logits.bin, frame-classes.bin
                        case 1: the same for one 360 x 640 frame (unless --no-frame)

Usage (Debian's Python, which has torch and onnx):
    /usr/bin/python3 tools/model/parity_fixture.py --out DIR [--width 0.125] [--pad100] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import caffe_weights  # noqa: E402
import export_onnx  # noqa: E402
from fcn8s import FCN8s, bilinear_kernel  # noqa: E402

# (file prefix, N, H, W). Case 0 uses the plain names input.bin, logits.bin,
# classes.bin; odd sizes exercise every crop.
BATCH_CASE = ("", 2, 67, 93)

# Gain on the He-normal init of score_fr / score_pool4 / score_pool3 (see
# random_caffe_state_dict).
SCORE_GAIN = 0.05
FRAME_CASE = ("frame-", 1, 360, 640)


def random_caffe_state_dict(width: float, seed: int) -> "OrderedDict[str, torch.Tensor]":
    """Random weights with exactly the keys and shapes of the published
    voc-fcn8s conversion at this width (at 1.0: fc6.weight [4096, 512, 7, 7],
    no biases on upscore2 / upscore_pool4 / upscore8).

    Convolutions: He-normal weights (so activations keep their scale through
    the 15 ReLU layers, as in a trained VGG) and small random biases.
    The three score layers get SCORE_GAIN times that: He-normal alone gives
    scores of several hundred on 0..255 pixels, where a trained FCN-8s gives
    scores of the order of ten; the parity limit is absolute (1e-3), so the
    fixture keeps the scores on the trained model's scale.
    Deconvolutions: bilinear kernels plus noise, so a swapped in/out channel
    axis or a flipped kernel in the export would show in the scores.
    """
    gen = torch.Generator().manual_seed(seed)
    state: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    for key, shape in caffe_weights.expected_shapes(width).items():
        layer, kind = key.split(".")
        if layer in caffe_weights.DECONV_LAYERS:
            base = bilinear_kernel(shape[0], shape[2])
            state[key] = base + 0.05 * torch.randn(shape, generator=gen)
        elif kind == "weight":
            fan_in = shape[1] * shape[2] * shape[3]
            gain = SCORE_GAIN if layer.startswith("score") else 1.0
            state[key] = torch.randn(shape, generator=gen) * math.sqrt(2.0 / fan_in) * gain
        else:
            state[key] = torch.randn(shape, generator=gen) * 0.1
    return state


def input_batch(n: int, h: int, w: int, seed: int) -> torch.Tensor:
    """Deterministic uint8 NHWC BGR images: smooth gradients and blobs (so
    regions, not just noise, drive the scores) plus pixel noise."""
    gen = torch.Generator().manual_seed(seed)
    ys = torch.linspace(0, 1, h).view(1, h, 1, 1)
    xs = torch.linspace(0, 1, w).view(1, 1, w, 1)
    phase = torch.rand(n, 1, 1, 3, generator=gen) * 6.28
    freq = 2 + torch.rand(n, 1, 1, 3, generator=gen) * 6
    smooth = 127.5 + 100 * torch.sin(freq * (xs + 0.7 * ys) * 3.14 + phase) * torch.cos(freq * ys * 2.1 - phase)
    noise = torch.randn(n, h, w, 3, generator=gen) * 20
    return (smooth + noise).round().clamp(0, 255).to(torch.uint8)


def write(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def build(out: str, width: float, pad100: bool, seed: int, frame: bool) -> Dict[str, object]:
    os.makedirs(out, exist_ok=True)
    started = time.monotonic()
    state = random_caffe_state_dict(width, seed)
    state_path = os.path.join(out, "state_dict.pth")
    torch.save(state, state_path)

    # The converter, exactly as a user runs it on published weights.
    onnx_path = os.path.join(out, "model.onnx")
    argv = ["--state-dict", state_path, "--out", onnx_path, "--with-logits",
            "--name", f"fcn8s-parity-w{width:g}-{'pad100' if pad100 else 'same'}"]
    if pad100:
        argv.append("--pad100")
    print("converting: export_onnx.py " + " ".join(argv), flush=True)
    export_onnx.main(argv)

    # The reference: the PyTorch model loaded straight from the random dict
    # (no converter involved), eval mode, float32.
    net = FCN8s(width=width, pad100=pad100, seed=None)
    net.load_state_dict(state, strict=True)
    wrapper = export_onnx.SegmentationGraph(net, with_logits=True).eval()

    cases: List[Dict[str, object]] = []
    for index, (prefix, n, h, w) in enumerate([BATCH_CASE] + ([FRAME_CASE] if frame else [])):
        image = input_batch(n, h, w, seed + 1 + index)
        with torch.no_grad():
            classes, scores = wrapper(image)
        assert scores.dtype == torch.float32 and tuple(scores.shape) == (n, 21, h, w)
        names = {"input": f"{prefix.rstrip('-') or 'input'}.bin",
                 "logits": f"{prefix}logits.bin", "classes": f"{prefix}classes.bin"}
        write(os.path.join(out, names["input"]), image.contiguous().numpy().tobytes())
        write(os.path.join(out, names["logits"]), scores.contiguous().numpy().astype("<f4").tobytes())
        write(os.path.join(out, names["classes"]), classes.contiguous().numpy().tobytes())
        top2 = scores.topk(2, dim=1).values
        cases.append({
            "name": f"{n}x{h}x{w}",
            "shape": [n, h, w, 3],
            **names,
            "logits_max_abs": round(float(scores.abs().max()), 4),
            "logits_std": round(float(scores.std()), 4),
            # Pixels whose two best classes are closer than 1e-3: a float32
            # rounding difference may legitimately flip their ArgMax.
            "near_ties": int(((top2[:, 0] - top2[:, 1]) < 1e-3).sum()),
            "class_histogram": torch.bincount(classes.flatten().long(), minlength=21).tolist(),
        })
        print(f"  torch reference {n}x{h}x{w}: |logit| max {cases[-1]['logits_max_abs']}, "
              f"{len(set(classes.flatten().tolist()))} classes present, {cases[-1]['near_ties']} near-ties",
              flush=True)

    meta = {
        "width": width,
        "pad100": pad100,
        "seed": seed,
        "model": "model.json",
        "state_dict": "state_dict.pth",
        "input_layout": "uint8 NHWC BGR",
        "logits_layout": "float32 little-endian NCHW",
        "classes_layout": "uint8 NHW",
        "shape": cases[0]["shape"],
        "cases": cases,
        "seconds": round(time.monotonic() - started, 1),
    }
    with open(os.path.join(out, "input.json"), "w") as f:
        f.write(export_onnx.to_json(meta))
    print(f"fixture written to {out} in {meta['seconds']} s", flush=True)
    return meta


def main(argv: Optional[Sequence[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="directory to write the fixture into")
    p.add_argument("--width", type=float, default=0.125,
                   help="channel-width multiplier (default 0.125, quick; 1.0 = the published model's shapes)")
    p.add_argument("--pad100", action="store_true", help="the paper's padding-100 geometry (default: same padding)")
    p.add_argument("--seed", type=int, default=0, help="seed of the weights and inputs (default 0)")
    p.add_argument("--no-frame", action="store_true", help="skip the 1 x 360 x 640 case")
    args = p.parse_args(argv)
    torch.set_num_threads(min(2, torch.get_num_threads()))
    build(args.out, args.width, args.pad100, args.seed, not args.no_frame)


if __name__ == "__main__":
    main()
