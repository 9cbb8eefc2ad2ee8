package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose stack's Prometheus configuration and alert rules, checked by Prometheus's own promtool
 * (Debian's package): the configuration and the rules load, and the rules' unit tests
 * (deploy/prometheus/alerts.test.yml) pass, with a test for every alert. ObservabilityIT runs the same
 * rules in a real Prometheus against real services.
 */
class PrometheusRulesIT {
    static final Path DIR = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path work;

    @Test
    void theConfigurationAndTheRulesLoad() throws Exception {
        var config = promtool("check", "config", DIR.resolve("prometheus.yml").toString());
        assertEquals(0, config.exitCode(), config.describe());
        assertTrue(config.stdout().contains("1 rule files found"), "prometheus.yml names alerts.yml: " + config.describe());
        var rules = promtool("check", "rules", DIR.resolve("alerts.yml").toString());
        assertEquals(0, rules.exitCode(), rules.describe());
    }

    @Test
    void theAlertRulesPassTheirTestsAndEveryAlertHasOne() throws Exception {
        var tests = promtool("test", "rules", DIR.resolve("alerts.test.yml").toString());
        assertEquals(0, tests.exitCode(), tests.describe());
        assertTrue(tests.stdout().contains("SUCCESS"), tests.describe());

        Set<String> alerts = all(Pattern.compile("(?m)^\\s*- alert: (\\w+)"), Files.readString(DIR.resolve("alerts.yml")));
        Set<String> tested = all(Pattern.compile("(?m)^\\s*alertname: (\\w+)"), Files.readString(DIR.resolve("alerts.test.yml")));
        assertEquals(Set.of("SegstreamCameraDown", "SegstreamLatencyHigh", "SegstreamDeadLettersRising", "SegstreamConsumerLagGrowing",
                "SegstreamTargetDown", "SegstreamServiceMissing"), alerts);
        assertEquals(alerts, tested, "every alert has a test");
    }

    private ExternalCommand.Result promtool(String... args) throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL), "promtool is missing: apt-get install prometheus");
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        return ExternalCommand.run(work, Duration.ofSeconds(60), command);
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
