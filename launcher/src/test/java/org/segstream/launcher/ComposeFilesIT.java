package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.segstream.ingest.SourcesFile;

/**
 * What can be checked of the compose stack without a Docker engine: both file sets validate
 * ({@code docker-compose config}), every image is built by the set or a pinned public image, every
 * long-running service restarts and has a health check its image can run, start-up waits for health,
 * data lives in named volumes, no credential is written in the files, and the settings and files they
 * name exist. Reads the files as {@code docker-compose config} resolves them.
 */
class ComposeFilesIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path COMPOSE = Path.of("/usr/bin/docker-compose");
    /** Debian's python3, which has PyYAML (docker-compose needs it): turns the resolved YAML into JSON. */
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final String BASE = "docker-compose.yml";
    static final String GPU = "docker-compose.gpu.yml";
    static final Pattern CREDENTIAL = Pattern.compile("^\\s*([A-Z0-9_]*(PASSWORD|SECRET|TOKEN)[A-Z0-9_]*)\\s*:\\s*(.*)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {BASE, BASE + "," + GPU})
    void everyImageIsBuiltByTheSetOrAPinnedPublicImage(String files) throws Exception {
        JsonNode services = config(files, Map.of()).path("services");
        Set<String> built = new HashSet<>();
        services.fields().forEachRemaining(s -> {
            if (s.getValue().has("build")) {
                built.add(s.getValue().path("image").asText(s.getKey()));
            }
        });
        List<String> problems = new ArrayList<>();
        services.fields().forEachRemaining(s -> {
            String image = s.getValue().path("image").asText("");
            if (s.getValue().has("build") || built.contains(image)) {
                return;
            }
            int slash = image.lastIndexOf('/');
            int colon = image.lastIndexOf(':');
            String tag = colon > slash ? image.substring(colon + 1) : "";
            if (tag.isEmpty() || tag.equals("latest")) {
                problems.add(s.getKey() + ": " + image + " is neither built by " + files + " nor pinned to a version");
            }
        });
        assertEquals(List.of(), problems);
        assertTrue(built.contains("segstream:latest"), "the set builds the services' image: " + built);
        if (files.contains(GPU)) {
            assertEquals("segstream:gpu", services.path("segmenter").path("image").asText());
            assertTrue(built.contains("segstream:gpu"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, BASE + "," + GPU})
    void longRunningServicesRestartHaveAHealthCheckTheirImageHasAndStartUpWaitsForHealth(String files) throws Exception {
        JsonNode services = config(files, Map.of()).path("services");
        Set<String> oneShots = new HashSet<>();
        services.fields().forEachRemaining(s -> s.getValue().path("depends_on").fields().forEachRemaining(d -> {
            if (d.getValue().path("condition").asText().equals("service_completed_successfully")) {
                oneShots.add(d.getKey());
            }
        }));
        assertEquals(Set.of("topics", "sample"), oneShots, "the one-shot services");
        List<String> problems = new ArrayList<>();
        services.fields().forEachRemaining(s -> {
            String name = s.getKey();
            JsonNode service = s.getValue();
            s.getValue().path("depends_on").fields().forEachRemaining(d -> {
                String wanted = oneShots.contains(d.getKey()) ? "service_completed_successfully" : "service_healthy";
                if (!d.getValue().path("condition").asText().equals(wanted)) {
                    problems.add(name + " starts after " + d.getKey() + " is " + d.getValue() + ", not " + wanted);
                }
            });
            if (oneShots.contains(name)) {
                return;
            }
            if (!service.path("restart").asText().equals("unless-stopped")) {
                problems.add(name + ": restart is '" + service.path("restart").asText() + "', not unless-stopped");
            }
            JsonNode test = service.path("healthcheck").path("test");
            if (!test.isArray() || test.isEmpty()) {
                problems.add(name + ": no healthcheck");
                return;
            }
            String command = test.get(0).asText().equals("CMD") ? test.get(1).asText() : null;
            String image = service.path("image").asText();
            if (image.startsWith("segstream:")) {
                if (!"segstream-healthy".equals(command)) {
                    problems.add(name + ": a segstream service is checked by segstream-healthy, not " + test);
                }
                if (!service.path("environment").path("SEGSTREAM_METRICS_BIND").asText().equals("0.0.0.0")) {
                    problems.add(name + ": SEGSTREAM_METRICS_BIND is not 0.0.0.0, so neither Prometheus nor its health check can reach it");
                }
            }
            if (command != null && !command.startsWith("/") && !command.equals("wget")) {
                // A command of the project's own: the Dockerfile of the image that runs it must install it.
                Path dockerfile = dockerfileOf(services, image);
                try {
                    if (dockerfile == null || !Files.readString(dockerfile).contains(command)) {
                        problems.add(name + ": its health check runs " + command + ", which " + dockerfile + " does not install");
                    }
                } catch (java.io.IOException e) {
                    problems.add(name + ": " + e);
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void dataInNamedVolumesKafkaForThisMachineAndNoCredentialInTheFiles() throws Exception {
        JsonNode services = config(BASE, Map.of()).path("services");
        assertTrue(mounts(services, "kafka", "kafka-data:/var/lib/kafka/data"), volumes(services, "kafka").toString());
        assertTrue(mounts(services, "prometheus", "prometheus-data:/prometheus"), volumes(services, "prometheus").toString());
        assertTrue(mounts(services, "grafana", "grafana-data:/var/lib/grafana"), volumes(services, "grafana").toString());
        assertEquals("/var/lib/kafka/data", services.path("kafka").path("environment").path("KAFKA_LOG_DIRS").asText());

        // docs/topics.md's kcat and Python examples connect to localhost:9092.
        JsonNode kafka = services.path("kafka");
        assertTrue(kafka.path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText().contains("HOST://localhost:9092"));
        assertTrue(kafka.path("ports").toString().contains("127.0.0.1") && kafka.path("ports").toString().contains("9092"),
                "published on this machine only: " + kafka.path("ports"));
        assertTrue(Files.readString(ROOT.resolve("docs/topics.md")).contains("localhost:9092"));

        for (String file : List.of(BASE, GPU)) {
            Matcher m = CREDENTIAL.matcher(Files.readString(ROOT.resolve(file)));
            while (m.find()) {
                assertTrue(m.group(3).startsWith("${"), file + ": " + m.group(1) + " must come from .env, not the file: " + m.group(3));
            }
        }
        for (String ignored : List.of("/.env", "/cameras.properties")) {
            assertTrue(Files.readString(ROOT.resolve(".gitignore")).lines().anyMatch(ignored::equals), ".gitignore lists " + ignored);
        }
    }

    @Test
    void theTopicsServicePassesEveryRetentionVariableAndTheFilesTheStackMountsExist() throws Exception {
        JsonNode services = config(BASE, Map.of("SEGSTREAM_FRAMES_RETENTION_MS", "1800000")).path("services");
        JsonNode topicsEnv = services.path("topics").path("environment");
        for (String topic : List.of("FRAMES", "MASKS", "STATS", "DEAD_LETTERS")) {
            for (String unit : List.of("MS", "BYTES")) {
                assertTrue(topicsEnv.has("SEGSTREAM_" + topic + "_RETENTION_" + unit), topic + " " + unit + ": " + topicsEnv);
            }
        }
        assertEquals("1800000", topicsEnv.path("SEGSTREAM_FRAMES_RETENTION_MS").asText(), "from .env or the shell");
        assertEquals("", topicsEnv.path("SEGSTREAM_MASKS_RETENTION_MS").asText(), "unset: TopicRetention's default");
        assertEquals(new TopicRetention(new TopicRetention.Limit(1_800_000, TopicRetention.DEFAULT.frames().bytes()), TopicRetention.DEFAULT.masks(),
                TopicRetention.DEFAULT.stats(), TopicRetention.DEFAULT.deadLetters()), TopicRetention.from(org.segstream.config.Settings.of(textMap(topicsEnv))),
                "what the topics service reads");

        List<String> missing = new ArrayList<>();
        services.fields().forEachRemaining(s -> {
            for (JsonNode volume : s.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("/") && !source.endsWith("/out") && !source.endsWith("/videos") && !Files.exists(Path.of(source))) {
                    missing.add(s.getKey() + ": " + source);
                }
            }
        });
        assertEquals(List.of(), missing, "bind mounts of files that are not in the repository");
        assertTrue(volumes(services, "ingest").stream().anyMatch(v -> v.endsWith("deploy/cameras.example.properties:/etc/segstream/cameras.properties:ro")),
                "the sample camera by default: " + volumes(services, "ingest"));
    }

    @Test
    void withTheExampleEnvFileTheIngestGetsTheCameraPasswordsAndYourCamerasFile() throws Exception {
        Path cameras = Files.writeString(dir.resolve("cameras.properties"), "entrance.url = rtsp://viewer:${ENTRANCE_PASSWORD}@10.0.0.5/stream1\n");
        // .env.example says SEGSTREAM_INGEST_ENV_FILE=.env; here .env is the example itself.
        JsonNode ingest = config(BASE, Map.of("SEGSTREAM_INGEST_ENV_FILE", ROOT.resolve(".env.example").toString(),
                "SEGSTREAM_CAMERAS", cameras.toString()), ROOT.resolve(".env.example")).path("services").path("ingest");
        assertEquals("change-me", ingest.path("environment").path("ENTRANCE_PASSWORD").asText(), ingest.toString());
        assertEquals("kafka:9092", ingest.path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText(), "the file's own settings win");
        assertTrue(volumes(ingest).contains(cameras + ":/etc/segstream/cameras.properties:ro"), volumes(ingest).toString());
        assertTrue(SourcesFile.load(cameras, textMap(ingest.path("environment"))).get(0).location().contains(":change-me@"),
                "the ingest's environment fills in the cameras file's ${ENTRANCE_PASSWORD}");
    }

    @Test
    void theBuildContextIsTheSourcesAndKeepsWhatTheDockerfilesCopy() throws Exception {
        List<String> ignore = Files.readString(ROOT.resolve(".dockerignore")).lines()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String excluded : List.of(".git", "**/target", "out", ".env", "cameras.properties")) {
            assertTrue(ignore.contains(excluded), ".dockerignore excludes " + excluded + ": " + ignore);
        }
        for (String dockerfile : List.of("deploy/Dockerfile", "deploy/Dockerfile.gpu")) {
            String text = Files.readString(ROOT.resolve(dockerfile));
            Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(.+) \\S+$").matcher(text);
            while (copy.find()) {
                for (String source : copy.group(1).split("\\s+")) {
                    String top = source.equals(".") ? "." : source.split("/")[0];
                    assertFalse(ignore.contains(top) || ignore.contains(source), dockerfile + " copies " + source + ", which .dockerignore leaves out");
                    assertTrue(Files.exists(ROOT.resolve(source)), dockerfile + " copies " + source + ", which is not there");
                }
            }
        }
        for (String needed : List.of("mvnw", ".mvn", "models", "pom.xml", "deploy")) {
            assertFalse(ignore.contains(needed), "the build needs " + needed);
        }
    }

    /** True if {@code service} mounts {@code volume} (SOURCE:TARGET), whatever its mode. */
    private static boolean mounts(JsonNode services, String service, String volume) {
        return volumes(services, service).stream().anyMatch(v -> v.equals(volume) || v.startsWith(volume + ":"));
    }

    private static List<String> volumes(JsonNode services, String service) {
        return volumes(services.path(service));
    }

    private static List<String> volumes(JsonNode service) {
        List<String> volumes = new ArrayList<>();
        service.path("volumes").forEach(v -> volumes.add(v.asText()));
        return volumes;
    }

    private static Map<String, String> textMap(JsonNode object) {
        Map<String, String> map = new TreeMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** The Dockerfile that builds {@code image} in this set, or null. */
    private static Path dockerfileOf(JsonNode services, String image) {
        var it = services.fields();
        while (it.hasNext()) {
            JsonNode service = it.next().getValue();
            if (service.path("image").asText().equals(image) && service.has("build")) {
                JsonNode build = service.path("build");
                Path context = Path.of(build.path("context").asText());
                return context.resolve(build.path("dockerfile").asText("Dockerfile"));
            }
        }
        return null;
    }

    private JsonNode config(String files, Map<String, String> env) throws Exception {
        return config(files, env, Files.writeString(dir.resolve("empty.env"), "")); // a developer's own .env stays out
    }

    /** {@code docker-compose -f ... config} as JSON; {@code env} as if set in the shell, {@code envFile} in place of .env. */
    private JsonNode config(String files, Map<String, String> env, Path envFile) throws Exception {
        assertTrue(Files.isExecutable(COMPOSE), "docker-compose is missing: apt-get install docker-compose");
        List<String> command = new ArrayList<>(List.of(COMPOSE.toString(), "--project-directory", ROOT.toString(), "--env-file", envFile.toString()));
        for (String file : files.split(",")) {
            command.addAll(List.of("-f", ROOT.resolve(file).toString()));
        }
        command.add("config");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("config.yml").toFile()).redirectError(dir.resolve("config.err").toFile());
        for (String name : List.of("SEGSTREAM_CAMERAS", "SEGSTREAM_INGEST_ENV_FILE", "KAFKA_HOST_PORT", "GRAFANA_ADMIN_PASSWORD")) {
            builder.environment().remove(name); // the test's own shell must not change what is checked
        }
        builder.environment().keySet().removeIf(name -> name.matches("SEGSTREAM_.*_RETENTION_.*"));
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "docker-compose config");
        assertEquals(0, p.exitValue(), files + ": " + Files.readString(dir.resolve("config.err")));
        var json = ExternalCommand.run(dir, Duration.ofSeconds(30), List.of("/bin/sh", "-c",
                PYTHON + " -c 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)' < config.yml"));
        assertEquals(0, json.exitCode(), json.describe());
        return new ObjectMapper().readTree(json.stdout());
    }
}
