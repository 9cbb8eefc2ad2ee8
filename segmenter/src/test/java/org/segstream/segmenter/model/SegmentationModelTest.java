package org.segstream.segmenter.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.ClassMap;

class SegmentationModelTest {
    static final Path MODEL = Path.of("..", "models", "fcn8s-slim.json");

    @Test
    void segmentsABatchAtAnySizeIntoClassMapsOfThatSize() throws Exception {
        try (var model = SegmentationModel.load(ModelDescriptor.read(MODEL), Device.CPU, 2)) {
            assertEquals("cpu", model.provider());
            for (int[] size : new int[][] {{17, 33}, {36, 64}, {1, 1}}) {
                int h = size[0], w = size[1], n = 3;
                ByteBuffer input = ByteBuffer.allocateDirect(n * h * w * 3).order(ByteOrder.nativeOrder());
                for (int i = 0; i < input.capacity(); i++) {
                    input.put((byte) (i * 31));
                }
                input.flip();
                ClassMap[] maps = model.segment(input, n, h, w);
                assertEquals(n, maps.length);
                for (ClassMap map : maps) {
                    assertEquals(w, map.width());
                    assertEquals(h, map.height());
                    for (byte c : map.classes()) {
                        assertTrue((c & 0xff) < 21, "class index within the 21 VOC classes");
                    }
                }
            }
        }
    }

    @Test
    void aRunThatGivesMemoryBackSegmentsTheSame() throws Exception {
        try (var model = SegmentationModel.load(ModelDescriptor.read(MODEL), Device.CPU, 2)) {
            int n = 2, h = 48, w = 80;
            ByteBuffer input = ByteBuffer.allocateDirect(n * h * w * 3).order(ByteOrder.nativeOrder());
            for (int i = 0; i < input.capacity(); i++) {
                input.put((byte) (i * 7 + i / 97));
            }
            ClassMap[] kept = model.segment(input.flip(), n, h, w);
            ClassMap[] released = model.segment(input.rewind(), n, h, w, true);
            ClassMap[] again = model.segment(input.rewind(), n, h, w);
            for (int i = 0; i < n; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(kept[i].classes(), released[i].classes());
                org.junit.jupiter.api.Assertions.assertArrayEquals(kept[i].classes(), again[i].classes());
            }
        }
    }

    @Test
    void aBatchRunAloneOnEveryThreadSegmentsAsARunOnOne() throws Exception {
        try (var model = SegmentationModel.load(ModelDescriptor.read(MODEL), Device.CPU, 1, 2, false)) {
            int n = 2, h = 48, w = 80;
            ByteBuffer input = ByteBuffer.allocateDirect(n * h * w * 3).order(ByteOrder.nativeOrder());
            for (int i = 0; i < input.capacity(); i++) {
                input.put((byte) (i * 13 + i / 61));
            }
            ClassMap[] oneThread = model.segment(input.flip(), n, h, w, false, false);
            ClassMap[] alone = model.segment(input.rewind(), n, h, w, false, true);
            for (int i = 0; i < n; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(oneThread[i].classes(), alone[i].classes());
            }
        }
    }

    @Test
    void aModelWhoseSha256DiffersIsRefused(@TempDir Path dir) throws Exception {
        Path onnx = Files.copy(MODEL.resolveSibling("fcn8s-slim.onnx"), dir.resolve("fcn8s-slim.onnx"));
        Files.writeString(dir.resolve("fcn8s-slim.json"), Files.readString(MODEL));
        Files.write(onnx, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);

        var error = assertThrows(java.io.IOException.class,
                () -> SegmentationModel.load(ModelDescriptor.read(dir.resolve("fcn8s-slim.json")), Device.CPU, 1));
        assertTrue(error.getMessage().contains("has sha256"), error.getMessage());
        assertTrue(error.getMessage().contains("refusing"), error.getMessage());
    }

    @Test
    void aDescriptorNamingAnotherInputIsRefusedWithWhatTheModelHas(@TempDir Path dir) throws Exception {
        Files.copy(MODEL.resolveSibling("fcn8s-slim.onnx"), dir.resolve("fcn8s-slim.onnx"));
        Files.writeString(dir.resolve("fcn8s-slim.json"), Files.readString(MODEL).replace("\"name\": \"image\"", "\"name\": \"pixels\"")
                .replace("\"name\":\"image\"", "\"name\":\"pixels\""));

        var error = assertThrows(java.io.IOException.class,
                () -> SegmentationModel.load(ModelDescriptor.read(dir.resolve("fcn8s-slim.json")), Device.CPU, 1));
        assertTrue(error.getMessage().contains("has no input 'pixels'; it has [image]"), error.getMessage());
    }

    @Test
    void cudaFallsBackToTheCpuWhereThereIsNoGpu() throws Exception {
        try (var model = SegmentationModel.load(ModelDescriptor.read(MODEL), Device.CUDA, 1)) {
            assertEquals("cpu", model.provider());
        }
    }
}
