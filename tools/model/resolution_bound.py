#!/usr/bin/python3
"""How well a perfect score map at FCN-8s's output stride could do on the
held-out scenes, given FCN-8s's fixed bilinear upsampling.

For every held-out frame, the "ideal" score map at stride s holds, per
s x s cell, the exact share of each class in that cell (the ground truth
average-pooled). It is upsampled with the same fixed bilinear transposed
convolution FCN-8s uses for its last x8 step (kernel 2s, stride s, cropped
to the frame), and the ArgMax is scored against the ground truth like the
model (IoU per class over all pixels, mean over the classes present).

This is an estimate, not a strict upper bound: a trained network can make a
score map sharper than cell shares. It shows how much of the target is out
of reach of the output resolution alone.

    /usr/bin/python3 tools/model/resolution_bound.py [--strides 8,4] [--data /tmp/segdata]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import synth_data  # noqa: E402
import train  # noqa: E402
from fcn8s import NUM_CLASSES, bilinear_kernel  # noqa: E402


@torch.no_grad()
def ideal_prediction(labels: np.ndarray, stride: int) -> np.ndarray:
    """ArgMax of the bilinearly upsampled per-cell class shares, [N, H, W]."""
    y = torch.from_numpy(labels.astype(np.int64)).clamp(max=NUM_CLASSES - 1)
    n, h, w = y.shape
    onehot = F.one_hot(y, NUM_CLASSES).permute(0, 3, 1, 2).float()
    ph, pw = -h % stride, -w % stride  # pad to whole cells (replicating the edge)
    onehot = F.pad(onehot, (0, pw, 0, ph), mode="replicate")
    shares = F.avg_pool2d(onehot, stride)
    kernel = bilinear_kernel(NUM_CLASSES, 2 * stride)
    up = F.conv_transpose2d(shares, kernel, stride=stride, padding=stride // 2)
    return up[:, :, :h, :w].argmax(1).numpy()


def evaluate(labels: np.ndarray, stride: int, batch: int = 10) -> dict:
    conf = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    for i in range(0, len(labels), batch):
        gt = labels[i:i + batch]
        conf += train.confusion(gt, ideal_prediction(gt, stride))
    return train.metrics(conf)


def main(argv: Optional[Sequence[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default="/tmp/segdata")
    p.add_argument("--heldout-seeds", default="1001-1003")
    p.add_argument("--strides", default="8,4")
    args = p.parse_args(argv)
    dirs = synth_data.generate(args.data, synth_data.parse_seeds(args.heldout_seeds), 10, prefix="heldout")
    _, labels = train.load_set(dirs, 5)
    for stride in (int(s) for s in args.strides.split(",")):
        print(f"stride {stride}: {json.dumps(evaluate(labels, stride))}", flush=True)


if __name__ == "__main__":
    main()
