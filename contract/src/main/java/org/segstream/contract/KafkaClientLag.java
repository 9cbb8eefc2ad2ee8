package org.segstream.contract;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** Consumer lag as the Kafka clients themselves measure it ("records-lag-max" of the fetch manager). */
public final class KafkaClientLag {
    private KafkaClientLag() {
    }

    /** The largest lag, in records, over the consumers in {@code metrics} (restore consumers excluded); 0 if unknown. */
    public static double maxRecords(Map<MetricName, ? extends Metric> metrics) {
        double max = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            String client = name.tags().getOrDefault("client-id", "");
            if (name.name().equals("records-lag-max") && name.group().equals("consumer-fetch-manager-metrics")
                    && !client.contains("restore-consumer") && entry.getValue().metricValue() instanceof Double value
                    && Double.isFinite(value)) {
                max = Math.max(max, value);
            }
        }
        return max;
    }
}
