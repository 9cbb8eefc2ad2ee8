package org.segstream.launcher.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes the reliability table (docs/RELIABILITY.md for the full suite) with a description of the machine. */
final class ReliabilityReport {
    private final List<ScenarioResult> rows = new ArrayList<>();
    private final Instant started = Instant.now();
    private final String loadAtStart = loadAverage();

    synchronized void add(ScenarioResult row) {
        rows.add(row);
    }

    synchronized void write(Path file, boolean full) throws IOException {
        long minutes = Math.round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 60_000.0);
        var md = new StringBuilder();
        md.append("# Reliability: fault injection\n\n");
        md.append("Regenerate this file (about ").append(Math.max(1, minutes)).append(" minutes here) with\n\n");
        md.append("```bash\n./mvnw -B verify -pl launcher -am -Preliability -DskipTests\n```\n\n");
        md.append("""
                `ReliabilityIT` runs each scenario against a real Kafka broker (KRaft, child JVM) with the real
                services as child JVMs (`./segstream ingest|segmenter|sink`, FCN-8s in ONNX Runtime, FFmpeg),
                breaks something, then a read_committed verifier (`DeliveryVerifier`, also `./segstream verify`)
                reads the frames, masks and dead-letters topics from the beginning and accounts for every frame
                by its identity (stream, session, seq) and its frames-topic position, the way Kafka's own
                TransactionsTest and StreamsEosTest do. `./mvnw verify` runs the short version (one segmenter
                kill, one sink kill, a poison record, a truncated mp4) and writes its table to
                `launcher/target/reliability/RELIABILITY-short.md`.

                Columns:
                - **frames in**: records on the scenario's frames topic other than end records (poison included).
                - **masks out**: masks on the masks topic (read_committed).
                - **dup**: masks beyond the first for one (stream, session, seq).
                - **gaps**: frames with neither a mask nor a dead letter, less (for live frames only) those the
                  segmenter counted as shed. File frames are never shed, so any missing file frame is a gap.
                - **dead letters / shed**: by reason. Shed frames leave no record on Kafka; their count is the
                  segmenter's `segstream_frames_dropped_total{reason}`, scraped before it stops, and must equal
                  the live frames without a mask or dead letter.
                - **latency**: from the frame's capture time (`segstream.ingest.ms` when ingest sets it) to the
                  mask's log-append time on the masks topic (the scenario's masks topic uses
                  `message.timestamp.type=LogAppendTime`): p50 / p95 / p99 in ms. File sources are read as
                  fast as the pipeline takes them unless paced, so their latency includes queueing.
                - **recovery**: per fault, in seconds. Segmenter kill -9 and broker kill -9 + restart: from the
                  kill (the replacement starts at once) to the first mask appended after it. Sink kill -9: from
                  the kill to the restarted sink's first written frame. Camera disconnect: from the camera being
                  back to the stream's first mask after it (ingest's reconnect backoff is part of it).
                - **peak RSS**: each service process's VmHWM (MiB), sampled from /proc every 250 ms; the broker's
                  is since the suite started.
                - **pass**: zero file frames lost or duplicated, masks in order and of their frame's size, every
                  missing live frame counted as shed, every session's end record through, every process
                  stopping within 30 s of SIGTERM, every peak RSS under 2 GiB, and the scenario's own checks
                  (listed below the table when they fail).

                """);
        md.append("## Last ").append(full ? "full" : "short").append(" run: ").append(started.truncatedTo(ChronoUnit.SECONDS))
                .append(", ").append(minutes).append(" min\n\n");
        md.append("| scenario | frames in | masks out | dup | gaps | dead letters | shed | latency p50/p95/p99 ms | recovery | peak RSS MiB | pass |\n");
        md.append("|---|---:|---:|---:|---:|---|---|---|---|---|---|\n");
        for (ScenarioResult row : rows) {
            var r = row.report;
            md.append("| ").append(row.scenario)
                    .append(" | ").append(r.framesIn())
                    .append(" | ").append(r.masksOut())
                    .append(" | ").append(r.duplicates())
                    .append(" | ").append(r.gaps())
                    .append(" | ").append(r.deadLetters()).append(reasons(r.deadLettersByReason()))
                    .append(" | ").append(r.shed()).append(reasons(r.shedByReason()))
                    .append(" | ").append(r.latency().p50Ms()).append(" / ").append(r.latency().p95Ms()).append(" / ").append(r.latency().p99Ms())
                    .append(" | ").append(row.recoveryText())
                    .append(" | ").append(row.rssText())
                    .append(" | ").append(row.passed() ? "pass" : "**FAIL**")
                    .append(" |\n");
        }
        md.append('\n');
        for (ScenarioResult row : rows) {
            if (!row.passed()) {
                md.append("- **").append(row.scenario).append("** failed: ").append(String.join("; ", row.failures)).append('\n');
            }
        }
        md.append("\n## Machine\n\n");
        md.append("- ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores visible to the JVM\n");
        md.append("- ").append(memory()).append('\n');
        md.append("- ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(System.getProperty("java.version")).append(" (").append(System.getProperty("java.vm.name")).append(")\n");
        md.append("- load average at start ").append(loadAtStart).append(", at the end ").append(loadAverage())
                .append(" (the machine is shared: the figures are not benchmarks)\n");
        md.append(keptSections(file));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    /** Sections written by hand after the generated part (from "## Hostile input" on) survive a regeneration. */
    private static String keptSections(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        String old = Files.readString(file, StandardCharsets.UTF_8);
        int kept = old.indexOf("\n## Hostile input");
        return kept < 0 ? "" : old.substring(kept);
    }

    private static String reasons(Map<String, Long> byReason) {
        if (byReason.isEmpty()) {
            return "";
        }
        var text = new StringBuilder(" (");
        byReason.forEach((reason, n) -> text.append(text.length() > 2 ? "; " : "").append(reason.replace("|", "\\|")).append(": ").append(n));
        return text.append(')').toString();
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.1f GiB RAM", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "RAM unknown";
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
