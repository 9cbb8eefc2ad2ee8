package org.segstream.segmenter;

import java.util.ArrayList;
import java.util.List;
import org.segstream.segmenter.model.InferenceModel;

/**
 * Makes each stream thread's {@link InferenceRunner}, and stops them all before the model is closed (a session
 * must not be closed under a running batch). The service runs inference on threads of each stream thread's own;
 * TopologyTestDriver tests run it inline, so a batch's masks are there when the punctuation that ran it returns.
 */
final class InferenceThreads implements AutoCloseable {
    private final boolean ownThreads;
    private final int runs;
    private final List<InferenceRunner> runners = new ArrayList<>();

    private InferenceThreads(boolean ownThreads, int runs) {
        this.ownThreads = ownThreads;
        this.runs = runs;
    }

    /** Inference on threads of its own for each stream thread (the service), {@code runs} batches at once for each. */
    static InferenceThreads ownThreads(int runs) {
        return new InferenceThreads(true, runs);
    }

    /** Inference inside the stream thread (tests that drive the topology step by step). */
    static InferenceThreads inline() {
        return new InferenceThreads(false, 1);
    }

    /** A runner for the batcher of {@code streamThread}. */
    synchronized InferenceRunner runnerFor(InferenceModel model, Thread streamThread) {
        InferenceRunner runner = ownThreads
                // Named after its stream thread, so per-thread CPU accounting (the bench's, by the kernel's 15-character
                // thread name) counts session.run where it counted it when the stream thread called it.
                ? InferenceRunner.onOwnThreads(model, streamThread.getName() + "-inference", runs)
                : InferenceRunner.inline(model, System::nanoTime);
        runners.add(runner);
        return runner;
    }

    @Override
    public synchronized void close() {
        runners.forEach(InferenceRunner::close);
        runners.clear();
    }
}
