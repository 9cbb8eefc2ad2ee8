package org.segstream.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The per-stream result of a run: printed as a table and written as summary.json. */
record RunSummary(String model, String device, int batchSize, List<Row> streams) {

    record Row(String stream, String source, long framesIn, long framesSegmented, long framesWritten,
               long framesDropped, double fps, long latencyP50Ms, long latencyP99Ms, String error) {
    }

    void print(PrintStream out) {
        out.printf("%n%-20s %9s %9s %9s %8s %8s %9s %9s  %s%n", "stream", "frames in", "segmented", "written",
                "dropped", "fps", "p50 ms", "p99 ms", "note");
        for (Row r : streams) {
            out.printf("%-20s %9d %9d %9d %8d %8.1f %9s %9s  %s%n", r.stream(), r.framesIn(), r.framesSegmented(),
                    r.framesWritten(), r.framesDropped(), r.fps(), ms(r.latencyP50Ms()), ms(r.latencyP99Ms()),
                    r.error() == null ? "" : r.error());
        }
        out.printf("model %s on %s, batch size %d%n", model, device, batchSize);
    }

    void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model);
        json.put("device", device);
        json.put("batch_size", batchSize);
        json.put("streams", streams.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stream", r.stream());
            row.put("source", r.source());
            row.put("frames_in", r.framesIn());
            row.put("frames_segmented", r.framesSegmented());
            row.put("frames_written", r.framesWritten());
            row.put("frames_dropped", r.framesDropped());
            row.put("fps", Math.round(r.fps() * 100) / 100.0);
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("p50", r.latencyP50Ms());
            latency.put("p99", r.latencyP99Ms());
            row.put("latency_ms", latency);
            row.put("error", r.error());
            return row;
        }).toList());
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private static String ms(long value) {
        return value < 0 ? "-" : Long.toString(value);
    }
}
