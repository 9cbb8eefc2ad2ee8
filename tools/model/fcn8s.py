"""FCN-8s (Long, Shelhamer, Darrell, "Fully Convolutional Networks for
Semantic Segmentation", CVPR 2015) as a PyTorch module.

The layer names and tensor layouts follow the original Caffe model
(voc-fcn8s), so a state dict converted from the released Caffe weights loads
directly:

    conv1_1 conv1_2 pool1  conv2_1 conv2_2 pool2  conv3_1..3 pool3
    conv4_1..3 pool4  conv5_1..3 pool5  fc6 fc7  score_fr
    upscore2 (x2)      + score_pool4 (on pool4)  = fuse_pool4
    upscore_pool4 (x2) + score_pool3 (on pool3)  = fuse_pool3
    upscore8 (x8)  -> crop to the input size

Caffe's Convolution and Deconvolution weights have the same layout as
PyTorch's Conv2d (out, in, kh, kw) and ConvTranspose2d (in, out, kh, kw), so
no transposition is needed when mapping weights.

Two geometries share the same parameters (see ``FCN8s.__init__``):

* ``pad100=True``: the paper's exact geometry (conv1_1 padded by 100, valid
  7x7 fc6, unpadded deconvolutions, Caffe Crop layers with offsets 5, 9, 31).
* ``pad100=False`` (default): "same" padding everywhere, so every stage is an
  exact power-of-two subsampling of the input (rounded up) and the upsampled
  maps are cropped at offset 0. About 2-3x cheaper on video-sized frames.

Both accept any input of at least 1x1 pixel and return scores with the input's
height and width. All crops are computed from tensor shapes, so a traced ONNX
export stays dynamic in batch, height and width.
"""

from __future__ import annotations

import math
from typing import Dict, Optional, Tuple

import torch
from torch import nn
import torch.nn.functional as F

NUM_CLASSES = 21

# Channel widths of the paper's model (width multiplier 1.0).
VGG_WIDTHS = (64, 128, 256, 512, 512)
FC_WIDTH = 4096

# Caffe Crop offsets of the pad100 geometry. They follow from the receptive
# field arithmetic of the network with conv1_1 padded by 100: pixel (0, 0) of
# each upsampled map lies this many pixels inside the map it is cropped to /
# from. Values as in the released voc-fcn8s prototxt.
PAD100_OFFSET_POOL4 = 5   # score_pool4 cropped to the size of upscore2
PAD100_OFFSET_POOL3 = 9   # score_pool3 cropped to the size of upscore_pool4
PAD100_OFFSET_OUTPUT = 31  # upscore8 cropped to the size of the input image


def scaled(channels: int, width: float) -> int:
    """Number of channels of a layer under the width multiplier."""
    return max(1, int(round(channels * width)))


def bilinear_kernel(channels: int, kernel_size: int) -> torch.Tensor:
    """Weights of a ConvTranspose2d(channels, channels, kernel_size) that
    performs per-channel bilinear upsampling by the factor ceil(k / 2).

    Channel i maps only to channel i (the off-diagonal filters are zero), as
    in the paper's initialisation of its deconvolution layers.
    """
    factor = (kernel_size + 1) // 2
    # Centre of the tent: on a pixel for odd kernels, between two for even.
    centre = factor - 1 if kernel_size % 2 == 1 else factor - 0.5
    taps = 1.0 - (torch.arange(kernel_size, dtype=torch.float64) - centre).abs() / factor
    tent = torch.outer(taps, taps).to(torch.float32)
    weight = torch.zeros(channels, channels, kernel_size, kernel_size)
    for c in range(channels):
        weight[c, c] = tent
    return weight


def crop_like(x: torch.Tensor, ref: torch.Tensor, offset: int) -> torch.Tensor:
    """Caffe Crop (axis=2): the window of ``x`` with ``ref``'s height and width
    starting at (offset, offset).

    The end indices are taken from ``ref.shape`` rather than Python ints: in
    torch.onnx tracing, ``Tensor.shape[i]`` is recorded as a Shape/Gather
    node, so the exported Slice stays dynamic in H and W.
    """
    h, w = ref.shape[2], ref.shape[3]
    return x[:, :, offset:offset + h, offset:offset + w]


