package io.voiceorder.bridge.rtp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one pacing scheduler of the process (bridge.md §6.5). One thread drives every call's 20 ms tick
 * from {@link System#nanoTime}: the 20 ms period is split into twenty 1 ms slots and a call joins the
 * least-loaded slot; slot {@code s} of period {@code k} is due at {@code t0 + k·20 ms + s·1 ms}
 * (absolute deadlines, so no drift accumulates). The thread parks until the next slot that has tasks,
 * then runs them. A task late by less than a period runs now; whole periods missed (GC pause,
 * overload) are reported to the task as skipped ticks and never run twice in one pass.
 * Slot membership is copy-on-write arrays, so a pass allocates nothing. Given a real-time priority, the
 * thread asks for {@code SCHED_FIFO} when it starts ({@link RealtimeScheduling}): on a busy core an ordinary
 * thread can wait a few milliseconds behind the process's own I/O threads before it runs, and every such
 * wait is a late packet for every call of the slot.
 */
public final class Pacer implements AutoCloseable {
    public static final long PERIOD_NANOS = 20_000_000L;
    public static final int SLOTS = 20;
    private static final long SLOT_NANOS = PERIOD_NANOS / SLOTS;
    private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);

    /** One call's periodic work. Must not block. */
    public interface Task {
        /**
         * @param nowNanos the monotonic time of this pass
         * @param skippedTicks whole ticks missed since the previous run (normally 0)
         */
        void tick(long nowNanos, int skippedTicks);
    }

    /** A task's membership; {@link #cancel()} removes it (idempotent). */
    public final class Handle {
        private final Task task;
        private final int slot;
        private long nextDueNanos;
        private volatile boolean cancelled;

        private Handle(Task task, int slot, long firstDueNanos) {
            this.task = task;
            this.slot = slot;
            this.nextDueNanos = firstDueNanos;
        }

        public int slot() {
            return slot;
        }

        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                remove(this);
            }
        }

        private void run(long now) {
            if (cancelled || now - nextDueNanos < 0) {
                return;
            }
            long late = now - nextDueNanos;
            int skipped = (int) (late / PERIOD_NANOS);
            nextDueNanos += (skipped + 1L) * PERIOD_NANOS;
            if (skipped > 0) {
                missedTicks.addAndGet(skipped);
            }
            try {
                task.tick(now, skipped);
            } catch (RuntimeException | Error e) {
                LOG.error("pacer task failed: {}", e.toString(), e);
            }
        }
    }

    private final Object membership = new Object();
    @SuppressWarnings("unchecked")
    private final Handle[][] slots = new Pacer.Handle[SLOTS][];
    private final AtomicLong missedTicks = new AtomicLong();
    private final Thread thread;
    private final long t0;
    private final int realtimePriority;
    private volatile boolean running = true;
    private volatile boolean realtime;
    /** Written after every membership change, read before the loop looks at the slots: publishes them. */
    private volatile int membershipVersion;

    /** A pacer on ordinary scheduling. */
    public Pacer() {
        this(0);
    }

    /** @param realtimePriority {@code SCHED_FIFO} priority (1-99) asked for the pacing thread; 0 = ordinary scheduling */
    public Pacer(int realtimePriority) {
        if (realtimePriority < 0 || realtimePriority > 99) {
            throw new IllegalArgumentException("pacer priority must be 0-99, got " + realtimePriority);
        }
        this.realtimePriority = realtimePriority;
        for (int s = 0; s < SLOTS; s++) {
            slots[s] = new Handle[0];
        }
        t0 = System.nanoTime();
        thread = new Thread(this::loop, "media-pacer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Adds a task in the least-loaded slot; its first tick is that slot's next deadline. */
    public Handle add(Task task) {
        Handle handle;
        synchronized (membership) {
            int best = 0;
            for (int s = 1; s < SLOTS; s++) {
                if (slots[s].length < slots[best].length) {
                    best = s;
                }
            }
            long now = System.nanoTime();
            long periods = Math.floorDiv(now - t0 - best * SLOT_NANOS, PERIOD_NANOS) + 1;
            handle = new Handle(task, best, t0 + periods * PERIOD_NANOS + best * SLOT_NANOS);
            Handle[] current = slots[best];
            Handle[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = handle;
            slots[best] = next;
            membershipVersion++;
        }
        LockSupport.unpark(thread);
        return handle;
    }

    private void remove(Handle handle) {
        synchronized (membership) {
            Handle[] current = slots[handle.slot];
            int n = 0;
            Handle[] next = new Handle[current.length];
            for (Handle h : current) {
                if (h != handle) {
                    next[n++] = h;
                }
            }
            slots[handle.slot] = Arrays.copyOf(next, n);
            membershipVersion++;
        }
    }

    /** Whole ticks skipped across all calls since start. */
    public long missedTicks() {
        return missedTicks.get();
    }

    /** Whether the pacing thread runs in the real-time class (false until it has started and asked). */
    public boolean realtime() {
        return realtime;
    }

    /** Tasks per slot, for the spread check. */
    public int[] slotLoads() {
        synchronized (membership) {
            int[] loads = new int[SLOTS];
            for (int s = 0; s < SLOTS; s++) {
                loads[s] = slots[s].length;
            }
            return loads;
        }
    }

    private void loop() {
        if (realtimePriority > 0) {
            RealtimeScheduling.Outcome outcome = RealtimeScheduling.enterFifo(realtimePriority);
            realtime = outcome.realtime();
            if (outcome.realtime()) {
                LOG.info("media pacer runs in the real-time class: {}", outcome.detail());
            } else {
                LOG.warn("media pacer runs at ordinary priority, RTP pacing may suffer on a busy machine: {}"
                        + " (--pacer-priority 0 silences this)", outcome.detail());
            }
        }
        long slotIndex = 0;
        while (running) {
            // Parks until the next slot that has tasks, not every slot: an idle or lightly used bridge
            // does not wake 1,000 times a second. add() wakes the thread so a new task is not missed.
            long next = nextBusySlot(slotIndex);
            long wait = t0 + next * SLOT_NANOS - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            slotIndex = next;
            long now = System.nanoTime();
            Handle[] tasks = slots[(int) (slotIndex % SLOTS)];
            for (Handle h : tasks) {
                h.run(now);
            }
            slotIndex++;
            long current = (now - t0) / SLOT_NANOS;
            if (current - slotIndex >= SLOTS) {
                // More than a period behind: visit each slot once more, then follow the clock again.
                slotIndex = current - SLOTS + 1;
            }
        }
    }

    /** The first slot index from {@code from} whose slot has tasks; {@code from + SLOTS} when none has. */
    private long nextBusySlot(long from) {
        int published = membershipVersion; // the volatile read that makes add()'s and remove()'s arrays visible here
        for (long i = from; i < from + SLOTS; i++) {
            if (slots[(int) (i % SLOTS)].length > 0) {
                return i;
            }
        }
        return from + SLOTS;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
