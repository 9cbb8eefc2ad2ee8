#!/usr/bin/python3
"""Train the slim FCN-8s (width 0.125, same-padding geometry) on synthetic
street scenes, with the paper's staged scheme FCN-32s -> FCN-16s -> FCN-8s,
evaluate every stage on held-out clips, and export the FCN-8s to ONNX.

Recipe (one command, from the repository root):
    /usr/bin/python3 tools/model/train.py --out runs/slim --budget-minutes 30 \
        [--export models/fcn8s-slim.onnx] [--device cuda]

1. Data: ./segstream synth clips (synth_data.py). Training seeds 1..40
   (8 s each, every 4th frame), held-out seeds 1001..1003 (10 s each, every
   5th frame, full 640x360). Seed 2024 (the demo) is never used.
2. FCN-32s: the backbone (conv1_1..fc7) and score_fr, trained from scratch
   (no ImageNet weights are available), score_fr zero-initialised; its output
   is score_fr upsampled 32x by a fixed bilinear deconvolution.
3. FCN-16s: initialised from FCN-32s, adds score_pool4 (zero-initialised, as in
   the paper): upscore2(score_fr) + score_pool4, upsampled 16x (fixed bilinear).
4. FCN-8s: initialised from FCN-16s, adds score_pool3 (zero-initialised):
   the FCN8s module of fcn8s.py, upscore8 fixed bilinear.
All deconvolutions stay fixed bilinear (lr 0, as in the released FCN nets), so
the FCN-32s/16s parameters are a subset of the FCN-8s's state dict.

Preprocessing is the exporter's: BGR uint8 minus the Caffe mean, no scaling.
For conditioning, training feeds (BGR - mean) / INPUT_SCALE and the factor is
folded into conv1_1's weights when saving, so the saved state dict expects the
exporter's unscaled input exactly.

Each stage's length is either a number of iterations (--iters32/16/8, the
reproducible form) or a share of --budget-minutes (wall clock; the iterations
actually run are recorded in the summary so the run can be repeated with
--iters*). Seeds fix the data order, crops, flips, JPEG augmentation and init.
Checkpoints (FCN-8s-layout state dicts) are written during and after each stage.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import subprocess
import sys
import time
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fcn8s import FCN8s, NUM_CLASSES, bilinear_kernel, crop_like  # noqa: E402
import synth_data  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
MEAN_BGR = (104.00698793, 116.66876762, 122.67891434)
INPUT_SCALE = 64.0
VOC_CLASSES = (
    "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus",
    "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike",
    "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
)


# ---------------------------------------------------------------- model ----

def _up(x: torch.Tensor, k: int, s: int) -> torch.Tensor:
    """Fixed per-channel bilinear deconvolution (same-padding geometry), the
    grouped equivalent of FCN8s's diagonal ConvTranspose2d weights."""
    w = bilinear_kernel(1, k).to(x.device).expand(x.shape[1], 1, k, k).contiguous()
    return F.conv_transpose2d(x, w, stride=s, padding=(k - s) // 2, groups=x.shape[1])


def forward_stage(m: FCN8s, x: torch.Tensor, stage: int) -> torch.Tensor:
    """FCN-32s / 16s / 8s scores on the shared FCN8s parameters. For stage 8
    this equals FCN8s.forward (with its bilinear deconvolutions)."""
    r = F.relu
    image = x
    x = r(m.conv1_1(x)); x = r(m.conv1_2(x)); x = m.pool(x)
    x = r(m.conv2_1(x)); x = r(m.conv2_2(x)); x = m.pool(x)
    x = r(m.conv3_1(x)); x = r(m.conv3_2(x)); x = r(m.conv3_3(x)); pool3 = x = m.pool(x)
    x = r(m.conv4_1(x)); x = r(m.conv4_2(x)); x = r(m.conv4_3(x)); pool4 = x = m.pool(x)
    x = r(m.conv5_1(x)); x = r(m.conv5_2(x)); x = r(m.conv5_3(x)); x = m.pool(x)
    x = m.drop6(r(m.fc6(x)))
    x = m.drop7(r(m.fc7(x)))
    score = m.score_fr(x)
    if stage == 32:
        return crop_like(_up(score, 64, 32), image, 0)
    sp4 = m.score_pool4(pool4)
    fuse4 = crop_like(_up(score, 4, 2), sp4, 0) + sp4
    if stage == 16:
        return crop_like(_up(fuse4, 32, 16), image, 0)
    sp3 = m.score_pool3(pool3)
    fuse3 = crop_like(_up(fuse4, 4, 2), sp3, 0) + sp3
    return crop_like(_up(fuse3, 16, 8), image, 0)


def make_model(seed: int, dropout: float, device: torch.device) -> FCN8s:
    m = FCN8s(width=0.125, pad100=False, seed=seed)
    with torch.no_grad():
        for layer in (m.score_fr, m.score_pool4, m.score_pool3):
            layer.weight.zero_()
            layer.bias.zero_()
    m.drop6.p = dropout
    m.drop7.p = dropout
    for layer in (m.upscore2, m.upscore_pool4, m.upscore8):
        layer.weight.requires_grad_(False)
    return m.to(device)


def export_state(m: FCN8s) -> Dict[str, torch.Tensor]:
    """FCN8s state dict for the exporter's unscaled input: conv1_1's weights
    divided by INPUT_SCALE (the training input was divided by it)."""
    sd = {k: v.detach().cpu().clone() for k, v in m.state_dict().items()}
    sd["conv1_1.weight"] = sd["conv1_1.weight"] / INPUT_SCALE
    return sd


# ----------------------------------------------------------------- data ----

def load_set(dirs: Sequence[str], every: int):
    frames, labels = [], []
    for d in dirs:
        f, l, _ = synth_data.load_clip(d, every=every)
        frames.append(f)
        labels.append(l)
    return np.concatenate(frames), np.concatenate(labels)


def jpeg(bgr: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(bgr[:, :, ::-1]).save(buf, format="JPEG", quality=quality)
    return np.array(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))[:, :, ::-1]


def sample_batch(rng: np.random.Generator, frames, labels, batch: int, ch: int, cw: int, jpeg_p: float):
    n, h, w = labels.shape
    xs, ys = [], []
    for _ in range(batch):
        i = rng.integers(n)
        y0 = rng.integers(0, h - ch + 1)
        x0 = rng.integers(0, w - cw + 1)
        img = frames[i, y0:y0 + ch, x0:x0 + cw]
        lab = labels[i, y0:y0 + ch, x0:x0 + cw]
        if rng.random() < jpeg_p:
            img = jpeg(np.ascontiguousarray(img), int(rng.integers(80, 96)))
        if rng.random() < 0.5:
            img, lab = img[:, ::-1], lab[:, ::-1]
        xs.append(np.ascontiguousarray(img))
        ys.append(np.ascontiguousarray(lab))
    return np.stack(xs), np.stack(ys)


def to_input(bgr: np.ndarray, device: torch.device) -> torch.Tensor:
    x = torch.from_numpy(bgr).to(device).float() - torch.tensor(MEAN_BGR, device=device)
    return (x / INPUT_SCALE).permute(0, 3, 1, 2).contiguous()


# ----------------------------------------------------------- evaluation ----

@torch.no_grad()
def evaluate(m: FCN8s, stage: int, frames, labels, device, batch: int = 4) -> dict:
    m.eval()
    conf = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    for i in range(0, len(frames), batch):
        pred = forward_stage(m, to_input(frames[i:i + batch], device), stage).argmax(1).cpu().numpy()
        conf += confusion(labels[i:i + batch], pred)
    m.train()
    return metrics(conf)


def confusion(gt: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """Pixel counts [true class, predicted class]; labels outside the 21 classes (VOC's void) are left out."""
    ok = gt < NUM_CLASSES
    return np.bincount(gt[ok].astype(np.int64) * NUM_CLASSES + pred[ok],
                       minlength=NUM_CLASSES ** 2).reshape(NUM_CLASSES, NUM_CLASSES)


def metrics(conf: np.ndarray) -> dict:
    tp = np.diag(conf).astype(np.float64)
    present = conf.sum(1) > 0
    iou = tp / np.maximum(conf.sum(0) + conf.sum(1) - tp, 1)
    per = {VOC_CLASSES[c]: round(float(iou[c]), 4) for c in range(NUM_CLASSES) if present[c]}
    return {"mean_iou": round(float(iou[present].mean()), 4),
            "pixel_accuracy": round(float(tp.sum() / conf.sum()), 4),
            "per_class_iou": per}


# -------------------------------------------------------------- training ----

def train_stage(m, stage, args, frames, labels, weights, device, rng, out, log,
                iters: Optional[int], seconds: Optional[float], lr: float) -> int:
    params = [p for p in m.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.99))
    t0 = time.time()
    it = 0
    running = None
    while True:
        frac = it / iters if iters else (time.time() - t0) / seconds
        if frac >= 1.0:
            break
        warm = min(1.0, (it + 1) / args.warmup) if stage == 32 else 1.0
        cur = lr * warm * 0.5 * (1 + math.cos(math.pi * min(frac, 1.0)))
        cur = max(cur, lr * 0.02)
        for g in opt.param_groups:
            g["lr"] = cur
        xb, yb = sample_batch(rng, frames, labels, args.batch, args.crop_h, args.crop_w, args.jpeg_p)
        x = to_input(xb, device)
        y = torch.from_numpy(yb.astype(np.int64)).to(device)
        scores = forward_stage(m, x, stage)
        loss = F.cross_entropy(scores, y, weight=weights, ignore_index=255)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 10.0)
        opt.step()
        it += 1
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        if it % 10 == 0:
            log(f"fcn{stage}s it {it} loss {running:.4f} lr {cur:.2e} t {time.time() - t0:.0f}s")
        if it % args.ckpt_every == 0:
            torch.save(export_state(m), os.path.join(out, f"fcn{stage}s_latest.pth"))
    torch.save(export_state(m), os.path.join(out, f"fcn{stage}s.pth"))
    log(f"fcn{stage}s done: {it} iterations in {time.time() - t0:.0f}s")
    return it


