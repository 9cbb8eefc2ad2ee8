package org.segstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.segstream.segmenter.model.SegmentationModel;

/**
 * CPU time of this process by stage, from the kernel's per-thread counters ({@code /proc/self/task},
 * which also sees ONNX Runtime's native pool threads that the JVM does not know), plus the CPU of the
 * child JVMs (the embedded broker). In both, the garbage collector's threads and the JIT compiler's are
 * counted apart: JIT compiling is what a freshly started JVM pays, and one that has run for a while no
 * longer does. Threads are grouped by the name the kernel shows (the Java thread name, cut to 15
 * characters). Threads that exit between two snapshots take their time with them: take the second
 * snapshot before the services close.
 */
final class CpuSampler {
    /** Stages in the order they are printed. */
    static final List<String> STAGES = List.of("ingest", "segmenter thread", "onnxruntime pool", "sink", "kafka clients",
            "jvm gc", "jvm jit", "other threads", "broker process", "broker gc", "broker jit");
    /** The stages of the child JVMs (the broker): not in this process's total. */
    private static final List<String> CHILD_STAGES = List.of("broker process", "broker gc", "broker jit");
    /** Linux reports thread times in clock ticks of 1/100 s (USER_HZ) on every mainstream build. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** CPU nanoseconds by stage of the live threads at one moment, and of the whole process (exited threads included). */
    record Snapshot(Map<String, Long> nanosByStage, long processNanos) {
        /**
         * Milliseconds of CPU by stage since {@code before}. Ingest's pool threads have exited by the second
         * snapshot (their time stays in the process total), so ingest is the process's time not found in
         * another stage's live threads.
         */
        Map<String, Double> millisSince(Snapshot before) {
            Map<String, Double> out = new LinkedHashMap<>();
            double attributed = 0;
            for (String stage : STAGES) {
                long delta = nanosByStage.getOrDefault(stage, 0L) - before.nanosByStage.getOrDefault(stage, 0L);
                double millis = Math.max(0, delta) / 1e6;
                out.put(stage, millis);
                if (!stage.equals("ingest") && !CHILD_STAGES.contains(stage)) {
                    attributed += millis;
                }
            }
            if (processNanos > 0) {
                out.put("ingest", Math.max(0, (processNanos - before.processNanos) / 1e6 - attributed));
            }
            return out;
        }
    }

    private CpuSampler() {
    }

    static Snapshot take() {
        Map<String, Long> byStage = threadNanos(Path.of("/proc/self/task"));
        // child JVMs only: the live rows' ffmpeg cameras are the benchmark's, not the pipeline's
        long broker = 0;
        long brokerGc = 0;
        long brokerJit = 0;
        for (ProcessHandle child : ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(true)).toList()) {
            broker += child.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            Map<String, Long> threads = threadNanos(Path.of("/proc", Long.toString(child.pid()), "task"));
            brokerGc += threads.getOrDefault("jvm gc", 0L);
            brokerJit += threads.getOrDefault("jvm jit", 0L);
        }
        byStage.put("broker process", Math.max(0, broker - brokerGc - brokerJit)); // the total counts exited threads too
        byStage.put("broker gc", brokerGc);
        byStage.put("broker jit", brokerJit);
        return new Snapshot(byStage, processNanos());
    }

    /** CPU nanoseconds of the live threads under {@code tasks} (a process's /proc task directory), by stage. */
    private static Map<String, Long> threadNanos(Path tasks) {
        Map<String, Long> byStage = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                String stat = read(task.resolve("stat"));
                if (stat == null) {
                    return; // exited while listing
                }
                int end = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, end);
                String[] fields = stat.substring(end + 2).split(" ");
                // after "(comm) ": state is field 3 of stat(5), utime 14 and stime 15
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                byStage.merge(stageOf(name), ticks * NANOS_PER_TICK, Long::sum);
            });
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unreadable (or the process gone): nothing from it
        }
        return byStage;
    }

    /** utime + stime of this process, exited threads included; 0 when /proc cannot be read. */
    private static long processNanos() {
        String stat = read(Path.of("/proc/self/stat"));
        if (stat == null) {
            return 0;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }

    /** The stage a thread works for, from its kernel-visible name. */
    static String stageOf(String threadName) {
        if (threadName.startsWith("segstream-inges")) {
            return "ingest";
        }
        if (threadName.startsWith("segstream-segme")) {
            return "segmenter thread"; // Kafka Streams' stream thread: JPEG decode, batching, the session.run call, PNG encode
        }
        if (threadName.startsWith("segstream-sink")) {
            return "sink";
        }
        if (threadName.startsWith("kafka-") || threadName.contains("producer") || threadName.contains("consumer")) {
            return "kafka clients";
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.startsWith("VM Thread")) {
            return "jvm gc"; // the collector's threads, and the VM thread that runs its pauses
        }
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler") || threadName.startsWith("Sweeper thread")) {
            return "jvm jit"; // compiling hot code, and sweeping the code cache of what it replaced
        }
        if (threadName.equals(SegmentationModel.LOADER_THREAD) || threadName.equals("java")) {
            // ONNX Runtime's intra-op pool threads are native threads; they inherit the name of the thread that built the session.
            return "onnxruntime pool";
        }
        return "other threads";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }
}
