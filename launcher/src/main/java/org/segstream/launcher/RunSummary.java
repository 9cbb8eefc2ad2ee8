package org.segstream.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a run, per stream and per session: printed as a table and written as summary.json.
 * Every frame a stream sent is accounted for: {@code framesIn = segmented + shed + deadLettered}.
 */
public record RunSummary(String model, String modelVersion, String device, int batchSize, long startedMs, long endedMs, List<Row> streams) {

    /** One session of a stream: a file of a folder, or one connection of a camera. */
    public record Session(String id, String source, long startedMs, long endedMs, long frames, long framesWritten, String ended,
                   String output) {
    }

    public record Row(String stream, String source, long framesIn, long framesSegmented, long framesShed, long framesDeadLettered,
               long framesWritten, double fps, long latencyP50Ms, long latencyP99Ms, String error, List<Session> sessions) {

        /** A source that could not be used at all. */
        static Row unreadable(String stream, String source, String error) {
            return new Row(stream, source, 0, 0, 0, 0, 0, 0, -1, -1, error, List.of());
        }

        /** Frames that left ingest without a mask, a shed count or a dead letter: 0 unless something was lost. */
        long framesUnaccounted() {
            return framesIn - framesSegmented - framesShed - framesDeadLettered;
        }
    }

    void print(PrintStream out) {
        out.printf("%n%-20s %8s %9s %9s %6s %6s %9s %7s %7s %7s  %s%n", "stream", "sessions", "frames in", "segmented", "shed",
                "dead", "written", "fps", "p50 ms", "p99 ms", "note");
        for (Row r : streams) {
            String note = r.error() == null ? "" : r.error();
            if (r.framesUnaccounted() != 0) {
                note = (note.isEmpty() ? "" : note + "; ") + r.framesUnaccounted() + " frame(s) unaccounted for";
            }
            out.printf("%-20s %8d %9d %9d %6d %6d %9d %7.1f %7s %7s  %s%n", r.stream(), r.sessions().size(), r.framesIn(),
                    r.framesSegmented(), r.framesShed(), r.framesDeadLettered(), r.framesWritten(), r.fps(), ms(r.latencyP50Ms()),
                    ms(r.latencyP99Ms()), note);
            if (r.sessions().size() > 1) {
                for (Session s : r.sessions()) {
                    out.printf("  session %-26s %6d in %6d written  %s  (%s)%n", s.id(), s.frames(), s.framesWritten(),
                            s.output() == null ? s.source() : s.output(), s.ended());
                }
            }
        }
        out.printf("model %s %s on %s, batch size %d%n", model, modelVersion, device, batchSize);
    }

    void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", Instant.ofEpochMilli(startedMs).toString());
        json.put("ended", Instant.ofEpochMilli(endedMs).toString());
        Map<String, Object> modelJson = new LinkedHashMap<>();
        modelJson.put("name", model);
        modelJson.put("version", modelVersion);
        json.put("model", modelJson);
        json.put("device", device);
        json.put("batch_size", batchSize);
        json.put("streams", streams.stream().map(RunSummary::rowJson).toList());
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private static Map<String, Object> rowJson(Row r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("stream", r.stream());
        row.put("source", r.source());
        row.put("frames_in", r.framesIn());
        row.put("frames_segmented", r.framesSegmented());
        row.put("frames_shed", r.framesShed());
        row.put("frames_dead_lettered", r.framesDeadLettered());
        row.put("frames_written", r.framesWritten());
        row.put("fps", Math.round(r.fps() * 100) / 100.0);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", r.latencyP50Ms());
        latency.put("p99", r.latencyP99Ms());
        row.put("latency_ms", latency);
        row.put("error", r.error());
        row.put("sessions", r.sessions().stream().map(s -> {
            Map<String, Object> session = new LinkedHashMap<>();
            session.put("id", s.id());
            session.put("source", s.source());
            session.put("started", Instant.ofEpochMilli(s.startedMs()).toString());
            session.put("ended", Instant.ofEpochMilli(s.endedMs()).toString());
            session.put("frames", s.frames());
            session.put("frames_written", s.framesWritten());
            session.put("end_reason", s.ended());
            session.put("output", s.output());
            return session;
        }).toList());
        return row;
    }

    private static String ms(long value) {
        return value < 0 ? "-" : Long.toString(value);
    }
}
