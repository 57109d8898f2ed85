package io.voiceorder.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs {@code voiceorder} in-process with a given environment and working directory, capturing its output. */
final class Cli {
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final StopSignal stopSignal;

    Cli(Map<String, String> environment, Path workingDirectory, StopSignal stopSignal) {
        this.environment = environment;
        this.workingDirectory = workingDirectory;
        this.stopSignal = stopSignal;
    }

    Cli(Map<String, String> environment, Path workingDirectory) {
        this(environment, workingDirectory, () -> {
            throw new AssertionError("this test does not expect serve to start");
        });
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = VoiceOrderCommand.run(context(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    ProcessContext context() {
        return new ProcessContext(environment, workingDirectory, stopSignal);
    }

    record Result(int status, String out, String err) {
    }
}
