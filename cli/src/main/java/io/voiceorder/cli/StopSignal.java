package io.voiceorder.cli;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/** Blocks a long-running command until it is asked to stop. */
@FunctionalInterface
interface StopSignal {

    void await() throws InterruptedException;

    /**
     * SIGINT (CTRL+C) or SIGTERM. Handled instead of left to the JVM's shutdown hooks so the command
     * can drain and then exit with status 0 rather than the JVM's 130/143.
     */
    static StopSignal interruptOrTerminate() {
        return () -> {
            CountDownLatch received = new CountDownLatch(1);
            Signal.handle(new Signal("INT"), signal -> received.countDown());
            Signal.handle(new Signal("TERM"), signal -> received.countDown());
            received.await();
        };
    }
}
