#!/usr/bin/python3
"""Labelled synthetic street scenes for training / evaluating the FCN models.

Generates clips with the project's Java scene generator
(``./segstream synth --out DIR --seed S --seconds T --size WxH --fps F``:
DIR/video.mp4, H.264 crf 18, and DIR/gt/<seq>.png, palette PNGs of PASCAL VOC
class indices, one per frame) and loads them as numpy arrays:
frames decoded with the ffmpeg CLI to raw bgr24 (what the Java pipeline feeds
the model) and labels read with PIL (mode 'P' = class indices).

Usage (from the repository root):
    /usr/bin/python3 tools/model/synth_data.py --root /tmp/segdata --seeds 1-40 --seconds 8
    /usr/bin/python3 tools/model/synth_data.py --root /tmp/segdata --seeds 1001-1003 --seconds 10 --prefix heldout

If ``./segstream`` cannot (re)build the project, ``--synth-cmd`` (or the
environment variable SEGSTREAM_SYNTH_CMD) gives another command to run the
CLI, e.g. ``java -cp 'launcher/target/launcher-0.1.0-SNAPSHOT.jar:launcher/target/lib/*'
org.segstream.launcher.SegstreamCli``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from typing import List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def parse_seeds(text: str) -> List[int]:
    """'1-40' or '1,2,5' or '1-3,7' -> list of ints."""
    seeds: List[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            seeds.extend(range(int(a), int(b) + 1))
        else:
            seeds.append(int(part))
    return seeds


def synth_command() -> List[str]:
    cmd = os.environ.get("SEGSTREAM_SYNTH_CMD")
    if cmd:
        return shlex.split(cmd)
    return [os.path.join(REPO, "segstream")]


def clip_dir(root: str, prefix: str, seed: int) -> str:
    return os.path.join(root, f"{prefix}-{seed}")


def generate(root: str, seeds: Sequence[int], seconds: float, size: str = "640x360",
             fps: int = 25, prefix: str = "train", cmd: Optional[List[str]] = None,
             nice: int = 10) -> List[str]:
    """Generates the clips that do not exist yet; returns their directories."""
    cmd = cmd or synth_command()
    dirs = []
    for seed in seeds:
        d = clip_dir(root, prefix, seed)
        dirs.append(d)
        done = os.path.join(d, ".done")
        if os.path.exists(done):
            continue
        args = (["nice", "-n", str(nice)] if nice else []) + cmd + [
            "synth", "--out", d, "--seed", str(seed), "--seconds", str(seconds),
            "--size", size, "--fps", str(fps)]
        print("  " + " ".join(shlex.quote(a) for a in args), flush=True)
        res = subprocess.run(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if res.returncode != 0:
            raise SystemExit(f"synth failed for seed {seed}:\n{res.stdout[-3000:]}")
        with open(done, "w") as f:
            f.write(f"seed {seed} seconds {seconds} size {size} fps {fps}\n")
    return dirs


def video_size(path: str) -> Tuple[int, int]:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height", "-of", "csv=p=0:s=x", path],
                         stdout=subprocess.PIPE, check=True, text=True).stdout.strip()
    w, h = out.split("x")[:2]
    return int(w), int(h)


def decode_bgr(path: str) -> np.ndarray:
    """All frames of a video as uint8 [T, H, W, 3] BGR (ffmpeg bgr24)."""
    w, h = video_size(path)
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "bgr24", "-"],
                         stdout=subprocess.PIPE, check=True).stdout
    frames = np.frombuffer(raw, dtype=np.uint8)
    n = frames.size // (h * w * 3)
    return frames[: n * h * w * 3].reshape(n, h, w, 3)


def read_label(path: str) -> np.ndarray:
    img = Image.open(path)
    if img.mode != "P" and img.mode != "L":
        raise ValueError(f"{path}: mode {img.mode}, want a palette PNG of class indices")
    return np.array(img, dtype=np.uint8)


def load_clip(d: str, every: int = 1, offset: int = 0) -> Tuple[np.ndarray, np.ndarray, List[int]]:
    """Frames (BGR uint8 [T, H, W, 3]) and labels (uint8 [T, H, W]) of every
    ``every``-th frame of a clip, starting at ``offset``; plus the frame indices."""
    frames = decode_bgr(os.path.join(d, "video.mp4"))
    gt_dir = os.path.join(d, "gt")
    names = sorted(n for n in os.listdir(gt_dir) if n.endswith(".png"))
    n = min(len(frames), len(names))
    if len(frames) != len(names):
        print(f"  warning: {d}: {len(frames)} frames, {len(names)} labels; using {n}", file=sys.stderr)
    idx = list(range(offset, n, every))
    labels = np.stack([read_label(os.path.join(gt_dir, names[i])) for i in idx])
    return np.ascontiguousarray(frames[idx]), labels, idx


def main(argv: Optional[Sequence[str]] = None) -> None:
    p = argparse.ArgumentParser(description="generate labelled synthetic street clips")
    p.add_argument("--root", required=True)
    p.add_argument("--seeds", required=True, help="e.g. 1-40 or 1001,1002,1003")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--size", default="640x360")
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--prefix", default="train")
    p.add_argument("--synth-cmd", help="command that runs the segstream CLI (default ./segstream)")
    a = p.parse_args(argv)
    cmd = shlex.split(a.synth_cmd) if a.synth_cmd else None
    generate(a.root, parse_seeds(a.seeds), a.seconds, a.size, a.fps, a.prefix, cmd)


if __name__ == "__main__":
    main()
