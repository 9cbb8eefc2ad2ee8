package org.segstream.segmenter.model;

import java.util.Locale;

/** Where inference runs: {@code auto} takes CUDA when ONNX Runtime has it and a GPU answers, else the CPU. */
public enum Device {
    AUTO, CPU, CUDA;

    public static Device parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device '" + text + "' is not one of auto, cpu, cuda");
        }
    }
}