def export_model(args, state_path: str, summary: dict, log) -> None:
    onnx_path = args.export
    cmd = [sys.executable, os.path.join(HERE, "export_onnx.py"), "--width", "0.125",
           "--state-dict", state_path, "--out", onnx_path]
    log("export: " + " ".join(cmd))
    subprocess.run(cmd, check=True, cwd=REPO)
    sys.path.insert(0, HERE)
    from export_onnx import to_json, sha256_of  # noqa: E402
    json_path = os.path.splitext(onnx_path)[0] + ".json"
    with open(json_path) as f:
        desc = json.load(f)
    assert desc["sha256"] == sha256_of(onnx_path)
    s8 = summary["heldout"]["fcn8s"]
    desc["weights"] = (f"trained from scratch on synthetic street scenes (segstream synth, training seeds "
                       f"{summary['data']['train_seeds']}), staged FCN-32s -> FCN-16s -> FCN-8s; see models/README.md")
    desc["heldout"] = {**s8, "seeds": summary["data"]["heldout_seeds"], "size": "640x360",
                       "frames": "every 5th frame of 10 s clips at 25 fps"}
    desc["recipe"] = summary["recipe"]
    with open(json_path, "w") as f:
        f.write(to_json(desc))
    log(f"descriptor {json_path} updated (sha256 {desc['sha256']})")


