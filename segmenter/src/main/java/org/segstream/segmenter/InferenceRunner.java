package org.segstream.segmenter;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.segstream.contract.ClassMap;
import org.segstream.segmenter.model.InferenceModel;

/**
 * Runs one {@link FrameBatcher}'s batches through the model. On threads of its own (the service), one per run at
 * once: the stream thread hands a packed batch over and goes on reading records, decoding the next batch and
 * encoding the previous one's masks while ONNX Runtime computes, so the cores do not idle between batches and a
 * file backlog being read never holds a camera's records back behind inference. With several runs, batches finish
 * in any order; each stream's masks still leave in its order ({@link StreamOrder}). Or inline (tests on a simulated
 * clock): the batch runs inside {@link #submit}.
 *
 * <p>Only the model's input and output cross threads: the batch's {@link PendingFrame}s are touched by the stream
 * thread alone, which applies the results when it {@link #collect}s them. Confined to the stream thread apart from
 * that hand-over.
 */
final class InferenceRunner implements AutoCloseable {
    /** A packed batch: its frames (in the buffer's order), the buffer, and the tensor's shape. */
    record Job(List<PendingFrame> frames, ModelInputBuffer buffer, ByteBuffer nhwc, int height, int width, boolean releaseMemory) {
        long pixels() {
            return (long) frames.size() * height * width;
        }
    }

    /** A batch run: its masks (one per frame), or the error that failed it, and how long inference took. */
    record Done(Job job, ClassMap[] masks, Exception error, long nanos) {
    }

    private final InferenceModel model;
    private final LongSupplier nanoClock;
    private final ExecutorService thread; // null: inline
    private final int runs;
    private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final ArrayDeque<ModelInputBuffer> freeBuffers = new ArrayDeque<>();
    private int inFlight;
    private long pixelsInFlight;
    /** Batches inside the model now (on the runner's threads). */
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    private InferenceRunner(InferenceModel model, LongSupplier nanoClock, ExecutorService thread, int runs) {
        this.model = model;
        this.nanoClock = nanoClock;
        this.thread = thread;
        this.runs = runs;
    }

    /** Batches run inside {@link #submit}, timed by {@code nanoClock} (the clock a test's model of known speed advances). */
    static InferenceRunner inline(InferenceModel model, LongSupplier nanoClock) {
        return new InferenceRunner(model, nanoClock, null, 1);
    }

    /** Batches run one at a time on a daemon thread named {@code name}. */
    static InferenceRunner onOwnThread(InferenceModel model, String name) {
        return onOwnThreads(model, name, 1);
    }

    /** Up to {@code runs} batches at once, each on a daemon thread named {@code name}. */
    static InferenceRunner onOwnThreads(InferenceModel model, String name, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs at once " + runs + " must be at least 1");
        }
        ExecutorService executor = Executors.newFixedThreadPool(runs, task -> {
            var thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        return new InferenceRunner(model, System::nanoTime, executor, runs);
    }

    /** Batches the model runs at once (1 inline). */
    int runs() {
        return runs;
    }

    /** Whether a batch of several frames costs the model less per frame than one frame at a time. */
    boolean batchingPaysOff() {
        return model.batchingPaysOff();
    }

    /** Frames' pixels in the batches submitted and not yet collected: what bounds inference memory. */
    long pixelsInFlight() {
        return pixelsInFlight;
    }

    /** Batches submitted and not yet collected. */
    int inFlight() {
        return inFlight;
    }

    boolean inline() {
        return thread == null;
    }

    /** A buffer for the next batch's input: none that a submitted batch still uses. */
    ModelInputBuffer buffer() {
        ModelInputBuffer free = freeBuffers.pollFirst();
        return free != null ? free : new ModelInputBuffer();
    }

    /** Hands the batch over; inline, it has run when this returns (and is waiting to be collected). */
    void submit(Job job) {
        inFlight++;
        pixelsInFlight += job.pixels();
        if (thread == null) {
            done.add(run(job));
        } else {
            thread.execute(() -> done.add(run(job)));
        }
    }

    private Done run(Job job) {
        long start = nanoClock.getAsLong();
        boolean alone = running.incrementAndGet() == 1;
        try {
            ClassMap[] masks = model.segment(job.nhwc(), job.frames().size(), job.height(), job.width(), job.releaseMemory(), alone);
            return new Done(job, masks, null, nanoClock.getAsLong() - start);
        } catch (Exception e) {
            return new Done(job, null, e, nanoClock.getAsLong() - start);
        } catch (Throwable e) {
            return new Done(job, null, new IllegalStateException(e), nanoClock.getAsLong() - start);
        } finally {
            running.decrementAndGet();
        }
    }

    /** The batches that finished since the last call, oldest first; never blocks. */
    List<Done> collect() {
        List<Done> finished = new ArrayList<>();
        done.drainTo(finished);
        release(finished);
        return finished;
    }

    /** Waits for the oldest batch in flight to finish and returns it with any others finished by then. */
    List<Done> awaitNext() throws InterruptedException {
        List<Done> finished = new ArrayList<>();
        if (inFlight > 0) {
            finished.add(done.take());
            done.drainTo(finished);
        }
        release(finished);
        return finished;
    }

    private void release(List<Done> finished) {
        inFlight -= finished.size();
        for (Done d : finished) {
            pixelsInFlight -= d.job().pixels();
            freeBuffers.addLast(d.job().buffer());
        }
    }

    /** Stops the threads once the batches they run are done (the model may be closed after this returns). */
    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
