package org.segstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resident memory (VmRSS in {@code /proc/PID/status}) of this JVM and of the JVMs it started (the
 * embedded broker), in MiB. Other children (the benchmark's ffmpeg cameras) are not segstream's and are
 * left out. Linux only: elsewhere the map holds no process.
 */
final class ProcessRss {
    /** Name of this JVM's column: ingest, the segmenter and the sink run in it. */
    static final String THIS_JVM = "segstream JVM";

    private ProcessRss() {
    }

    /** By process name ("segstream JVM", "broker JVM (pid N)"): resident MiB now. */
    static Map<String, Double> sample() {
        Map<String, Double> rss = new LinkedHashMap<>();
        put(rss, THIS_JVM, ProcessHandle.current().pid());
        ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false))
                .forEach(p -> put(rss, "broker JVM (pid " + p.pid() + ")", p.pid()));
        return rss;
    }

    private static void put(Map<String, Double> rss, String name, long pid) {
        double mib = residentMib(pid);
        if (mib >= 0) {
            rss.put(name, mib);
        }
    }

    /** VmRSS of {@code pid} in MiB, or -1 when it cannot be read (exited, not Linux). */
    static double residentMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // "VmRSS:   123456 kB"
                }
            }
        } catch (IOException | NumberFormatException e) {
            // exited between listing and reading, or no /proc
        }
        return -1;
    }

    /** Least-squares slope of {@code values} (MiB) over {@code seconds}, in MiB per hour; 0 with fewer than two points. */
    static double slopeMibPerHour(double[] seconds, double[] values) {
        int n = seconds.length;
        if (n < 2) {
            return 0;
        }
        double meanT = 0;
        double meanV = 0;
        for (int i = 0; i < n; i++) {
            meanT += seconds[i] / n;
            meanV += values[i] / n;
        }
        double cov = 0;
        double var = 0;
        for (int i = 0; i < n; i++) {
            cov += (seconds[i] - meanT) * (values[i] - meanV);
            var += (seconds[i] - meanT) * (seconds[i] - meanT);
        }
        return var == 0 ? 0 : cov / var * 3600;
    }
}
