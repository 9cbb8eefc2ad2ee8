package org.segstream.segmenter.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.segstream.contract.ClassMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An FCN-8s ONNX graph in an ONNX Runtime session. The graph does its own pre- and
 * post-processing (uint8 BGR NHWC in, uint8 class map out), so Java only copies bytes.
 * One session serves every stream thread: OrtSession.run is thread-safe.
 */
public final class SegmentationModel implements InferenceModel, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmentationModel.class);

    private final ModelDescriptor descriptor;
    private final OrtEnvironment env;
    private final OrtSession session;
    /** The same graph on every thread, for a batch that runs alone (null: the session has them all already). */
    private final OrtSession wideSession;
    private final String provider;
    /** A run that ends by releasing the free regions of the CPU arena (see {@link #segment(ByteBuffer, int, int, int, boolean)}). */
    private final OrtSession.RunOptions releasing;

    private SegmentationModel(ModelDescriptor descriptor, OrtEnvironment env, OrtSession session, OrtSession wideSession,
                              String provider) throws OrtException {
        this.descriptor = descriptor;
        this.env = env;
        this.session = session;
        this.wideSession = wideSession;
        this.provider = provider;
        this.releasing = new OrtSession.RunOptions();
        releasing.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
    }

    /**
     * Loads and checks a model: the file's sha256 against the descriptor, then the graph's input
     * and output names and types. Any mismatch throws with what was expected.
     */
    public static SegmentationModel load(ModelDescriptor descriptor, Device device, int intraOpThreads) throws IOException {
        return load(descriptor, device, intraOpThreads, false);
    }

    /**
     * As {@link #load(ModelDescriptor, Device, int)}; {@code spinWait}: ONNX Runtime's pool threads busy-wait after
     * each run (its own default). Off, they leave the cores to JPEG, PNG, Kafka and the encoder in a pipeline.
     */
    public static SegmentationModel load(ModelDescriptor descriptor, Device device, int intraOpThreads, boolean spinWait)
            throws IOException {
        return load(descriptor, device, intraOpThreads, 0, spinWait);
    }

    /**
     * As {@link #load(ModelDescriptor, Device, int, boolean)}; on the CPU with {@code wideThreads} above
     * {@code intraOpThreads}, a second session of the same graph on {@code wideThreads} serves a batch that runs alone
     * ({@link #segment(ByteBuffer, int, int, int, boolean, boolean)}): batches at once each take one thread, which keeps
     * the cores busiest, but a lone batch (a camera at light load) is done sooner on them all.
     */
    public static SegmentationModel load(ModelDescriptor descriptor, Device device, int intraOpThreads, int wideThreads, boolean spinWait)
            throws IOException {
        // ONNX Runtime's graph optimiser recurses deeply while it builds the session: on a 1 MiB thread stack (the
        // JVM's main thread) it overflowed the stack and killed the process with SIGSEGV, depending on nothing
        // but how the JVM was started. A thread of its own with a large stack makes the load independent of that.
        var result = new java.util.concurrent.atomic.AtomicReference<SegmentationModel>();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread loader = new Thread(null, () -> {
            try {
                result.set(loadOnThisThread(descriptor, device, intraOpThreads, wideThreads, spinWait));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, LOADER_THREAD, LOAD_STACK_BYTES);
        loader.start();
        try {
            loader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading " + descriptor.modelFile(), e);
        }
        Throwable e = failure.get();
        if (e instanceof IOException io) {
            throw io;
        } else if (e instanceof RuntimeException runtime) {
            throw runtime;
        } else if (e instanceof Error error) {
            throw error;
        }
        return result.get();
    }

    /** The name of the thread that builds the session; ONNX Runtime's pool threads, started by it, inherit the name. */
    public static final String LOADER_THREAD = "model-load";
    /** The stack of the thread that builds the ONNX Runtime session. */
    private static final long LOAD_STACK_BYTES = 64L << 20;

    private static SegmentationModel loadOnThisThread(ModelDescriptor descriptor, Device device, int intraOpThreads, int wideThreads,
                                                      boolean spinWait) throws IOException {
        ModelFileChecks.verifySha256(descriptor);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            boolean wantCuda = device != Device.CPU;
            if (wantCuda && env.getAvailableProviders().contains(OrtProvider.CUDA)) {
                try {
                    OrtSession session = createSession(env, descriptor, intraOpThreads, spinWait, true);
                    return checked(descriptor, env, session, null, "cuda");
                } catch (OrtException e) {
                    if (device == Device.CUDA) {
                        log.warn("CUDA was asked for but could not start ({}); falling back to the CPU", e.getMessage());
                    } else {
                        log.info("no usable GPU ({}); running on the CPU", e.getMessage());
                    }
                }
            } else if (device == Device.CUDA) {
                log.warn("CUDA was asked for but this ONNX Runtime build has no CUDA provider (build with -Pcuda); "
                        + "falling back to the CPU");
            }
            OrtSession session = createSession(env, descriptor, intraOpThreads, spinWait, false);
            OrtSession wide = null;
            if (wideThreads > intraOpThreads) {
                try {
                    wide = createSession(env, descriptor, wideThreads, spinWait, false);
                } catch (OrtException e) {
                    session.close();
                    throw e;
                }
            }
            return checked(descriptor, env, session, wide, "cpu");
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime cannot load " + descriptor.modelFile() + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession createSession(OrtEnvironment env, ModelDescriptor descriptor, int threads, boolean spinWait, boolean cuda)
            throws OrtException {
        try (var options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setInterOpNumThreads(1);
            if (!spinWait) {
                // ORT's pool threads busy-wait after each run by default; in a pipeline that steals the cores
                // JPEG, PNG, Kafka and the encoder need.
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            if (cuda) {
                try (var cudaOptions = new OrtCUDAProviderOptions(0)) {
                    // Heuristic cuDNN search: exhaustive search re-tunes for every new frame size.
                    cudaOptions.add("cudnn_conv_algo_search", "HEURISTIC");
                    cudaOptions.add("arena_extend_strategy", "kSameAsRequested");
                    options.addCUDA(cudaOptions);
                }
            }
            return env.createSession(descriptor.modelFile().toString(), options);
        }
    }

    private static SegmentationModel checked(ModelDescriptor d, OrtEnvironment env, OrtSession session, OrtSession wide, String provider)
            throws OrtException, IOException {
        try {
            ModelFileChecks.expectTensor(session.getInputInfo(), d.inputName(), 4, "input", d);
            ModelFileChecks.expectTensor(session.getOutputInfo(), d.outputName(), 3, "output", d);
        } catch (IOException e) {
            session.close();
            if (wide != null) {
                wide.close();
            }
            throw e;
        }
        log.info("model {} loaded from {} on {}: input '{}' uint8 NHWC BGR, output '{}' uint8 NHW",
                d.label(), d.modelFile(), provider, d.inputName(), d.outputName());
        return new SegmentationModel(d, env, session, wide, provider);
    }

    /**
     * Segments {@code n} frames of {@code height} x {@code width} packed BGR, laid out one after
     * another in {@code nhwc} (a direct buffer in native order, used without a copy).
     */
    public ClassMap[] segment(ByteBuffer nhwc, int n, int height, int width) throws OrtException {
        return segment(nhwc, n, height, width, false);
    }

    /**
     * As {@link #segment(ByteBuffer, int, int, int)}; with {@code releaseMemory}, the CPU arena gives back
     * its free regions when the run ends. The arena otherwise keeps, for the life of the process, the most
     * any run needed: one 3840x2160 frame leaves about 4.7 GB resident. The next run allocates what it
     * needs again, so this is for after an unusually large batch, not for every one.
     */
    @Override
    public ClassMap[] segment(ByteBuffer nhwc, int n, int height, int width, boolean releaseMemory) throws OrtException {
        return segment(nhwc, n, height, width, releaseMemory, false);
    }

    /** As above; {@code alone} (no other batch runs meanwhile): on every thread, where the model has a session for that. */
    @Override
    public ClassMap[] segment(ByteBuffer nhwc, int n, int height, int width, boolean releaseMemory, boolean alone) throws OrtException {
        long[] shape = {n, height, width, 3};
        OrtSession chosen = alone && wideSession != null ? wideSession : session;
        try (OnnxTensor input = OnnxTensor.createTensor(env, nhwc, shape, OnnxJavaType.UINT8);
             OrtSession.Result result = releaseMemory
                     ? chosen.run(Map.of(descriptor.inputName(), input), releasing)
                     : chosen.run(Map.of(descriptor.inputName(), input))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            long[] outShape = output.getInfo().getShape();
            if (outShape.length != 3 || outShape[0] != n || outShape[1] != height || outShape[2] != width) {
                throw new IllegalStateException("model returned shape " + java.util.Arrays.toString(outShape)
                        + " for input " + java.util.Arrays.toString(shape) + "; expected [" + n + ", " + height + ", " + width + "]");
            }
            ByteBuffer classes = output.getByteBuffer();
            int pixels = height * width;
            ClassMap[] maps = new ClassMap[n];
            for (int i = 0; i < n; i++) {
                byte[] mask = new byte[pixels];
                classes.get(mask);
                maps[i] = new ClassMap(width, height, mask);
            }
            return maps;
        }
    }

    /**
     * One inference on a blank batch before the first real one: ONNX Runtime allocates its arenas and
     * (on CUDA) picks its cuDNN algorithms for this shape, so the first frames do not pay for it.
     * Returns the time it took, in milliseconds.
     */
    public long warmUp(int n, int width, int height) throws OrtException {
        long start = System.nanoTime();
        ByteBuffer blank = ByteBuffer.allocateDirect(n * width * height * 3).order(java.nio.ByteOrder.nativeOrder());
        segment(blank, n, height, width, false, false);
        if (wideSession != null) {
            segment(blank, n, height, width, false, true);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean batchingPaysOff() {
        return !"cpu".equals(provider);
    }

    /** "cpu" or "cuda": the execution provider actually in use. */
    public String provider() {
        return provider;
    }

    @Override
    public void close() {
        releasing.close();
        try {
            if (wideSession != null) {
                wideSession.close();
            }
            session.close();
        } catch (OrtException e) {
            log.warn("closing the ONNX Runtime session: {}", e.getMessage());
        }
    }
}
