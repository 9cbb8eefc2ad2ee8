#!/usr/bin/python3
"""Unit tests of calibrate.py: the weights read back from an exported graph
are the exported ones, and an offset folded into score_pool3.bias is the same
offset on FCN-8s's final scores.

    /usr/bin/python3 tools/model/test_calibrate.py

Run by the segmenter module's ModelToolsPythonTest, so `./mvnw verify` covers them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import unittest

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import calibrate  # noqa: E402
from fcn8s import FCN8s  # noqa: E402


class FoldedOffsetTest(unittest.TestCase):
    def test_an_offset_on_score_pool3_is_the_same_offset_on_the_final_scores_inside_the_image(self):
        m = FCN8s(width=0.125, pad100=False, seed=3).eval()
        x = torch.randn(2, 3, 72, 104, generator=torch.Generator().manual_seed(4)) * 50
        offsets = torch.zeros(21)
        offsets[[2, 12, 15]] = torch.tensor([-1.5, -1.75, 0.5])
        with torch.no_grad():
            before = m(x)
            m.score_pool3.bias += offsets
            after = m(x)
        shift = (after - before)[:, :, 8:-8, 8:-8]  # the fixed bilinear x8 kernel sums to 1 away from the border
        torch.testing.assert_close(shift, offsets.view(1, 21, 1, 1).expand_as(shift), atol=1e-4, rtol=0)
        edge = (after - before)[:, :, :4, :]
        self.assertTrue(bool(((edge * offsets.view(1, 21, 1, 1).sign()) >= -1e-4).all()),
                        "at the border the offset is scaled down, never reversed")


class ReadBackTest(unittest.TestCase):
    def test_the_state_dict_read_from_an_export_is_the_exported_one(self):
        m = FCN8s(width=0.125, pad100=False, seed=5)
        want = {k: v.detach().clone() for k, v in m.state_dict().items()}
        with tempfile.TemporaryDirectory() as d:
            state = os.path.join(d, "w.pth")
            torch.save(want, state)
            out = os.path.join(d, "m.onnx")
            subprocess.run([sys.executable, os.path.join(HERE, "export_onnx.py"), "--width", "0.125", "--state-dict", state,
                            "--out", out], check=True, stdout=subprocess.DEVNULL)
            got = calibrate.state_dict_from_onnx(out)
        self.assertEqual(set(want), set(got))
        for k in want:
            torch.testing.assert_close(got[k], want[k], atol=0, rtol=0, msg=k)

    def test_a_graph_that_is_not_a_slim_fcn8s_is_refused_by_name(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "empty.onnx")
            import onnx
            from onnx import helper, TensorProto
            graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g",
                                      [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
            onnx.save(helper.make_model(graph), path)
            with self.assertRaises(SystemExit) as e:
                calibrate.state_dict_from_onnx(path)
            self.assertIn("not a slim FCN-8s export", str(e.exception))
            self.assertIn(path, str(e.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
