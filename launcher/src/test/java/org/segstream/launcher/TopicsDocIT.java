package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.MaskPng;
import org.segstream.contract.RecordKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.contract.VocClasses;
import org.segstream.scenes.TestClips;
import org.segstream.segmenter.model.Device;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.Waits;

/**
 * docs/topics.md's "Reading masks without segstream code" as a user runs it: the kcat one-liners and the
 * Python script, taken from the doc's code blocks, against the topics of a real run on a real broker.
 */
class TopicsDocIT {
    static final Path DOC = Path.of("..", "docs", "topics.md");
    static final String SECTION = "Reading masks without segstream code";
    static final Path MODEL = Path.of("..", "models", "fcn8s-slim.json");
    static final Path KCAT = Path.of("/usr/bin/kcat");
    /** Debian's interpreter, which has python3-confluent-kafka; the python3 first on PATH may be another one. */
    static final Path PYTHON = Path.of("/usr/bin/python3");
    /** The broker address in the doc's examples; the test puts the embedded broker's in its place. */
    static final String DOC_BOOTSTRAP = "localhost:9092";
    static final String STREAM = "cam1";
    static final int FRAMES = 10;
    static final int WIDTH = 160;
    static final int HEIGHT = 90;
    static final Duration KCAT_TIMEOUT = Duration.ofSeconds(60);
    /** Joining a group, reading, then the script's 5 idle seconds. */
    static final Duration PYTHON_TIMEOUT = Duration.ofSeconds(120);
    static final Pattern SEQ_HEADER = Pattern.compile("segstream\\.seq=(\\d+)");
    static final Pattern SIZE = Pattern.compile(" (-?\\d+) bytes$");
    /** "cam1 seq=3 160x90 background=14000 car=400" */
    static final Pattern PYTHON_LINE = Pattern.compile("(\\S+) seq=(\\d+) (\\d+x\\d+) (\\S+=\\d+(?: \\S+=\\d+)*)");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();
    static List<MarkdownBlocks.Block> blocks;
    /** Each mask's class pixel counts by seq ("background=14000 car=400"), as segstream's own PNG decoder reads them. */
    static Map<Long, String> classCounts;

    @BeforeAll
    static void runThePipeline() throws Exception {
        blocks = MarkdownBlocks.inSection(DOC, SECTION); // a doc without the section fails before the run
        Path clip = TestClips.write(dir.resolve("clip.mkv"), WIDTH, HEIGHT, FRAMES, 25);
        // Default topic names (no namespace), as the doc's examples name them; two partitions, so kcat's -e waits for both.
        var options = new PipelineRun.Options(List.of(STREAM + "=" + clip), dir.resolve("out"), MODEL, 4, false, 2, Device.CPU);
        var outcome = PipelineRun.runOn(broker.bootstrapServers(), options, new PrintStream(OutputStream.nullOutputStream()));
        RunSummary.Row row = outcome.summary().streams().get(0);
        assertEquals(FRAMES, row.framesWritten(), "the run itself did not write every frame: " + row);
        classCounts = readClassCounts();
    }


    @Test
    void kcatPrintsEveryMaskOnceWithItsKeyHeadersAndSize() throws Exception {
        var result = runKcat(Topics.MASKS.name());
        List<String> lines = result.stdoutLines();
        assertEquals(FRAMES + 1, lines.size(), "one line a mask and one for the end record: " + result.describe());
        List<Long> seqs = new ArrayList<>();
        for (String line : lines) {
            String context = "line '" + line + "' of " + result.describe();
            assertTrue(line.startsWith(STREAM + " "), "the key first: " + context);
            long seq = Long.parseLong(group(SEQ_HEADER, line, context));
            long size = Long.parseLong(group(SIZE, line, context));
            if (line.contains("segstream.kind=end")) {
                assertEquals(FRAMES, seq, "the end record's seq is the frame count: " + context);
                assertEquals(0, size, "the end record is empty: " + context);
            } else {
                assertTrue(line.contains("segstream.kind=frame") && line.contains("segstream.encoding=png"),
                        "a mask's headers: " + context);
                assertTrue(size > 0, "a mask has a PNG: " + context);
                seqs.add(seq);
            }
        }
        assertEachSeqOnce(seqs, result);
    }

    @Test
    void kcatPrintsTheStatsOfEveryMaskOnceAsJson() throws Exception {
        var result = runKcat(Topics.STATS.name());
        List<Long> seqs = new ArrayList<>();
        for (String line : result.stdoutLines()) {
            String context = "line '" + line + "' of " + result.describe();
            assertTrue(line.contains("\"classes\""), "a stats object: " + context);
            JsonNode stats = JSON.readTree(line);
            assertEquals(STREAM, stats.path("stream").asText(), context);
            long seq = stats.path("seq").asLong(-1);
            seqs.add(seq);
            var names = new TreeSet<String>();
            stats.path("classes").fieldNames().forEachRemaining(names::add);
            assertEquals(classNames(classCounts.get(seq)), names, "the classes present in mask " + seq + ": " + context);
        }
        assertEachSeqOnce(seqs, result);
    }

