package io.voiceorder.bridge.rtp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Moves the calling thread into Linux's {@code SCHED_FIFO} real-time class (sched(7)), the way telephony
 * servers run their media timing: such a thread runs the moment it wakes, ahead of every ordinary thread of
 * this process (WebSocket I/O, garbage collection) and of the machine, instead of waiting for the ordinary
 * scheduler to give it a turn. It needs root, {@code CAP_SYS_NICE}, or an {@code RLIMIT_RTPRIO} at least the
 * priority asked (systemd's {@code LimitRTPRIO=}); the kernel keeps 5 % of each second for ordinary
 * threads ({@code sched_rt_runtime_us}), so a real-time thread that never sleeps cannot take the machine.
 */
public final class RealtimeScheduling {
    static final int SCHED_FIFO = 1;
    private static final int EPERM = 1;
    private static final int EINVAL = 22;

    /** What was asked and what the kernel said; {@code detail} says why not when {@code realtime} is false. */
    public record Outcome(boolean realtime, int priority, String detail) {
    }

    private interface CLibrary extends Library {
        int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;
    }

    private RealtimeScheduling() {
    }

    /**
     * Puts the calling thread (only it: pid 0 is the caller's thread on Linux) in {@code SCHED_FIFO} at
     * {@code priority} (1-99). Never throws: a refusal leaves the thread as it was and says why.
     */
    public static Outcome enterFifo(int priority) {
        if (!Platform.isLinux()) {
            return new Outcome(false, priority, "real-time scheduling is used on Linux only");
        }
        try {
            CLibrary libc = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
            libc.sched_setscheduler(0, SCHED_FIFO, new int[] {priority});
            return new Outcome(true, priority, "SCHED_FIFO priority " + priority);
        } catch (LastErrorException e) {
            return new Outcome(false, priority, switch (e.getErrorCode()) {
                case EPERM -> "not permitted: needs root, CAP_SYS_NICE or LimitRTPRIO=" + priority + " (systemd)";
                case EINVAL -> "priority " + priority + " refused by the kernel (SCHED_FIFO takes 1-99)";
                default -> "sched_setscheduler failed with errno " + e.getErrorCode();
            });
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Outcome(false, priority, "the C library could not be reached: " + e.getMessage());
        }
    }
}
