package org.segstream.launcher;

import java.util.ArrayList;
import java.util.List;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Setting;
import org.segstream.contract.Topics;
import org.segstream.service.MetricsServer;
import org.segstream.ingest.IngestConfig;
import org.segstream.segmenter.SegmenterSettings;
import org.segstream.sink.SinkSettings;
import org.segstream.video.FfmpegLog;

/** Every environment variable segstream reads, as each service declares it (README.md's table lists the same). */
final class EnvironmentVariables {
    /** The Kafka client settings, one variable each: {@code KAFKA_CLIENT_} and the setting's name. */
    static final String KAFKA_CLIENT_PATTERN = KafkaConnection.CLIENT_PREFIX + "*";

    private EnvironmentVariables() {
    }

    static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(KafkaConnection.SETTINGS);
        all.addAll(Topics.SETTINGS);
        all.addAll(TopicRetention.SETTINGS);
        all.addAll(MetricsServer.SETTINGS);
        all.add(FfmpegLog.LEVEL);
        all.addAll(IngestConfig.SETTINGS);
        all.addAll(SegmenterSettings.ALL);
        all.addAll(SinkSettings.ALL);
        return all;
    }

    /** The names, {@link #KAFKA_CLIENT_PATTERN} among them. */
    static List<String> names() {
        List<String> names = new ArrayList<>(all().stream().map(Setting::name).distinct().toList());
        names.add(KAFKA_CLIENT_PATTERN);
        return names;
    }
}
