"""Loading FCN-8s weights in the layout of the original Caffe release.

The published voc-fcn8s (and voc-fcn8s-atonce) Caffe models have been
converted to PyTorch state dicts many times; the conversions agree on the
layer names (conv1_1 ... conv5_3, fc6, fc7, score_fr, score_pool4,
score_pool3, upscore2, upscore_pool4, upscore8, each with ``.weight`` and,
except the deconvolutions, ``.bias``) but differ in small ways. This module
turns any of those variants into the exact state dict of ``fcn8s.FCN8s`` or
says precisely what is wrong:

* the dict may be wrapped in a training checkpoint (``model_state_dict`` or
  ``state_dict`` entry) and its keys may carry DataParallel's ``module.``
  prefix;
* Caffe names written with hyphens (``score-pool4``) are read as
  underscores;
* fc6 / fc7 / score layers may be stored as InnerProduct (Linear) weights,
  ``[out, in * kh * kw]`` (fc6 of the full model: 4096 x 25088): Caffe
  flattens an InnerProduct input in (C, H, W) order, the order of a
  convolution kernel, so a reshape to ``[out, in, kh, kw]`` is exact
  (the net surgery of the FCN paper); blobs in the old 4-D Caffe shape with
  leading ones (``[1, 1, out, in]``, ``[1, 1, 1, out]``) are reshaped too;
* the deconvolutions (upscore*) have no bias in Caffe (bias_term: false);
  an all-zero ``upscore*.bias`` that a converter added is dropped, a non-zero
  one is refused;
* weights in float64 / float16 are converted to float32.

Anything else (a missing layer, an unknown key, a shape that is neither the
convolution nor the flattened Linear layout) raises ``WeightsError`` with one
line per problem naming the key and the expected and actual shapes.

"At-once" models (voc-fcn8s-atonce) multiply pool4 by 0.01 and pool3 by
0.0001 before score_pool4 / score_pool3. In Caffe these are Scale layers
(scale_pool4, scale_pool3) with fixed parameters; PyTorch ports make them
constants of the forward pass, so their state dicts do not contain them.
``caffe_scaling="atonce"`` folds the constants into the score layers'
weights: score(s * x) = (s * W) x + b, biases unchanged. A dict that does
carry ``scale_pool4.weight`` / ``scale_pool3.weight`` (a direct dump of the
Caffe blobs: one value, or one per channel) has exactly those values folded
instead, and then ``caffe_scaling`` must stay "none" so nothing is applied
twice.

The width multiplier of the model is taken from conv1_1.weight (64 filters =
1.0); every other shape must then match that width.
"""

from __future__ import annotations

import inspect
import math
import os
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Tuple

import torch

from fcn8s import FCN8s, NUM_CLASSES, VGG_WIDTHS, layer_names

STRIPPED_PREFIXES = ("module.",)
CHECKPOINT_ENTRIES = ("model_state_dict", "state_dict")
DECONV_LAYERS = ("upscore2", "upscore_pool4", "upscore8")

# voc-fcn8s-atonce: the constants the forward pass applies to pool4 / pool3,
# by the score layer they feed, and the Caffe Scale layer holding them.
ATONCE_SCALES = {"score_pool4": 0.01, "score_pool3": 0.0001}
SCALE_LAYERS = {"score_pool4": "scale_pool4", "score_pool3": "scale_pool3"}
CAFFE_SCALINGS = ("none", "atonce")


class WeightsError(ValueError):
    """The file or dict is not FCN-8s weights in the Caffe layout; the message says why."""


def _shape(t) -> List[int]:
    return [int(d) for d in t.shape]


def expected_shapes(width: float, num_classes: int = NUM_CLASSES) -> "OrderedDict[str, Tuple[int, ...]]":
    """Key -> shape of the FCN8s state dict for a width multiplier, in forward order."""
    try:
        net = FCN8s(width=width, num_classes=num_classes, seed=None, device=torch.device("meta"))
    except (NotImplementedError, RuntimeError):
        net = FCN8s(width=width, num_classes=num_classes, seed=None)
    shapes = {k: tuple(v.shape) for k, v in net.state_dict().items()}
    ordered = OrderedDict()
    for layer in layer_names():
        for suffix in ("weight", "bias"):
            key = f"{layer}.{suffix}"
            if key in shapes:
                ordered[key] = shapes[key]
    if set(ordered) != set(shapes):  # a layer fcn8s.layer_names() does not list
        raise AssertionError(f"fcn8s.layer_names() is out of date: {sorted(set(shapes) - set(ordered))}")
    return ordered


