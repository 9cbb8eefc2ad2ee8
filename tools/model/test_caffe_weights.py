#!/usr/bin/python3
"""Unit tests of caffe_weights.py: the variants of published FCN-8s
conversions it accepts, and the messages for what it refuses.

    /usr/bin/python3 tools/model/test_caffe_weights.py

Run by the segmenter module's CaffeWeightsParityTest, so `./mvnw verify`
covers them.
"""

from __future__ import annotations

import os
import sys
import tempfile
import unittest
from collections import OrderedDict

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import caffe_weights  # noqa: E402
from caffe_weights import WeightsError, normalise  # noqa: E402
from fcn8s import FCN8s  # noqa: E402

WIDTH = 0.125  # 8/16/32/64/64 channels, 512-wide fc layers


def exact(width: float = WIDTH, seed: int = 0) -> "OrderedDict[str, torch.Tensor]":
    gen = torch.Generator().manual_seed(seed)
    return OrderedDict((k, torch.randn(shape, generator=gen))
                       for k, shape in caffe_weights.expected_shapes(width).items())


class Marker:
    """A class a weights-only unpickler must refuse."""


class NormaliseTest(unittest.TestCase):
    def assert_same(self, got, want):
        self.assertEqual(list(got), list(want))
        for k in want:
            self.assertEqual(got[k].dtype, torch.float32, k)
            self.assertTrue(torch.equal(got[k], want[k].to(torch.float32)), k)

    def assert_refused(self, state, *fragments, scaling="none"):
        with self.assertRaises(WeightsError) as caught:
            normalise(state, scaling)
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        return str(caught.exception)

    def test_published_full_width_shapes(self):
        shapes = caffe_weights.expected_shapes(1.0)
        self.assertEqual(len(shapes), 2 * 18 + 3)  # 13 + fc6, fc7 + 3 score convolutions with bias; 3 deconvolutions without
        self.assertEqual(shapes["conv1_1.weight"], (64, 3, 3, 3))
        self.assertEqual(shapes["conv5_3.weight"], (512, 512, 3, 3))
        self.assertEqual(shapes["fc6.weight"], (4096, 512, 7, 7))
        self.assertEqual(shapes["fc7.weight"], (4096, 4096, 1, 1))
        self.assertEqual(shapes["score_fr.weight"], (21, 4096, 1, 1))
        self.assertEqual(shapes["score_pool4.weight"], (21, 512, 1, 1))
        self.assertEqual(shapes["score_pool3.weight"], (21, 256, 1, 1))
        self.assertEqual(shapes["upscore2.weight"], (21, 21, 4, 4))
        self.assertEqual(shapes["upscore_pool4.weight"], (21, 21, 4, 4))
        self.assertEqual(shapes["upscore8.weight"], (21, 21, 16, 16))
        for layer in caffe_weights.DECONV_LAYERS:
            self.assertNotIn(f"{layer}.bias", shapes)
        # VGG16 convolutions 14,714,688 + fc6 102,764,544 + fc7 16,781,312 + scores 102,207 + deconvolutions 127,008
        self.assertEqual(sum(torch.Size(s).numel() for s in shapes.values()), 134_489_759)

    def test_full_width_linear_fc6_is_reshaped(self):
        linear = torch.empty(4096, 25088, device="meta")
        fitted = caffe_weights._fit_shape(linear, (4096, 512, 7, 7))
        self.assertEqual(tuple(fitted.shape), (4096, 512, 7, 7))

    def test_exact_layout_loads_unchanged_and_width_comes_from_conv1_1(self):
        state = exact()
        out, width, notes = normalise(state)
        self.assert_same(out, state)
        self.assertEqual(width, WIDTH)
        self.assertEqual(notes, [])
        FCN8s(width=width, pad100=True, seed=None).load_state_dict(out, strict=True)

    def test_module_prefix_and_checkpoint_wrapper(self):
        state = exact()
        wrapped = {"epoch": 7, "arch": "FCN8s",
                   "model_state_dict": OrderedDict(("module." + k, v) for k, v in state.items())}
        out, _, notes = normalise(wrapped)
        self.assert_same(out, state)
        self.assertTrue(any("model_state_dict" in n for n in notes), notes)
        self.assertTrue(any("module." in n for n in notes), notes)

    def test_hyphenated_caffe_names(self):
        state = exact()
        hyphens = OrderedDict((k.replace("score_pool", "score-pool").replace("score_fr", "score-fr"), v)
                              for k, v in state.items())
        out, _, _ = normalise(hyphens)
        self.assert_same(out, state)

    def test_linear_shaped_fc_and_score_layers_are_reshaped(self):
        state = exact()
        variant = OrderedDict(state)
        for layer in ("fc6", "fc7", "score_fr"):
            w = state[f"{layer}.weight"]
            variant[f"{layer}.weight"] = w.reshape(w.shape[0], -1).clone()
        self.assertEqual(list(variant["fc6.weight"].shape), [512, 64 * 7 * 7])
        out, _, notes = normalise(variant)
        self.assert_same(out, state)
        self.assertIn("reshaped fc6.weight from [512, 3136] to [512, 64, 7, 7]", notes)

    def test_old_caffe_blob_shapes_and_other_float_types(self):
        state = exact()
        variant = OrderedDict(state)
        variant["fc7.weight"] = state["fc7.weight"].reshape(1, 1, 512, 512).double()
        variant["fc7.bias"] = state["fc7.bias"].reshape(1, 1, 1, 512).half()
        out, _, notes = normalise(variant)
        self.assertTrue(torch.equal(out["fc7.weight"], state["fc7.weight"]))
        self.assertTrue(torch.equal(out["fc7.bias"], state["fc7.bias"].half().float()))
        self.assertIn("converted fc7.bias from torch.float16 to float32", notes)

    def test_zero_deconvolution_biases_are_dropped_nonzero_refused(self):
        state = exact()
        variant = OrderedDict(state)
        for layer in caffe_weights.DECONV_LAYERS:
            variant[f"{layer}.bias"] = torch.zeros(21)
        out, _, notes = normalise(variant)
        self.assert_same(out, state)
        self.assertIn("dropped upscore8.bias (all zero; Caffe's deconvolutions have no bias)", notes)
        variant["upscore2.bias"] = torch.full((21,), 0.5)
        self.assert_refused(variant, "upscore2.bias: non-zero bias on a deconvolution")

    def test_atonce_scaling_is_folded_into_the_score_layers(self):
        state = exact()
        out, _, notes = normalise(state, "atonce")
        self.assertTrue(torch.allclose(out["score_pool4.weight"], state["score_pool4.weight"] * 0.01))
        self.assertTrue(torch.allclose(out["score_pool3.weight"], state["score_pool3.weight"] * 0.0001))
        self.assertTrue(torch.equal(out["score_pool4.bias"], state["score_pool4.bias"]))
        self.assertTrue(torch.equal(out["score_fr.weight"], state["score_fr.weight"]))
        self.assertTrue(any("at-once" in n for n in notes), notes)
        # The folded layer computes what the at-once net computes on a scaled pool4.
        pool4 = torch.randn(1, 64, 5, 6)
        conv = torch.nn.Conv2d(64, 21, 1)
        conv.load_state_dict({"weight": state["score_pool4.weight"], "bias": state["score_pool4.bias"]})
        folded = torch.nn.Conv2d(64, 21, 1)
        folded.load_state_dict({"weight": out["score_pool4.weight"], "bias": out["score_pool4.bias"]})
        with torch.no_grad():
            self.assertTrue(torch.allclose(folded(pool4), conv(pool4 * 0.01), atol=1e-6))

    def test_missing_and_unexpected_keys_are_all_named(self):
        state = exact()
        del state["conv3_2.bias"]
        del state["fc6.weight"]
        state["score_pool4_extra.weight"] = torch.zeros(3)
        message = self.assert_refused(
            state,
            "conv3_2.bias: missing (expected shape [32])",
            "fc6.weight: missing (expected shape [512, 64, 7, 7] (or Linear-shaped [512, 3136]))",
            "score_pool4_extra.weight: unexpected key (shape [3])",
            "3 problems")
        self.assertIn("width 0.125", message)

    def test_caffe_scale_layers_of_the_atonce_model_are_folded_as_stored(self):
        state = exact()
        dump = OrderedDict(state)
        dump["scale_pool4.weight"] = torch.full((64,), 0.01)  # Caffe Scale: one value per pool4 channel
        dump["scale_pool3.weight"] = torch.tensor([0.0001])    # or a single value
        out, _, notes = normalise(dump)
        self.assertTrue(torch.allclose(out["score_pool4.weight"], state["score_pool4.weight"] * 0.01))
        self.assertTrue(torch.allclose(out["score_pool3.weight"], state["score_pool3.weight"] * 0.0001))
        self.assertIn("folded the file's scale_pool4.weight (0.01) into score_pool4.weight (at-once model)", notes)
        per_channel = torch.linspace(0.5, 2.0, 64)
        dump["scale_pool4.weight"] = per_channel
        out, _, _ = normalise(dump)
        self.assertTrue(torch.allclose(out["score_pool4.weight"],
                                       state["score_pool4.weight"] * per_channel.view(1, -1, 1, 1)))
        self.assert_refused(dump, "drop --caffe-scaling atonce", scaling="atonce")
        del dump["scale_pool3.weight"]
        self.assert_refused(dump, "only one of scale_pool4.weight / scale_pool3.weight")
        dump["scale_pool3.weight"] = torch.ones(5)
        self.assert_refused(dump, "scale_pool3.weight: expected 1 or 32 values")

    def test_wrong_shapes_name_key_expected_and_actual(self):
        state = exact()
        state["fc7.weight"] = torch.zeros(512, 256, 1, 1)
        state["score_fr.weight"] = torch.zeros(60, 512, 1, 1)  # PASCAL-Context, not VOC
        state["conv2_1.weight"] = torch.zeros(16, 8, 3, 3).transpose(0, 1).contiguous()  # same numel, wrong layout
        self.assert_refused(
            state,
            "fc7.weight: expected shape [512, 512, 1, 1], got [512, 256, 1, 1]",
            "score_fr.weight: expected shape [21, 512, 1, 1] (21 PASCAL VOC classes), got [60, 512, 1, 1]",
            "conv2_1.weight: expected shape [16, 8, 3, 3] (or Linear-shaped [16, 72]), got [8, 16, 3, 3]")

    def test_width_mismatch_between_layers(self):
        state = exact()
        full = caffe_weights.expected_shapes(1.0)
        state["conv1_1.weight"] = torch.zeros(full["conv1_1.weight"])
        self.assert_refused(state, "conv1_1.bias: expected shape [64], got [8]", "width 1 from conv1_1.weight")

    def test_no_conv1_1_and_non_tensors(self):
        self.assert_refused({"features.0.weight": torch.zeros(64, 3, 3, 3)}, "no conv1_1.weight")
        self.assert_refused({"conv1_1.weight": [1, 2]}, "conv1_1.weight: expected a tensor, got list")
        self.assert_refused([1, 2, 3], "expected a state dict")
        self.assert_refused(exact(), "is not one of none, atonce", scaling="staged")


