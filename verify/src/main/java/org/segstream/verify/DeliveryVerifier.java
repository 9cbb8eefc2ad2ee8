package org.segstream.verify;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.segstream.contract.DeadLetter;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.Topics;

/**
 * The read_committed verifier of a segstream run, after Kafka's own TransactionsTest and
 * StreamsEosTest: every frame is stamped with its identity at ingest; after faults, this reads the
 * frames, masks and dead-letters topics from their beginning and counts frames in, masks out,
 * duplicates, gaps, dead letters and end-to-end latency ({@link DeliveryReport}).
 *
 * <p>Reads incrementally ({@link #catchUp}) so a test can also ask, while the pipeline runs, when the
 * first mask after a fault appeared. It joins no consumer group and commits nothing.
 */
public final class DeliveryVerifier implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final TopicTail<FramesTopicRecord> frames;
    private final TopicTail<MasksTopicRecord> masks;
    private final TopicTail<DeadLetter> deadLetters;
    private final DeliveryLedger ledger = new DeliveryLedger();

    /** {@code clientProperties}: bootstrap.servers plus any security settings, passed through unchanged. */
    public DeliveryVerifier(Map<String, Object> clientProperties, Topics topics) {
        frames = new TopicTail<>(clientProperties, Topics.FRAMES, topics.frames());
        masks = new TopicTail<>(clientProperties, Topics.MASKS, topics.masks());
        deadLetters = new TopicTail<>(clientProperties, Topics.DEAD_LETTERS, topics.deadLetters());
    }

    public static DeliveryVerifier of(String bootstrapServers, Topics topics) {
        return new DeliveryVerifier(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics);
    }

    /** Reads what was committed to the three topics since the last call. Masks first, so no mask is read before its frame's record is. */
    public synchronized void catchUp() {
        long now = System.currentTimeMillis();
        deadLetters.catchUp(ledger::deadLetter, READ_TIMEOUT);
        masks.catchUp(record -> ledger.mask(record, now), READ_TIMEOUT);
        frames.catchUp(ledger::frame, READ_TIMEOUT);
    }

    /**
     * Reads until every session ended on the frames topic has its end record on the masks topic and
     * every poison record has its dead letter (for the matching streams), or until {@code timeout};
     * returns whether it settled.
     */
    public boolean awaitSettled(Predicate<String> streams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            catchUp();
            if (settled(streams)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(500);
        }
    }

    public synchronized boolean settled(Predicate<String> streams) {
        return ledger.settled(streams);
    }

    /** When the first mask of a matching stream was appended after {@code epochMs} (epoch ms), if one was read yet. */
    public synchronized OptionalLong firstMaskAfter(long epochMs, Predicate<String> streams) {
        return ledger.firstMaskAfter(epochMs, streams);
    }

    /** The accounting of the matching streams so far; {@code shedByReason} from the segmenter's metrics. */
    public synchronized DeliveryReport report(Predicate<String> streams) {
        return ledger.report(streams);
    }

    @Override
    public void close() {
        frames.close();
        masks.close();
        deadLetters.close();
    }
}
