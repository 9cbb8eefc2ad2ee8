#!/usr/bin/python3
"""Export FCN-8s to ONNX with in-graph pre- and post-processing, and write
its JSON descriptor next to it.

Graph contract:
    input  "image":   uint8 [N, H, W, 3], BGR (as OpenCV / FFmpeg bgr24)
    output "classes": uint8 [N, H, W], PASCAL VOC class index per pixel
N, H and W are dynamic. Inside the graph: cast to float32, subtract the Caffe
FCN BGR mean, NHWC -> NCHW (channels stay BGR, as the Caffe weights expect),
FCN-8s, ArgMax over the 21 classes, cast to uint8.

With --with-logits the graph has a second output, "scores": float32
[N, 21, H, W], the class scores before the ArgMax (for parity tests; the
production models keep the single "classes" output).

Usage (from the repository root; Debian's Python, which has torch and onnx):
    /usr/bin/python3 tools/model/export_onnx.py --width 0.125 --seed 0 \
        --out models/fcn8s-slim.onnx [--pad100] [--with-logits]
    /usr/bin/python3 tools/model/export_onnx.py --state-dict FILE [--caffe-scaling atonce] \
        --pad100 --out models/fcn8s-voc.onnx
--state-dict reads published FCN-8s weights in the Caffe layout (see
caffe_weights.py for the accepted variants).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from torch import nn

import onnx
from onnx import TensorProto

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fcn8s import (FCN8s, NUM_CLASSES, count_macs, count_macs_for,  # noqa: E402
                   count_parameters)
import caffe_weights  # noqa: E402

VERSION = "0.1.0"
DEFAULT_OPSET = 13
INPUT_NAME = "image"
OUTPUT_NAME = "classes"
LOGITS_NAME = "scores"

# Per-channel mean of the ILSVRC training images in BGR order, subtracted by
# the Caffe FCN models (values as in the released FCN code). No scaling: the
# network sees raw 0..255 pixel values minus this mean.
MEAN_BGR = (104.00698793, 116.66876762, 122.67891434)

VOC_CLASSES = (
    "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus",
    "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike",
    "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
)

# Shapes run through the torch wrapper after export: (N, H, W). Odd and tiny
# sizes exercise the crops; 360x640 is a typical video frame.
CHECK_SHAPES = ((1, 64, 48), (2, 360, 640), (1, 17, 33), (1, 1, 1))


def voc_palette(n: int = NUM_CLASSES) -> List[List[int]]:
    """The PASCAL VOC colour map (RGB): the bits of the class index are dealt
    out in turn to R, G and B, from each channel's most significant bit down."""
    palette = []
    for index in range(n):
        r = g = b = 0
        c = index
        for bit in range(7, -1, -1):
            r |= (c & 1) << bit
            g |= ((c >> 1) & 1) << bit
            b |= ((c >> 2) & 1) << bit
            c >>= 3
        palette.append([r, g, b])
    return palette


class SegmentationGraph(nn.Module):
    """uint8 NHWC BGR image -> uint8 NHW class map, around an FCN8s.

    With ``with_logits`` the forward returns (classes, scores), scores being
    the float32 NCHW class scores the ArgMax ran over (already cropped to
    the input's H and W).
    """

    def __init__(self, net: FCN8s, with_logits: bool = False):
        super().__init__()
        self.net = net
        self.with_logits = with_logits
        self.register_buffer("mean_bgr", torch.tensor(MEAN_BGR, dtype=torch.float32))

    def forward(self, image: torch.Tensor):
        x = image.to(torch.float32) - self.mean_bgr   # broadcast over the last (C) axis
        x = x.permute(0, 3, 1, 2)                     # NHWC -> NCHW, still BGR
        scores = self.net(x)
        # ArgMax gives int64; 21 classes fit in a byte, which is 8x less to
        # copy out of the runtime per frame.
        classes = scores.argmax(dim=1).to(torch.uint8)
        if self.with_logits:
            return classes, scores
        return classes


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_state_dict(path: str, caffe_scaling: str = "none",
                    trust_pickle: bool = False) -> Tuple[Dict[str, torch.Tensor], float, List[str]]:
    """Reads FCN-8s weights in the Caffe layout (caffe_weights.py): the
    exact FCN8s state dict, its width multiplier and notes on what was
    adapted. Exits with the converter's message if the file does not fit."""
    try:
        return caffe_weights.normalise(caffe_weights.load_file(path, trust_pickle), caffe_scaling)
    except caffe_weights.WeightsError as e:
        raise SystemExit(f"{path}: {e}")


