package io.voiceorder.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the command line takes from its process: the environment variables, the working directory
 * (where {@code .env} is read) and the signal that stops a long-running command.
 * Tests pass their own instead of the real process's.
 */
record ProcessContext(Map<String, String> environment, Path workingDirectory, StopSignal stopSignal) {

    static ProcessContext current() {
        return new ProcessContext(System.getenv(), Path.of("").toAbsolutePath(), StopSignal.interruptOrTerminate());
    }
}
