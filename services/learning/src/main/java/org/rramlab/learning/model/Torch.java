package org.rramlab.learning.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The PyTorch engine, offline, with a fixed number of intra-op threads. PyTorch allows one
 * gradient collector per process at a time, so every gradient section takes {@link #GRADIENT_LOCK}.
 */
public final class Torch {
    /** Held while a gradient collector is open: training, importance estimation, OSA. */
    public static final ReentrantLock GRADIENT_LOCK = new ReentrantLock();
    private static volatile Engine engine;

    private Torch() {}

    /** Loads the engine once. Threads take effect only on the first call in a process. */
    public static synchronized Engine engine(int threads) {
        if (engine == null) {
            System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
            try {
                engine = Engine.getEngine("PyTorch");
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                throw new IllegalStateException("cannot load the PyTorch engine: " + e.getMessage()
                        + ". The natives come from the pytorch-native-cpu jar; set OPT_OUT_TRACKING=true and"
                        + " -Dai.djl.offline=true, and check that DJL_CACHE_DIR (default ~/.djl.ai) is writable", e);
            }
        }
        return engine;
    }

    public static Engine engine() {
        return engine(Integer.getInteger("rramlab.threads", 2));
    }

    public static NDManager newManager() {
        return engine().newBaseManager();
    }
}
