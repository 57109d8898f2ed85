package io.voiceorder.app.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one call's tasks one at a time, in submission order, on a shared pool.
 * Everything a call owns (ledger, chunkers, flags) is touched only from here, so it needs no locks.
 * Every task runs with the call sid in the logging context.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile String callSid = "-";

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** The sid put in the logging context of every task from now on. */
    public void callSid(String sid) {
        this.callSid = sid;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            submitDrain();
        }
    }

    private void submitDrain() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // serve is stopping: the pool is gone, and so are the calls it served.
            tasks.clear();
            LOG.debug("call task dropped at shutdown");
        }
    }

    private void drain() {
        MDC.put("callSid", callSid);
        try {
            // A bounded batch keeps one busy call from starving the others sharing the pool.
            for (int i = 0; i < 256; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("call task failed", e);
                }
            }
        } finally {
            MDC.remove("callSid");
            scheduled.set(false);
            if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
                submitDrain();
            }
        }
    }
}
