package org.segstream.launcher.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples, every 250 ms, the peak resident set size (VmHWM in /proc/PID/status) of every process
 * this JVM started: the broker, each segstream service by name. A window collects the peaks seen
 * while it is open (one scenario); VmHWM is the kernel's own high-water mark, so sampling only has to
 * see each process once before it exits (kills are preceded by {@link #sampleNow}).
 */
final class PeakRss implements AutoCloseable {
    private static final long MIB = 1024 * 1024;

    /** The peaks, in bytes by role, seen while the window was open. */
    static final class Window {
        private final Map<String, Long> peakBytes = new ConcurrentHashMap<>();

        /** Role ("broker", "segmenter", "sink", "ingest") to peak RSS in MiB. */
        Map<String, Long> peaksMiB() {
            Map<String, Long> mib = new TreeMap<>();
            peakBytes.forEach((role, bytes) -> mib.put(role, (bytes + MIB / 2) / MIB));
            return mib;
        }

        private void offer(String role, long bytes) {
            peakBytes.merge(role, bytes, Math::max);
        }
    }

    private final List<Window> open = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "peak-rss");
        t.setDaemon(true);
        return t;
    });

    PeakRss() {
        timer.scheduleAtFixedRate(this::sampleNow, 0, 250, TimeUnit.MILLISECONDS);
    }

    Window open() {
        var window = new Window();
        open.add(window);
        sampleNow();
        return window;
    }

    void close(Window window) {
        sampleNow();
        open.remove(window);
    }

    synchronized void sampleNow() {
        ProcessHandle.current().descendants().forEach(process -> role(process).ifPresent(role -> {
            long bytes = vmHwmBytes(process.pid());
            if (bytes > 0) {
                open.forEach(w -> w.offer(role, bytes));
            }
        }));
    }

    private static Optional<String> role(ProcessHandle process) {
        String[] args;
        try {
            // not ProcessHandle.info().arguments(): it comes back empty for these long class-path command lines
            args = new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")), StandardCharsets.UTF_8)
                    .split("\u0000");
        } catch (IOException gone) {
            return Optional.empty();
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("kafka.Kafka")) {
                return Optional.of("broker");
            }
            if (args[i].endsWith("SegstreamCli") && i + 1 < args.length) {
                return Optional.of(args[i + 1]);
            }
        }
        return Optional.empty();
    }

    private static long vmHwmBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process has exited between listing and reading
        }
        return 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