def to_json(value: dict) -> str:
    """Indented JSON, with arrays of numbers (shapes, mean, palette rows) kept
    on one line."""
    text = json.dumps(value, indent=2)
    text = re.sub(r"\[\s*(-?[\d.]+(?:,\s*-?[\d.]+)*)\s*\]",
                  lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    return text + "\n"


def check_torch_shapes(wrapper: nn.Module, shapes: Sequence[Tuple[int, int, int]]) -> None:
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for n, h, w in shapes:
            image = torch.randint(0, 256, (n, h, w, 3), generator=gen, dtype=torch.uint8)
            out = wrapper(image)
            if isinstance(out, tuple):
                out, scores = out
                if tuple(scores.shape) != (n, NUM_CLASSES, h, w) or scores.dtype != torch.float32:
                    raise SystemExit(f"torch wrapper: input {n}x{h}x{w}x3 gave scores {scores.dtype} "
                                     f"{tuple(scores.shape)}")
            if tuple(out.shape) != (n, h, w) or out.dtype != torch.uint8:
                raise SystemExit(f"torch wrapper: input {n}x{h}x{w}x3 gave {out.dtype} {tuple(out.shape)}")
            if int(out.max()) >= NUM_CLASSES:
                raise SystemExit(f"torch wrapper: class index {int(out.max())} out of range")
            print(f"  torch {n}x{h}x{w}x3 -> {tuple(out.shape)} uint8 ok")


def _dims(value_info: onnx.ValueInfoProto) -> List[object]:
    return [d.dim_param if d.HasField("dim_param") else d.dim_value
            for d in value_info.type.tensor_type.shape.dim]


def check_onnx(path: str, with_logits: bool = False) -> None:
    """onnx.checker, plus shape inference on the interface tensors.

    onnx 1.12's shape inference cannot follow the crops (a Slice whose ends
    come from a Shape loses even its rank), so the output's N, H, W stay the
    symbolic names that the exporter declared; the torch checks above, and a
    run in ONNX Runtime, are what show that they equal the input's.
    """
    onnx.checker.check_model(path, full_check=True)
    model = onnx.load(path)
    for init in model.graph.initializer:
        if init.data_location == TensorProto.EXTERNAL:
            raise SystemExit(f"{path}: initializer {init.name} uses external data")
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    outputs = list(inferred.graph.output)
    if len(outputs) != (2 if with_logits else 1):
        raise SystemExit(f"{path}: has outputs {[o.name for o in outputs]}")
    (inp,), out = inferred.graph.input, outputs[0]
    checks = [
        (inp.name, INPUT_NAME), (out.name, OUTPUT_NAME),
        (inp.type.tensor_type.elem_type, TensorProto.UINT8),
        (out.type.tensor_type.elem_type, TensorProto.UINT8),
        (len(_dims(inp)), 4), (len(_dims(out)), 3), (_dims(inp)[3], 3),
    ]
    for got, want in checks:
        if got != want:
            raise SystemExit(f"{path}: interface check failed: got {got!r}, want {want!r}")
    if with_logits:
        logits = outputs[1]
        for got, want in ((logits.name, LOGITS_NAME), (logits.type.tensor_type.elem_type, TensorProto.FLOAT),
                          (len(_dims(logits)), 4), (_dims(logits)[1], NUM_CLASSES)):
            if got != want:
                raise SystemExit(f"{path}: logits output check failed: got {got!r}, want {want!r}")
    if not all(isinstance(d, str) for d in _dims(inp)[:3]):
        raise SystemExit(f"{path}: input N, H, W are not all dynamic: {_dims(inp)}")
    extra = f", {LOGITS_NAME}: float {_dims(outputs[1])}" if with_logits else ""
    print(f"  onnx checker ok; {inp.name}: uint8 {_dims(inp)} -> {out.name}: uint8 {_dims(out)}{extra}")


def export(args: argparse.Namespace) -> dict:
    state = None
    if args.state_dict:
        state, implied, notes = load_state_dict(args.state_dict, args.caffe_scaling, args.trust_pickle)
        print(f"read {args.state_dict}: Caffe-layout FCN-8s weights, width {implied:g}")
        for note in notes:
            print(f"  {note}")
    elif args.caffe_scaling != "none":
        raise SystemExit("--caffe-scaling applies to --state-dict weights only")
    width = args.width
    if state is not None:
        if width is None:
            width = implied
        elif abs(implied - width) > 1e-9:
            raise SystemExit(f"--width {width} does not match the state dict (conv1_1 implies {implied})")
    if width is None:
        width = 0.125

    net = FCN8s(width=width, pad100=args.pad100, seed=None if state is not None else args.seed)
    if state is not None:
        # Strict: every Caffe layer must be present, with matching shapes.
        net.load_state_dict(state, strict=True)
        weights = f"state dict {os.path.basename(args.state_dict)} (sha256 {sha256_of(args.state_dict)})"
        if args.caffe_scaling == "atonce":
            weights += "; at-once pool4 x 0.01 / pool3 x 0.0001 folded into score_pool4 / score_pool3"
    else:
        weights = f"random init, seed {args.seed} (untrained)"
    wrapper = SegmentationGraph(net, with_logits=args.with_logits).eval()

    out = args.out
    name = args.name or os.path.splitext(os.path.basename(out))[0]
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

    print(f"checking the torch wrapper (width {width}, pad100 {args.pad100})")
    check_torch_shapes(wrapper, CHECK_SHAPES)

    # Trace with a size that is not a multiple of 32, so no crop degenerates
    # to an identity that a constant folder might be tempted to drop.
    dummy = torch.zeros(1, 70, 90, 3, dtype=torch.uint8)
    axes = {INPUT_NAME: {0: "N", 1: "H", 2: "W"}, OUTPUT_NAME: {0: "N", 1: "H", 2: "W"}}
    output_names = [OUTPUT_NAME]
    if args.with_logits:
        axes[LOGITS_NAME] = {0: "N", 2: "H", 3: "W"}
        output_names.append(LOGITS_NAME)
    print(f"exporting {out} (opset {args.opset})")
    with torch.no_grad():
        torch.onnx.export(
            wrapper, (dummy,), out,
            input_names=[INPUT_NAME], output_names=output_names,
            dynamic_axes=axes, opset_version=args.opset,
            do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL,
        )

    # Record what the file is in its own metadata too, then re-save once.
    model = onnx.load(out)
    model.doc_string = "FCN-8s (Long, Shelhamer, Darrell 2015); uint8 NHWC BGR image -> uint8 NHW VOC classes"
    if args.with_logits:
        # The tracer cannot see that the crops keep the 21 class channels, and
        # would declare that axis symbolic: state it.
        scores = next(o for o in model.graph.output if o.name == LOGITS_NAME)
        scores.type.tensor_type.shape.dim[1].Clear()
        scores.type.tensor_type.shape.dim[1].dim_value = NUM_CLASSES
    for key, value in (("name", name), ("version", VERSION), ("width_multiplier", str(width)),
                       ("pad100", str(args.pad100).lower()), ("weights", weights)):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(model, out)

    check_onnx(out, args.with_logits)

    print("counting multiply-accumulates at 640x360")
    gmac = sum(count_macs(net, 360, 640).values()) / 1e9
    descriptor = {
        "name": name,
        "version": VERSION,
        "file": os.path.basename(out),
        "sha256": sha256_of(out),
        "architecture": "FCN-8s, VGG16 backbone (Long, Shelhamer, Darrell 2015)",
        "width_multiplier": width,
        "pad100": args.pad100,
        "weights": weights,
        "opset": args.opset,
        "input": {"name": INPUT_NAME, "type": "uint8", "layout": "NHWC", "channels": "BGR",
                  "shape": [-1, -1, -1, 3]},
        "output": {"name": OUTPUT_NAME, "type": "uint8", "layout": "NHW", "shape": [-1, -1, -1]},
        **({"logits_output": {"name": LOGITS_NAME, "type": "float32", "layout": "NCHW",
                              "shape": [-1, NUM_CLASSES, -1, -1]}} if args.with_logits else {}),
        "normalisation": {"mean_bgr": list(MEAN_BGR), "scale": 1.0},
        "classes": list(VOC_CLASSES),
        "palette": voc_palette(len(VOC_CLASSES)),
        "palette_channels": "RGB",
        "parameters": count_parameters(net),
        "gmac_640x360": round(gmac, 4),
    }
    json_path = os.path.splitext(out)[0] + ".json"
    with open(json_path, "w") as f:
        f.write(to_json(descriptor))
    print(f"wrote {out} ({os.path.getsize(out)} bytes) and {json_path}")
    return descriptor


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", help="ONNX file to write; the descriptor goes next to it as .json")
    p.add_argument("--width", type=float, default=None,
                   help="channel-width multiplier: 1.0 = paper, 0.125 = slim (default: from --state-dict, else 0.125)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random initialisation (default 0)")
    p.add_argument("--pad100", action="store_true",
                   help="the paper's exact padding-100 geometry (default: same padding, faster)")
    p.add_argument("--state-dict", metavar="FILE",
                   help="FCN-8s weights in the Caffe layout: a PyTorch state dict / checkpoint or .npz keyed "
                        "conv1_1.weight, ..., upscore8.weight (width taken from conv1_1)")
    p.add_argument("--caffe-scaling", choices=caffe_weights.CAFFE_SCALINGS, default="none",
                   help="'atonce' for voc-fcn8s-atonce weights: folds its pool4 x 0.01 and pool3 x 0.0001 "
                        "into score_pool4 / score_pool3 (default none: voc-fcn8s, the staged model)")
    p.add_argument("--trust-pickle", action="store_true",
                   help="let torch.load unpickle arbitrary objects (only for files you trust; default: "
                        "weights_only=True, tensors and plain containers only)")
    p.add_argument("--with-logits", action="store_true",
                   help=f"add a second output '{LOGITS_NAME}' (float32 [N, 21, H, W], the scores before "
                        "ArgMax) for parity tests; production models keep the single output")
    p.add_argument("--name", help="model name in the descriptor (default: the output file's base name)")
    p.add_argument("--opset", type=int, default=DEFAULT_OPSET, help=f"ONNX opset (default {DEFAULT_OPSET})")
    p.add_argument("--gmac-only", action="store_true",
                   help="print GMAC at 640x360 for the chosen width in both geometries, and exit")
    args = p.parse_args(argv)
    if not args.out and not args.gmac_only:
        p.error("--out is required")
    return args


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    if args.gmac_only:
        width = args.width if args.width is not None else 0.125
        for pad100 in (False, True):
            gmac = count_macs_for(width, pad100, 360, 640) / 1e9
            print(f"width {width} pad100 {str(pad100).lower():5}: {gmac:.4f} GMAC per 640x360 frame")
        return
    export(args)


if __name__ == "__main__":
    main()
