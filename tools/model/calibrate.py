#!/usr/bin/python3
"""Per-class score calibration of a trained FCN-8s, folded into its weights.

The slim model trained with class-weighted cross-entropy over-predicts the
rare thin classes (bicycle, dog, motorbike, person): their recall is high but
about as many background pixels are labelled with them as they have true
pixels. One constant offset per class, added to the class's score before the
ArgMax, trades that recall back for precision. The offsets are tuned on
*training* clips only (never the held-out seeds) by coordinate ascent on the
mean IoU, then folded into ``score_pool3.bias``: FCN-8s adds score_pool3 last
before the fixed bilinear x8 upsampling, whose weights sum to one inside the
image, so a constant there is the same constant on the final scores (at the
outer rows/columns every class's score is scaled by the same factor, so the
ArgMax is unchanged there too). The exported graph costs nothing more.

Usage (from the repository root; clips from synth_data.py):
    /usr/bin/python3 tools/model/calibrate.py --onnx models/fcn8s-slim.onnx \
        --calib-seeds 1,9,17,25,33,41,49,57,65,73 --out models/fcn8s-slim.onnx --version 0.2.0

It reads the weights back from the ONNX file (or a train.py checkpoint with
--state-dict), prints the held-out figures before and after, exports the
calibrated model with export_onnx.py and updates its descriptor (held-out
figures, recipe["calibration"], version).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from typing import Dict, List, Optional, Sequence

import numpy as np
import onnx
import torch
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import synth_data  # noqa: E402
import train  # noqa: E402
from fcn8s import FCN8s, NUM_CLASSES  # noqa: E402
from export_onnx import sha256_of, to_json  # noqa: E402

REPO = train.REPO


def state_dict_from_onnx(path: str) -> Dict[str, torch.Tensor]:
    """The FCN8s state dict (exporter scaling) of an export_onnx.py graph, read layer by layer from its
    Conv / ConvTranspose nodes (named /net/<layer>/...): the exporter stores equal tensors (zero biases,
    the fixed bilinear kernels) once, under one layer's name, so initializer names alone do not say whose they are."""
    model = onnx.load(path)
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    for node in model.graph.node:  # the exporter aliases a repeated tensor with Identity nodes
        if node.op_type == "Constant":
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
        elif node.op_type == "Identity" and node.input[0] in values:
            values[node.output[0]] = values[node.input[0]]
    sd = {}
    for node in model.graph.node:
        parts = node.name.split("/")
        if node.op_type not in ("Conv", "ConvTranspose") or len(parts) < 3 or parts[1] != "net":
            continue
        for suffix, name in zip(("weight", "bias"), node.input[1:]):
            if name in values:
                sd[f"{parts[2]}.{suffix}"] = torch.from_numpy(values[name].copy())
    expected = set(FCN8s(width=0.125, pad100=False).state_dict().keys())
    if set(sd) != expected:
        raise SystemExit(f"{path}: not a slim FCN-8s export (missing {sorted(expected - set(sd))}, "
                         f"unexpected {sorted(set(sd) - expected)})")
    return sd


def training_model(sd: Dict[str, torch.Tensor]) -> FCN8s:
    """An FCN8s in train.py's input convention ((BGR - mean) / INPUT_SCALE) from an exporter-scaling state dict."""
    m = train.make_model(0, 0.0, torch.device("cpu"))
    sd = dict(sd)
    sd["conv1_1.weight"] = sd["conv1_1.weight"] * train.INPUT_SCALE
    m.load_state_dict(sd)
    return m.eval()


@torch.no_grad()
def collect_scores(m: FCN8s, frames: np.ndarray, labels: np.ndarray, classes: List[int], step: int):
    """Scores of `classes` plus the best of all other classes (last channel), on every `step`-th pixel."""
    others = [c for c in range(NUM_CLASSES) if c not in classes]
    scores, gts = [], []
    for i in range(len(frames)):
        s = train.forward_stage(m, train.to_input(frames[i:i + 1], torch.device("cpu")), 8)[0]
        s = s[:, ::step, ::step]
        kept = torch.cat([s[classes], s[others].max(0, keepdim=True).values])
        scores.append(kept.numpy().astype(np.float32))
        gts.append(labels[i, ::step, ::step])
    return np.stack(scores), np.stack(gts)


def mean_iou(scores: np.ndarray, gt: np.ndarray, classes: List[int], offsets: np.ndarray) -> float:
    k = len(classes)
    pred = (scores + np.append(offsets, 0.0)[None, :, None, None]).argmax(1)
    target = np.full(gt.shape, k, dtype=np.int64)  # classes outside the list never occur here
    for j, c in enumerate(classes):
        target[gt == c] = j
    conf = np.bincount(target.ravel() * (k + 1) + pred.ravel(), minlength=(k + 1) ** 2).reshape(k + 1, k + 1)
    tp = np.diag(conf)[:k].astype(np.float64)
    union = conf.sum(0)[:k] + conf.sum(1)[:k] - tp
    present = conf.sum(1)[:k] > 0
    return float((tp / np.maximum(union, 1))[present].mean())


