package org.segstream.launcher.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one counter from a service's Prometheus text endpoint. */
final class PrometheusScrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusScrape() {
    }

    /**
     * {@code metric}'s values summed by the value of {@code label}, over the samples whose labels
     * {@code where} accepts (a map of label to value); empty when the metric has no samples yet.
     */
    static Map<String, Long> sumByLabel(int port, String metric, String label, Predicate<Map<String, String>> where)
            throws IOException, InterruptedException {
        Map<String, Long> sums = new TreeMap<>();
        Pattern labelPair = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        for (String line : scrape(port).split("\n")) {
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher m = labelPair.matcher(line.substring(0, line.indexOf('}') + 1));
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
            if (where.test(labels)) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sums.merge(labels.getOrDefault(label, ""), Math.round(value), Long::sum);
            }
        }
        return sums;
    }

    /** The sum of all of {@code metric}'s samples, or -1 when the endpoint does not answer. */
    static long total(int port, String metric) {
        try {
            long sum = 0;
            for (String line : scrape(port).split("\n")) {
                if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                    sum += Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
            return sum;
        } catch (IOException | RuntimeException unreachable) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String scrape(int port) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("metrics on port " + port + " answered " + response.statusCode());
        }
        return response.body();
    }
}