class FCN8s(nn.Module):
    """FCN-8s with a VGG16 backbone.

    Args:
        width: channel-width multiplier (1.0 = the paper's model; 0.125 gives
            the "slim" 8/16/32/64/64 channel model with 512-wide fc layers).
        pad100: use the paper's padding-100 geometry instead of the default
            same-padding geometry. The parameters are identical in both.
        num_classes: number of output classes (21 for PASCAL VOC).
        seed: if not None, initialise the weights deterministically from this
            seed (independent of torch's global RNG state).
    """

    def __init__(self, width: float = 1.0, pad100: bool = False,
                 num_classes: int = NUM_CLASSES, seed: Optional[int] = 0,
                 device: Optional[torch.device] = None):
        super().__init__()
        self.width = width
        self.pad100 = pad100
        self.num_classes = num_classes
        c1, c2, c3, c4, c5 = (scaled(c, width) for c in VGG_WIDTHS)
        cfc = scaled(FC_WIDTH, width)
        k = num_classes
        dev = {"device": device}

        def conv3(cin, cout, padding=1):
            return nn.Conv2d(cin, cout, 3, padding=padding, **dev)

        # --- VGG16 backbone -------------------------------------------------
        # pad100: the first conv pads by 100 so that, after five /2 poolings
        # and the valid 7x7 fc6, even a 1-pixel input leaves a >= 1 pixel
        # score map; the crops at the end cut the padding back off.
        self.conv1_1 = conv3(3, c1, padding=100 if pad100 else 1)
        self.conv1_2 = conv3(c1, c1)
        self.conv2_1 = conv3(c1, c2)
        self.conv2_2 = conv3(c2, c2)
        self.conv3_1 = conv3(c2, c3)
        self.conv3_2 = conv3(c3, c3)
        self.conv3_3 = conv3(c3, c3)
        self.conv4_1 = conv3(c3, c4)
        self.conv4_2 = conv3(c4, c4)
        self.conv4_3 = conv3(c4, c4)
        self.conv5_1 = conv3(c4, c5)
        self.conv5_2 = conv3(c5, c5)
        self.conv5_3 = conv3(c5, c5)
        # Caffe pooling rounds output sizes up, hence ceil_mode.
        self.pool = nn.MaxPool2d(2, stride=2, ceil_mode=True)

        # --- fully connected layers as convolutions ------------------------
        # Same-padding mode pads the 7x7 fc6 by 3 so pool5's size is kept.
        self.fc6 = nn.Conv2d(c5, cfc, 7, padding=0 if pad100 else 3, **dev)
        self.fc7 = nn.Conv2d(cfc, cfc, 1, **dev)
        self.drop6 = nn.Dropout(0.5)
        self.drop7 = nn.Dropout(0.5)

        # --- scoring and skip fusion ----------------------------------------
        self.score_fr = nn.Conv2d(cfc, k, 1, **dev)
        self.score_pool4 = nn.Conv2d(c4, k, 1, **dev)
        self.score_pool3 = nn.Conv2d(c3, k, 1, **dev)
        # Same-padding mode: padding (k - s) / 2 makes each deconvolution an
        # exact xS upsampling, out = S * in, aligned with the encoder's pixel
        # grid (bilinear with half-pixel centres), so the crops that follow
        # start at offset 0. pad100 mode uses the paper's unpadded ones,
        # out = S * (in - 1) + k, and the Caffe offsets.
        p2, p8 = (0, 0) if pad100 else (1, 4)
        self.upscore2 = nn.ConvTranspose2d(k, k, 4, stride=2, padding=p2, bias=False, **dev)
        self.upscore_pool4 = nn.ConvTranspose2d(k, k, 4, stride=2, padding=p2, bias=False, **dev)
        self.upscore8 = nn.ConvTranspose2d(k, k, 16, stride=8, padding=p8, bias=False, **dev)

        if seed is not None:
            self.reset_parameters(seed)

    @property
    def crop_offsets(self) -> Tuple[int, int, int]:
        if self.pad100:
            return PAD100_OFFSET_POOL4, PAD100_OFFSET_POOL3, PAD100_OFFSET_OUTPUT
        return 0, 0, 0

    @torch.no_grad()
    def reset_parameters(self, seed: int) -> None:
        """Deterministic initialisation from ``seed``.

        Convolutions: He (Kaiming) normal, fan-in, ReLU gain; biases zero.
        Deconvolutions: bilinear upsampling kernels, as in the paper.
        A private generator is used, so the result does not depend on (or
        disturb) torch's global RNG.
        """
        gen = torch.Generator().manual_seed(seed)
        for name, module in self.named_children():
            if isinstance(module, nn.ConvTranspose2d):
                module.weight.copy_(bilinear_kernel(module.in_channels, module.kernel_size[0]))
            elif isinstance(module, nn.Conv2d):
                fan_in = module.in_channels * module.kernel_size[0] * module.kernel_size[1]
                std = math.sqrt(2.0 / fan_in)
                w = torch.randn(module.weight.shape, generator=gen) * std
                module.weight.copy_(w)
                module.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """NCHW float (mean-subtracted BGR) -> NCHW class scores, same H, W."""
        off_pool4, off_pool3, off_out = self.crop_offsets
        image = x
        x = F.relu(self.conv1_1(x))
        x = F.relu(self.conv1_2(x))
        x = self.pool(x)                        # pool1
        x = F.relu(self.conv2_1(x))
        x = F.relu(self.conv2_2(x))
        x = self.pool(x)                        # pool2
        x = F.relu(self.conv3_1(x))
        x = F.relu(self.conv3_2(x))
        x = F.relu(self.conv3_3(x))
        pool3 = x = self.pool(x)                # 1/8
        x = F.relu(self.conv4_1(x))
        x = F.relu(self.conv4_2(x))
        x = F.relu(self.conv4_3(x))
        pool4 = x = self.pool(x)                # 1/16
        x = F.relu(self.conv5_1(x))
        x = F.relu(self.conv5_2(x))
        x = F.relu(self.conv5_3(x))
        x = self.pool(x)                        # pool5, 1/32
        x = self.drop6(F.relu(self.fc6(x)))
        x = self.drop7(F.relu(self.fc7(x)))
        score_fr = self.score_fr(x)

        upscore2 = self.upscore2(score_fr)
        score_pool4 = self.score_pool4(pool4)
        if self.pad100:
            # The skip map is the larger one: cut its border to upscore2.
            fuse_pool4 = upscore2 + crop_like(score_pool4, upscore2, off_pool4)
        else:
            # upscore2 is 2 * ceil(p4 / 2) >= p4: drop its extra last row/col.
            fuse_pool4 = crop_like(upscore2, score_pool4, off_pool4) + score_pool4

        upscore_pool4 = self.upscore_pool4(fuse_pool4)
        score_pool3 = self.score_pool3(pool3)
        if self.pad100:
            fuse_pool3 = upscore_pool4 + crop_like(score_pool3, upscore_pool4, off_pool3)
        else:
            fuse_pool3 = crop_like(upscore_pool4, score_pool3, off_pool3) + score_pool3

        upscore8 = self.upscore8(fuse_pool3)
        # Back to the input's height and width (8 * ceil(H / 8) >= H in the
        # same-padding mode; the 100-pixel border plus deconv overhang in the
        # pad100 mode).
        return crop_like(upscore8, image, off_out)


