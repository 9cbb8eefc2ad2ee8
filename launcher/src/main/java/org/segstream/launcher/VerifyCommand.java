package org.segstream.launcher;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.segstream.config.KafkaConnection;
import org.segstream.contract.Topics;
import org.segstream.verify.DeliveryVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream verify}: the read_committed accounting of the topics (see {@link DeliveryVerifier}). */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "read_committed accounting of the topics (exit 1 on a loss or duplicate)",
        description = {"Read_committed accounting of the topics named by the usual variables (KAFKA_BOOTSTRAP_SERVERS",
                "required): frames in, masks out, duplicates, gaps, dead letters, latency."},
        footer = {"", "Exit status: 0 when clean, 1 on a lost, duplicated, out-of-order or wrongly sized mask."})
final class VerifyCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--streams", paramLabel = "PREFIX", description = "only the streams whose id starts with PREFIX")
    String prefix = "";

    @Option(names = "--wait", paramLabel = "SECONDS", description = "wait up to this long for every session's end record (default 0)")
    long waitSeconds;

    VerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        var settings = context.settings();
        var out = context.out();
        Map<String, Object> client = KafkaConnection.from(settings).clientConfig();
        String streamPrefix = prefix;
        Predicate<String> streams = stream -> stream.startsWith(streamPrefix);
        try (var verifier = new DeliveryVerifier(client, Topics.from(settings))) {
            boolean settled = verifier.awaitSettled(streams, Duration.ofSeconds(waitSeconds));
            var report = verifier.report(streams);
            out.print(report.toText());
            out.println(settled ? "every ended session has its end record on the masks topic"
                    : "not settled: a session's end record has not reached the masks topic yet");
            out.println("every frame is accounted for by a mask, a dead letter or a shed marker on the topics;"
                    + " gaps above are frames with none of them");
            boolean clean = report.gaps() == 0 && report.duplicates() == 0 && report.outOfOrder() == 0 && report.wrongSize() == 0;
            return clean ? 0 : 1;
        }
    }
}