def main(argv: Optional[Sequence[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=os.path.join(REPO, "runs", "slim"))
    p.add_argument("--data", default="/tmp/segdata")
    p.add_argument("--train-seeds", default="1-40")
    p.add_argument("--train-seconds", type=float, default=8)
    p.add_argument("--train-every", type=int, default=4)
    p.add_argument("--heldout-seeds", default="1001-1003")
    p.add_argument("--budget-minutes", type=float, default=75,
                   help="wall-clock training budget split over the stages (ignored where --iters* is set)")
    p.add_argument("--share", default="0.55,0.2,0.25", help="budget shares of the 32s,16s,8s stages")
    p.add_argument("--iters32", type=int)
    p.add_argument("--iters16", type=int)
    p.add_argument("--iters8", type=int)
    p.add_argument("--lr32", type=float, default=1e-3)
    p.add_argument("--lr16", type=float, default=3e-4)
    p.add_argument("--lr8", type=float, default=2e-4)
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--batch", type=int, default=6)
    p.add_argument("--crop-h", type=int, default=192)
    p.add_argument("--crop-w", type=int, default=320)
    p.add_argument("--jpeg-p", type=float, default=0.5, help="share of crops JPEG-compressed (q 80..95)")
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--class-weight-power", type=float, default=0.5,
                   help="CE class weights (median freq / freq) ** power over the classes present; 0 = plain CE")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--ckpt-every", type=int, default=25)
    p.add_argument("--init", help="start from this FCN-8s state dict (a train.py checkpoint, exporter scaling) "
                   "instead of scratch; use with --stages 8 to continue a finished run")
    p.add_argument("--stages", default="32,16,8", help="stages to train, in order (e.g. 8 to continue from --init)")
    p.add_argument("--export", help="write the trained FCN-8s here (ONNX + descriptor), e.g. models/fcn8s-slim.onnx")
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    os.makedirs(args.out, exist_ok=True)
    logf = open(os.path.join(args.out, "train.log"), "a")
    t_start = time.time()

    def log(msg):
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    train_seeds = synth_data.parse_seeds(args.train_seeds)
    held_seeds = synth_data.parse_seeds(args.heldout_seeds)
    assert 2024 not in train_seeds and not set(train_seeds) & set(held_seeds)
    log("generating data (skips clips that exist)")
    held_dirs = synth_data.generate(args.data, held_seeds, 10, prefix="heldout")
    train_dirs = synth_data.generate(args.data, train_seeds, args.train_seconds, prefix="train")
    frames, labels = load_set(train_dirs, args.train_every)
    hf, hl = load_set(held_dirs, 5)
    log(f"train {frames.shape}, held-out {hf.shape}")

    freq = np.bincount(labels.ravel(), minlength=256)[:NUM_CLASSES].astype(np.float64)
    w = np.zeros(NUM_CLASSES)
    present = freq > 0
    if args.class_weight_power > 0:
        f = freq[present] / freq[present].sum()
        w[present] = (np.median(f) / f) ** args.class_weight_power
        w[present] /= (w[present] * f).sum()     # mean weight over pixels = 1
    else:
        w[present] = 1.0
    w[~present] = 1.0
    weights = torch.tensor(w, dtype=torch.float32, device=device)
    log("class weights: " + ", ".join(f"{VOC_CLASSES[c]} {w[c]:.2f}" for c in range(NUM_CLASSES) if present[c]))

    rng = np.random.default_rng(args.seed)
    m = make_model(args.seed, args.dropout, device)
    if args.init:
        sd = torch.load(args.init, map_location="cpu")
        sd["conv1_1.weight"] = sd["conv1_1.weight"] * INPUT_SCALE   # undo export_state's folding
        m.load_state_dict(sd)
        log(f"initialised from {args.init}")
    stages = [int(s) for s in args.stages.split(",")]
    shares = [float(s) for s in args.share.split(",")]
    budget = args.budget_minutes * 60
    summary = {"data": {"train_seeds": args.train_seeds, "train_seconds": args.train_seconds,
                        "train_every": args.train_every, "train_frames": int(len(frames)),
                        "heldout_seeds": held_seeds},
               "heldout": {}, "iterations": {}, "seconds": {}}
    if args.init:
        summary["init"] = {"from": args.init, "heldout": evaluate(m, stages[0], hf, hl, device)}
        log(f"held-out at init: {json.dumps(summary['init']['heldout'])}")
    plan = ((32, shares[0], args.iters32, args.lr32),
            (16, shares[1], args.iters16, args.lr16),
            (8, shares[2], args.iters8, args.lr8))
    plan = [row for row in plan if row[0] in stages]
    total_share = sum(row[1] for row in plan)
    for stage, share, iters, lr in plan:
        share = share / total_share
        t0 = time.time()
        n = train_stage(m, stage, args, frames, labels, weights, device, rng, args.out, log,
                        iters, None if iters else budget * share, lr)
        summary["iterations"][f"fcn{stage}s"] = n
        summary["seconds"][f"fcn{stage}s"] = round(time.time() - t0)
        t1 = time.time()
        res = evaluate(m, stage, hf, hl, device)
        summary["heldout"][f"fcn{stage}s"] = res
        log(f"held-out fcn{stage}s ({time.time() - t1:.0f}s): {json.dumps(res)}")
        with open(os.path.join(args.out, "summary.json"), "w") as f:
            json.dump(summary, f, indent=2)

    summary["recipe"] = {
        "stages": ("FCN-32s -> FCN-16s -> FCN-8s (skip scores zero-initialised), from scratch"
                   if not args.init else f"stages {args.stages} continued from {args.init}"),
        "iterations": summary["iterations"],
        "batch": args.batch, "crop": f"{args.crop_w}x{args.crop_h}", "optimiser": "Adam(0.9, 0.99)",
        "lr": {"fcn32s": args.lr32, "fcn16s": args.lr16, "fcn8s": args.lr8},
        "schedule": f"cosine to 2% per stage, {args.warmup}-iteration warm-up in FCN-32s",
        "loss": f"cross-entropy, class weights (median freq / freq)^{args.class_weight_power}",
        "augmentation": f"random crops, horizontal flips, JPEG q80-95 on {args.jpeg_p:.0%} of crops",
        "dropout": args.dropout, "deconvolutions": "fixed bilinear", "seed": args.seed,
        "input_scale": f"trained on (BGR - mean) / {INPUT_SCALE:g}, folded into conv1_1",
        "train_seconds": summary["seconds"], "device": args.device,
        "command": "/usr/bin/python3 tools/model/train.py " + " ".join(sys.argv[1:]),
    }
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    log(f"total {time.time() - t_start:.0f}s")
    if args.export:
        export_model(args, os.path.join(args.out, "fcn8s.pth"), summary, log)


if __name__ == "__main__":
    main()
