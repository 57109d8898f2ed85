package io.voiceorder.cli;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/** Blocks a long-running command until it is asked to stop. */
@FunctionalInterface
interface StopSignal {

    void await() throws InterruptedException;

    /** After {@link #await} returned: what a further signal does while the command shuts down. No-op by default. */
    default void onNextSignal(Runnable action) {
    }

    /**
     * SIGINT (CTRL+C) or SIGTERM. Handled instead of left to the JVM's shutdown hooks so the command
     * can drain and then exit with status 0 rather than the JVM's 130/143.
     */
    static StopSignal interruptOrTerminate() {
        return new StopSignal() {
            @Override
            public void await() throws InterruptedException {
                CountDownLatch received = new CountDownLatch(1);
                Signal.handle(new Signal("INT"), signal -> received.countDown());
                Signal.handle(new Signal("TERM"), signal -> received.countDown());
                received.await();
            }

            @Override
            public void onNextSignal(Runnable action) {
                Signal.handle(new Signal("INT"), signal -> action.run());
                Signal.handle(new Signal("TERM"), signal -> action.run());
            }
        };
    }
}
