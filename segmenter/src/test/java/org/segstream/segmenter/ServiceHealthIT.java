package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.Topics;
import org.segstream.service.ServiceLifecycle;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.ServiceProcess;
import org.segstream.testsupport.TestTopics;

/**
 * Health tells the truth: a standalone segmenter whose stream threads die (here: its input topic is
 * deleted under it) answers 503 on /-/healthy with the reason, and exits non-zero so a supervisor
 * restarts it, instead of a process that answers 200 while doing nothing.
 */
class ServiceHealthIT {
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    @Test
    void aSegmenterWhoseStreamsDieSays503AndExitsNonZero(@TempDir Path dir) throws Exception {
        Topics topics = Topics.defaults();
        TestTopics.create(broker.bootstrapServers(), topics, 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            int port = freePort();
            Map<String, String> env = SegmenterCrashIT.segmenterEnv(broker.bootstrapServers(), dir.resolve("state"));
            env.put("SEGSTREAM_METRICS_PORT", String.valueOf(port));
            try (var segmenter = StandaloneSegmenter.start(env, dir.resolve("segmenter.log"))) {
                URI health = URI.create("http://127.0.0.1:" + port + "/-/healthy");
                awaitStatus(health, 200, segmenter);

                admin.deleteTopics(List.of(topics.frames())).all().get();
                HttpResponse<String> unhealthy = awaitStatus(health, 503, segmenter);
                assertTrue(unhealthy.body().contains("segmenter"), unhealthy.body());
                assertEquals(ServiceLifecycle.UNHEALTHY_EXIT, segmenter.waitForExit(Duration.ofSeconds(60)),
                        "the process exits for its supervisor; log:\n" + segmenter.log());
                assertTrue(segmenter.log().contains("exiting with 1 so that a supervisor restarts it"), segmenter.log());
            }
        }
    }

    /** Polls until the endpoint answers {@code status} (while the process lives, or has just answered it). */
    private static HttpResponse<String> awaitStatus(URI uri, int status, ServiceProcess service) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var answered = new AtomicReference<HttpResponse<String>>();
        service.awaitWhileAlive(status + " from " + uri, Duration.ofSeconds(120), () -> {
            try {
                answered.set(http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
            } catch (java.io.IOException notYet) {
                return false;
            }
            return answered.get().statusCode() == status;
        });
        return answered.get();
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