def load_file(path: str, trust_pickle: bool = False) -> Mapping[str, object]:
    """Reads a weights file: a torch.save'd state dict or checkpoint (.pth/.pt/...),
    or a NumPy .npz archive with one array per key.

    torch.load unpickles, and a pickle can run arbitrary code. Unless
    ``trust_pickle`` is set, only tensors and plain containers are accepted
    (``weights_only=True``); .npz files are read without pickle.
    """
    if not os.path.isfile(path):
        raise WeightsError(f"{path}: no such file")
    if path.endswith(".npz"):
        import numpy as np
        with np.load(path, allow_pickle=False) as archive:
            return {k: torch.from_numpy(archive[k].copy()) for k in archive.files}
    if trust_pickle:
        return torch.load(path, map_location="cpu")
    if "weights_only" not in inspect.signature(torch.load).parameters:
        raise WeightsError(f"{path}: this torch ({torch.__version__}) cannot load without unpickling arbitrary "
                           "objects (no weights_only); upgrade torch (>= 1.13) or pass --trust-pickle for a file "
                           "you trust")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # UnpicklingError, RuntimeError, ...: torch's message says which global was refused
        raise WeightsError(f"{path}: not loadable as plain tensors with torch.load(weights_only=True): "
                           f"{type(e).__name__}: {e}\n  If the file holds more than tensors and plain containers "
                           "(e.g. NumPy arrays or a whole pickled model) and you trust its origin, pass "
                           "--trust-pickle; or re-save it as a state dict (torch.save(model.state_dict(), f)) "
                           "or as .npz") from e


def _unwrap(raw: object) -> Mapping[str, object]:
    if not isinstance(raw, Mapping):
        if isinstance(raw, torch.nn.Module):
            raise WeightsError("the file holds a whole pickled model, not a state dict: "
                               "save model.state_dict() instead")
        raise WeightsError(f"expected a state dict (name -> tensor), got {type(raw).__name__}")
    for entry in CHECKPOINT_ENTRIES:
        inner = raw.get(entry)
        if isinstance(inner, Mapping) and inner:
            return inner
    return raw