def tune(scores, gt, classes, grid, passes: int, log) -> np.ndarray:
    """Coordinate ascent on the mean IoU; background (classes[0]) stays at 0."""
    offsets = np.zeros(len(classes))
    best = mean_iou(scores, gt, classes, offsets)
    log(f"calibration set mean IoU without offsets: {best:.4f}")
    for p in range(passes):
        moved = False
        for j in range(1, len(classes)):
            for value in grid:
                trial = offsets.copy()
                trial[j] = value
                score = mean_iou(scores, gt, classes, trial)
                if score > best + 1e-5:
                    best, offsets, moved = score, trial, True
        log(f"pass {p + 1}: mean IoU {best:.4f}, offsets {dict(zip(classes, offsets.round(2).tolist()))}")
        if not moved:
            break
    return offsets


def main(argv: Optional[Sequence[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--onnx", help="the model to calibrate, an export_onnx.py graph (its descriptor beside it)")
    src.add_argument("--state-dict", help="or a train.py checkpoint (exporter scaling)")
    p.add_argument("--descriptor", help="descriptor to carry over (default: the --onnx file's .json)")
    p.add_argument("--data", default="/tmp/segdata")
    p.add_argument("--calib-seeds", default="1,9,17,25,33,41,49,57,65,73", help="training seeds to tune on")
    p.add_argument("--calib-seconds", type=float, default=8)
    p.add_argument("--calib-every", type=int, default=10)
    p.add_argument("--heldout-seeds", default="1001-1003")
    p.add_argument("--pixel-step", type=int, default=2, help="tune on every n-th pixel in each direction")
    p.add_argument("--grid", default="-3:0.75:0.25", help="offsets tried per class, start:stop:step")
    p.add_argument("--passes", type=int, default=3)
    p.add_argument("--out", help="write the calibrated ONNX here (descriptor beside it)")
    p.add_argument("--version", help="descriptor version of the calibrated model")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)

    def log(msg):
        print(msg, flush=True)

    sd = state_dict_from_onnx(args.onnx) if args.onnx else torch.load(args.state_dict, map_location="cpu")
    m = training_model(sd)

    cdirs = synth_data.generate(args.data, synth_data.parse_seeds(args.calib_seeds), args.calib_seconds)
    hdirs = synth_data.generate(args.data, synth_data.parse_seeds(args.heldout_seeds), 10, prefix="heldout")
    hf, hl = train.load_set(hdirs, 5)
    before = train.evaluate(m, 8, hf, hl, torch.device("cpu"))
    log(f"held-out before: {json.dumps(before)}")
    classes = sorted(int(c) for c in np.unique(hl) if c < NUM_CLASSES)

    cf, cl = train.load_set(cdirs, args.calib_every)
    log(f"calibration frames: {len(cf)} from seeds {args.calib_seeds}; classes {classes}")
    scores, gt = collect_scores(m, cf, cl, classes, args.pixel_step)
    del cf
    a, b, step = (float(x) for x in args.grid.split(":"))
    offsets = tune(scores, gt, classes, np.arange(a, b + 1e-9, step), args.passes, log)

    calibrated = dict(sd)
    bias = calibrated["score_pool3.bias"].clone()
    for c, o in zip(classes, offsets):
        bias[c] += float(o)
    calibrated["score_pool3.bias"] = bias
    after = train.evaluate(training_model(calibrated), 8, hf, hl, torch.device("cpu"))
    log(f"held-out after: {json.dumps(after)}")
    if not args.out:
        return

    state_path = os.path.splitext(args.out)[0] + ".calibrated.pth"
    torch.save(calibrated, state_path)
    try:
        desc_path = args.descriptor or (os.path.splitext(args.onnx)[0] + ".json" if args.onnx else None)
        old = json.load(open(desc_path)) if desc_path and os.path.exists(desc_path) else {}
        subprocess.run([sys.executable, os.path.join(HERE, "export_onnx.py"), "--width", "0.125", "--state-dict", state_path,
                        "--out", args.out] + (["--name", old["name"]] if "name" in old else []), check=True, cwd=REPO)
    finally:
        os.remove(state_path)
    json_path = os.path.splitext(args.out)[0] + ".json"
    desc = json.load(open(json_path))
    for key in ("weights", "recipe"):
        if key in old:
            desc[key] = old[key]
    if args.version:
        desc["version"] = args.version
    desc["heldout"] = {**after, "seeds": synth_data.parse_seeds(args.heldout_seeds), "size": "640x360",
                       "frames": "every 5th frame of 10 s clips at 25 fps"}
    desc.setdefault("recipe", {})["calibration"] = {
        "what": "per-class score offsets, tuned on training clips, folded into score_pool3.bias",
        "offsets": {train.VOC_CLASSES[c]: round(float(o), 2) for c, o in zip(classes, offsets)},
        "tuned_on": f"training seeds {args.calib_seeds}, every {args.calib_every}th frame, pixel step {args.pixel_step}",
        "heldout_mean_iou_before": before["mean_iou"],
        "command": "/usr/bin/python3 tools/model/calibrate.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    desc["recipe"] = desc.pop("recipe")  # keep the descriptor's order: held-out figures before the recipe
    assert desc["sha256"] == sha256_of(args.out)
    with open(json_path, "w") as f:
        f.write(to_json(desc))
    log(f"wrote {args.out} and {json_path} (sha256 {desc['sha256']})")


if __name__ == "__main__":
    main()