def layer_names() -> Tuple[str, ...]:
    """Names of the parameterised layers, in forward order."""
    return ("conv1_1", "conv1_2", "conv2_1", "conv2_2",
            "conv3_1", "conv3_2", "conv3_3",
            "conv4_1", "conv4_2", "conv4_3",
            "conv5_1", "conv5_2", "conv5_3",
            "fc6", "fc7", "score_fr", "upscore2", "score_pool4",
            "upscore_pool4", "score_pool3", "upscore8")


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_macs(model: FCN8s, height: int, width: int, batch: int = 1) -> Dict[str, int]:
    """Multiply-accumulates of every Conv2d / ConvTranspose2d for one forward
    pass on a batch x 3 x height x width input, per layer name.

    Conv2d: each output element costs (C_in / groups) * kh * kw MACs.
    ConvTranspose2d: each input element is scattered to C_out * kh * kw
    outputs (C_in / groups per output channel group), i.e. the cost of the
    direct scatter, including the taps that padding later discards.
    Pooling, ReLU, additions and crops are not counted.

    The pass runs on the "meta" device when possible (shapes only, no memory
    for weights or activations), so it is cheap even for width 1.0.
    """
    macs: Dict[str, int] = {}
    hooks = []

    def hook(name):
        def fn(mod, inputs, output):
            if isinstance(mod, nn.ConvTranspose2d):
                inp = inputs[0]
                per_in = (mod.out_channels // mod.groups) * mod.kernel_size[0] * mod.kernel_size[1]
                macs[name] = inp.numel() * per_in
            else:
                per_out = (mod.in_channels // mod.groups) * mod.kernel_size[0] * mod.kernel_size[1]
                macs[name] = output.numel() * per_out
        return fn

    for name, mod in model.named_children():
        if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d)):
            hooks.append(mod.register_forward_hook(hook(name)))
    try:
        device = next(model.parameters()).device
        was_training = model.training
        model.eval()
        with torch.no_grad():
            model(torch.zeros(batch, 3, height, width, device=device))
        model.train(was_training)
    finally:
        for h in hooks:
            h.remove()
    return macs


def count_macs_for(width: float, pad100: bool, height: int, w: int) -> int:
    """Total MACs of a model configuration without allocating its weights
    (built on the meta device); falls back to a real CPU model."""
    try:
        model = FCN8s(width=width, pad100=pad100, seed=None, device=torch.device("meta"))
        return sum(count_macs(model, height, w).values())
    except (NotImplementedError, RuntimeError):
        model = FCN8s(width=width, pad100=pad100, seed=None)
        return sum(count_macs(model, height, w).values())