class LoadFileTest(unittest.TestCase):
    def test_torch_save_and_npz_round_trip(self):
        state = exact()
        with tempfile.TemporaryDirectory() as tmp:
            pth = os.path.join(tmp, "w.pth")
            torch.save(state, pth)
            out, _, _ = normalise(caffe_weights.load_file(pth))
            self.assertTrue(all(torch.equal(out[k], state[k]) for k in state))
            import numpy as np
            npz = os.path.join(tmp, "w.npz")
            np.savez(npz, **{k: v.numpy() for k, v in state.items()})
            out, _, _ = normalise(caffe_weights.load_file(npz))
            self.assertTrue(all(torch.equal(out[k], state[k]) for k in state))

    def test_arbitrary_pickles_need_trust(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "evil.pth")
            torch.save({"conv1_1.weight": torch.zeros(1), "payload": Marker()}, path)
            with self.assertRaises(WeightsError) as caught:
                caffe_weights.load_file(path)
            self.assertIn("weights_only=True", str(caught.exception))
            self.assertIn("--trust-pickle", str(caught.exception))
            self.assertIsInstance(caffe_weights.load_file(path, trust_pickle=True)["payload"], Marker)

    def test_missing_file(self):
        with self.assertRaises(WeightsError) as caught:
            caffe_weights.load_file("/nonexistent/fcn8s.pth")
        self.assertIn("no such file", str(caught.exception))


if __name__ == "__main__":
    torch.set_num_threads(1)
    unittest.main(verbosity=1)
