package org.segstream.launcher.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.segstream.verify.DeliveryReport;

/**
 * One row of the reliability table: a scenario's accounting, its recovery times, the services' peak
 * RSS, and what failed the pass criteria (nothing, when it passed).
 */
final class ScenarioResult {
    /** A service's peak RSS must stay under this. */
    static final long RSS_CAP_MIB = 2048;

    final String scenario;
    final DeliveryReport report;
    final List<Long> recoveryMs;
    final Map<String, Long> peakRssMiB;
    final long wallSeconds;
    final List<String> failures = new ArrayList<>();

    ScenarioResult(String scenario, DeliveryReport report, List<Long> recoveryMs, Map<String, Long> peakRssMiB,
                   List<String> problems, long wallSeconds) {
        this.scenario = scenario;
        this.report = report;
        this.recoveryMs = List.copyOf(recoveryMs);
        this.peakRssMiB = Map.copyOf(peakRssMiB);
        this.wallSeconds = wallSeconds;
        failures.addAll(problems);
        check(report.missingFile() == 0, report.missingFile() + " file frames lost (no mask, no dead letter)");
        check(report.missingUnidentified() == 0, report.missingUnidentified() + " poison records neither masked nor dead-lettered");
        check(report.duplicates() == 0, report.duplicates() + " duplicated masks");
        check(report.outOfOrder() == 0, report.outOfOrder() + " masks out of order");
        check(report.wrongSize() == 0, report.wrongSize() + " masks not of their frame's size");
        check(report.missingLive() == report.shed(), report.missingLive() + " live frames without a mask or dead letter, but "
                + report.shed() + " counted as shed");
        check(report.unfinishedSessions() == 0, report.unfinishedSessions() + " sessions never finished on the masks topic");
        check(report.framesIn() > 0, "no frames at all");
        check(peakRssMiB.containsKey("segmenter"), "the segmenter's RSS was never sampled");
        peakRssMiB.forEach((role, mib) -> check(mib < RSS_CAP_MIB, role + " peaked at " + mib + " MiB RSS (cap " + RSS_CAP_MIB + ")"));
    }

    /** Adds a scenario-specific criterion. */
    ScenarioResult check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
        }
        return this;
    }

    boolean passed() {
        return failures.isEmpty();
    }

    String recoveryText() {
        if (recoveryMs.isEmpty()) {
            return "–";
        }
        return recoveryMs.stream().map(ms -> ms < 0 ? "none" : String.format("%.1f", ms / 1000.0))
                .collect(Collectors.joining(" / ")) + " s";
    }

    String rssText() {
        return peakRssMiB.entrySet().stream().filter(e -> !e.getKey().equals("broker"))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                + (peakRssMiB.containsKey("broker") ? ", broker " + peakRssMiB.get("broker") : "");
    }

    @Override
    public String toString() {
        return scenario + ": " + (passed() ? "pass" : "FAIL " + failures) + "\n" + report.toText()
                + "recovery " + recoveryText() + ", peak RSS MiB: " + rssText();
    }
}