    @Test
    void thePythonScriptPrintsEveryMaskOnceWithItsSizeAndClassCounts() throws Exception {
        assertEquals(0, ExternalCommand.run(dir, Duration.ofSeconds(30),
                        List.of(PYTHON.toString(), "-c", "import confluent_kafka, PIL, numpy")).exitCode(),
                "Debian's Python lacks modules: apt-get install python3-confluent-kafka python3-pil python3-numpy");
        List<MarkdownBlocks.Block> python = blocks.stream().filter(b -> b.language().equals("python")).toList();
        assertEquals(1, python.size(), "one ```python block in '" + SECTION + "' of " + DOC);
        Path script = Files.writeString(dir.resolve("read_masks.py"), withBroker(python.get(0).code()));

        var result = ExternalCommand.run(dir, PYTHON_TIMEOUT, List.of(PYTHON.toString(), script.toString()));
        assertEquals(0, result.exitCode(), result.describe());
        List<Long> seqs = new ArrayList<>();
        for (String line : result.stdoutLines()) {
            String context = "line '" + line + "' of " + result.describe();
            Matcher m = PYTHON_LINE.matcher(line);
            assertTrue(m.matches(), "'stream seq=N WxH class=count ...': " + context);
            assertEquals(STREAM, m.group(1), context);
            long seq = Long.parseLong(m.group(2));
            seqs.add(seq);
            assertEquals(WIDTH + "x" + HEIGHT, m.group(3), "the mask has its frame's size: " + context);
            assertEquals(classCounts.get(seq), m.group(4), "class counts as segstream decodes mask " + seq + ": " + context);
        }
        assertEachSeqOnce(seqs, result);
    }

    /** The doc's one kcat line that reads {@code topic}, run by bash as a user would paste it. */
    private static ExternalCommand.Result runKcat(String topic) throws Exception {
        assertTrue(Files.isExecutable(KCAT), KCAT + " is missing: apt-get install kcat");
        List<String> lines = blocks.stream().filter(b -> b.language().equals("bash"))
                .flatMap(b -> b.lines().stream()).filter(l -> l.startsWith("kcat ") && l.contains(" -t " + topic + " ")).toList();
        assertEquals(1, lines.size(), "one kcat line for " + topic + " in '" + SECTION + "' of " + DOC + ": " + lines);
        String command = KCAT + withBroker(lines.get(0)).substring("kcat".length());
        var result = ExternalCommand.run(dir, KCAT_TIMEOUT, List.of("/bin/bash", "-c", command));
        assertEquals(0, result.exitCode(), result.describe());
        return result;
    }

    private static String withBroker(String code) {
        assertTrue(code.contains(DOC_BOOTSTRAP), "the doc's example names no broker " + DOC_BOOTSTRAP + ":\n" + code);
        return code.replace(DOC_BOOTSTRAP, broker.bootstrapServers());
    }

    private static String group(Pattern pattern, String line, String context) {
        Matcher m = pattern.matcher(line);
        assertTrue(m.find(), "no " + pattern + " in " + context);
        return m.group(1);
    }

    /** Exactly once: every seq of the clip, none twice, none else. */
    private static void assertEachSeqOnce(List<Long> seqs, ExternalCommand.Result result) {
        Map<Long, Long> times = seqs.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        Map<Long, Long> once = new TreeMap<>();
        LongStream.range(0, FRAMES).forEach(seq -> once.put(seq, 1L));
        assertEquals(once, times, "times each seq was printed, by seq: " + result.describe());
    }

    private static TreeSet<String> classNames(String counts) {
        var names = new TreeSet<String>();
        for (String pair : counts.split(" ")) {
            names.add(pair.substring(0, pair.indexOf('=')));
        }
        return names;
    }

    /** The reference the doc's readers are held to: the masks topic through the Java client and {@link MaskPng}. */
    private static Map<Long, String> readClassCounts() {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "topics-doc-reference",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<Long, String> bySeq = new HashMap<>();
        var ended = new AtomicBoolean();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.MASKS.name()));
            Waits.readUntil("the end record on " + Topics.MASKS.name(), Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (StreamEnd.kindOf(record.headers()) == RecordKind.END) {
                        ended.set(true);
                    } else {
                        bySeq.put(FrameIdentity.readFrom(record.headers()).seq(), countsOf(MaskPng.decode(record.value())));
                    }
                }
                return ended.get();
            });
        }
        assertTrue(ended.get(), "no end record of " + STREAM + " on " + Topics.MASKS.name() + " within 60 s; masks by seq: " + bySeq.keySet());
        return bySeq;
    }

    /** "name=count" for each class present, in class order, space separated: the doc script's format. */
    private static String countsOf(ClassMap mask) {
        long[] counts = new long[256];
        for (byte c : mask.classes()) {
            counts[c & 0xff]++;
        }
        List<String> present = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                present.add((c < VocClasses.NAMES.size() ? VocClasses.NAMES.get(c) : "class_" + c) + "=" + counts[c]);
            }
        }
        return String.join(" ", present);
    }
}