def _canonical_key(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in STRIPPED_PREFIXES:
            if key.startswith(prefix):
                key, changed = key[len(prefix):], True
    return key.replace("-", "_")


def _fit_shape(tensor: torch.Tensor, want: Tuple[int, ...]) -> Optional[torch.Tensor]:
    """``tensor`` in the shape ``want`` if it is a layout this module accepts
    for that parameter (exact, old Caffe 4-D with leading ones, or a Linear
    weight [out, in*kh*kw] for a convolution kernel), else None."""
    got = tuple(tensor.shape)
    if got == want:
        return tensor
    if tensor.numel() != math.prod(want):
        return None
    stripped = got
    while len(stripped) > 1 and stripped[0] == 1:
        stripped = stripped[1:]
    if stripped == want:
        return tensor.reshape(want)
    if len(want) == 4 and stripped == (want[0], want[1] * want[2] * want[3]):
        return tensor.reshape(want)
    return None


def _layout_hint(want: Tuple[int, ...]) -> str:
    if len(want) == 4 and want[2] * want[3] > 1:
        return f" (or Linear-shaped {[want[0], want[1] * want[2] * want[3]]})"
    return ""


def width_of(state: Mapping[str, torch.Tensor]) -> float:
    """The width multiplier implied by conv1_1's number of filters."""
    w = state.get("conv1_1.weight")
    if w is None:
        raise WeightsError("no conv1_1.weight: keys must use the Caffe layer names (conv1_1.weight, ..., "
                           f"upscore8.weight); the first keys are {list(state)[:5]}")
    if w.dim() == 0 or w.shape[0] < 1:
        raise WeightsError(f"conv1_1.weight has shape {_shape(w)}; expected [filters, 3, 3, 3]")
    return w.shape[0] / VGG_WIDTHS[0]


def normalise(raw: object, caffe_scaling: str = "none") -> Tuple["OrderedDict[str, torch.Tensor]", float, List[str]]:
    """A Caffe-layout state dict (any of the variants in the module doc) ->
    (the exact FCN8s state dict in float32, width multiplier, notes on what
    was adapted). Raises WeightsError listing every problem."""
    if caffe_scaling not in CAFFE_SCALINGS:
        raise WeightsError(f"caffe scaling '{caffe_scaling}' is not one of {', '.join(CAFFE_SCALINGS)}")
    source = _unwrap(raw)
    notes: List[str] = []
    if source is not raw:
        notes.append("took the weights from the checkpoint's "
                     + next(e for e in CHECKPOINT_ENTRIES if raw.get(e) is source) + " entry")

    state: Dict[str, torch.Tensor] = {}
    renamed = 0
    problems: List[str] = []
    for key, value in source.items():
        if not isinstance(key, str):
            problems.append(f"key {key!r} is not a string")
            continue
        if not isinstance(value, torch.Tensor):
            if type(value).__module__ == "numpy":
                value = torch.from_numpy(value)
            else:
                problems.append(f"{key}: expected a tensor, got {type(value).__name__}")
                continue
        name = _canonical_key(key)
        if name != key:
            renamed += 1
        if name in state:
            problems.append(f"{key}: duplicate of another key that also maps to {name}")
            continue
        state[name] = value
    if renamed:
        notes.append(f"renamed {renamed} keys (removed a 'module.' prefix and/or read '-' as '_')")
    if problems:
        raise WeightsError("not a state dict of tensors:\n  " + "\n  ".join(problems))

    width = width_of(state)
    want = expected_shapes(width)

    # Caffe Scale layers of the at-once model, if the dump kept them.
    scale_blobs: Dict[str, torch.Tensor] = {}
    for score, scale in SCALE_LAYERS.items():
        blob = state.pop(f"{scale}.weight", None)
        if blob is None:
            continue
        channels = want[f"{score}.weight"][1]
        if not blob.is_floating_point() or blob.numel() not in (1, channels):
            problems.append(f"{scale}.weight: expected 1 or {channels} values (the at-once scale of the input "
                            f"of {score}), got shape {_shape(blob)}")
        else:
            scale_blobs[score] = blob.detach().to(torch.float32).reshape(-1)
    if scale_blobs and len(scale_blobs) != len(SCALE_LAYERS):
        problems.append("only one of scale_pool4.weight / scale_pool3.weight is present; an at-once model has both")
    if scale_blobs and caffe_scaling == "atonce":
        problems.append("the dict carries the at-once scale layers (scale_pool4.weight, scale_pool3.weight), "
                        "which are folded as stored: drop --caffe-scaling atonce, or it would apply twice")

    # Deconvolution biases: Caffe's upscore layers have none.
    for layer in DECONV_LAYERS:
        bias = state.get(f"{layer}.bias")
        if bias is None:
            continue
        if bias.is_floating_point() and not bool(torch.any(bias != 0)):
            del state[f"{layer}.bias"]
            notes.append(f"dropped {layer}.bias (all zero; Caffe's deconvolutions have no bias)")
        else:
            problems.append(f"{layer}.bias: non-zero bias on a deconvolution; the Caffe FCN-8s has none "
                            "(bias_term: false), so these are not voc-fcn8s weights")

    missing = [k for k in want if k not in state]
    unexpected = [k for k in state if k not in want]
    for k in missing:
        problems.append(f"{k}: missing (expected shape {list(want[k])}{_layout_hint(want[k])})")
    for k in unexpected:
        problems.append(f"{k}: unexpected key (shape {_shape(state[k])})")

    out: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    for k, shape in want.items():
        t = state.get(k)
        if t is None:
            continue
        if not t.is_floating_point():
            problems.append(f"{k}: dtype {t.dtype}, expected a floating-point tensor")
            continue
        fitted = _fit_shape(t, shape)
        if fitted is None:
            extra = " (21 PASCAL VOC classes)" if k.startswith(("score", "upscore")) else ""
            problems.append(f"{k}: expected shape {list(shape)}{_layout_hint(shape)}{extra}, got {_shape(t)}"
                            f" [width {width:g} from conv1_1.weight {_shape(state['conv1_1.weight'])}]")
            continue
        if tuple(t.shape) != shape:
            notes.append(f"reshaped {k} from {_shape(t)} to {list(shape)}")
        if t.dtype != torch.float32:
            notes.append(f"converted {k} from {t.dtype} to float32")
        out[k] = fitted.detach().to(torch.float32).contiguous().clone()
        if not bool(torch.isfinite(out[k]).all()):
            problems.append(f"{k}: contains NaN or infinite values")

    if problems:
        raise WeightsError(f"not FCN-8s weights in the Caffe layout (width {width:g}; "
                           f"{len(problems)} problem{'s' if len(problems) > 1 else ''}):\n  "
                           + "\n  ".join(problems))

    if caffe_scaling == "atonce":
        for layer, scale in ATONCE_SCALES.items():
            out[f"{layer}.weight"] = out[f"{layer}.weight"] * scale
        notes.append("folded the at-once scaling into the weights: score_pool4 x 0.01, score_pool3 x 0.0001")
    for layer, blob in scale_blobs.items():
        # One factor per input channel of the 1x1 score convolution.
        factor = blob.view(1, -1, 1, 1) if blob.numel() > 1 else blob.view(())
        out[f"{layer}.weight"] = out[f"{layer}.weight"] * factor
        values = sorted(set(round(v, 8) for v in blob.tolist()))
        shown = values[0] if len(values) == 1 else f"{len(values)} distinct values {values[0]:g}..{values[-1]:g}"
        notes.append(f"folded the file's {SCALE_LAYERS[layer]}.weight ({shown}) into {layer}.weight (at-once model)")
    return out, width, notes
