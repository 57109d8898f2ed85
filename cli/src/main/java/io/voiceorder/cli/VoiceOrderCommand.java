package io.voiceorder.cli;

import io.voiceorder.app.ServerStartException;
import io.voiceorder.app.Version;
import io.voiceorder.app.config.ConfigException;
import io.voiceorder.bridge.BridgeStartException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code voiceorder}: a plain picocli main, so {@code --help} and {@code --version} answer without booting
 * Micronaut. Exit status 0 success, 1 runtime failure, 2 usage or configuration error; errors are one
 * {@code error: …} line on stderr, with the stack trace only under {@code --verbose}.
 */
@Command(name = "voiceorder",
        mixinStandardHelpOptions = true,
        versionProvider = VoiceOrderCommand.ProductVersion.class,
        usageHelpWidth = VoiceOrderCommand.HELP_WIDTH,
        description = "VoiceOrder: the AI phone line of a restaurant.",
        footer = {
            "",
            "Options default to environment variables, then to the file .env of the working directory.",
            "Exit status: 0 success, 1 runtime failure, 2 usage or configuration error."})
public final class VoiceOrderCommand implements Runnable {
    static final int HELP_WIDTH = 100;
    static final int RUNTIME_FAILURE = 1;
    static final int USAGE_ERROR = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show the stack trace of an error.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(ProcessContext.current(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Loads {@code .env}, then parses and runs {@code args}; returns the exit status. */
    static int run(ProcessContext context, PrintWriter out, PrintWriter err, String... args) {
        Map<String, String> dotEnv;
        try {
            dotEnv = DotEnv.load(context.workingDirectory());
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return USAGE_ERROR;
        }
        CommandLine commandLine = commandLine(context, dotEnv);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    static CommandLine commandLine(ProcessContext context, Map<String, String> dotEnv) {
        VoiceOrderCommand root = new VoiceOrderCommand();
        VariableDefaults defaults = new VariableDefaults(context.environment(), dotEnv);
        return new CommandLine(root)
                .addSubcommand(new ServeCommand(defaults, context.stopSignal()))
                .addSubcommand(new BridgeCommand(defaults, context.stopSignal()))
                .addSubcommand(new CallCommand(defaults, () -> System.console() != null))
                .setDefaultValueProvider(defaults)
                .setParameterExceptionHandler(VoiceOrderCommand::usageError)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(e, commandLine, root.verbose));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the command to run, e.g. 'voiceorder serve'");
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        String message = problem(e);
        commandLine.getErr().println("error: " + message + (message.endsWith(".") ? "" : ".") + " See '"
                + commandLine.getCommandSpec().qualifiedName() + " --help'.");
        return USAGE_ERROR;
    }

    /** Picocli's message, except that a stray argument is not echoed in full: it may be a misplaced secret. */
    private static String problem(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return e.getMessage();
        }
        String arg = unmatched.getUnmatched().get(0);
        if (arg.startsWith("-")) {
            return "Unknown option: '" + arg.split("=", 2)[0] + "'";
        }
        CommandLine commandLine = e.getCommandLine();
        return commandLine.getSubcommands().isEmpty()
                ? "'" + commandLine.getCommandSpec().qualifiedName() + "' takes options only, not arguments"
                : "Unknown command: '" + arg + "'";
    }

    private static int failure(Exception e, CommandLine commandLine, boolean verbose) {
        PrintWriter err = commandLine.getErr();
        if (verbose) {
            e.printStackTrace(err);
        }
        if (e instanceof ConfigException || e instanceof io.voiceorder.bridge.config.ConfigException) {
            err.println("error: " + e.getMessage());
            return USAGE_ERROR;
        }
        if (e instanceof ServerStartException || e instanceof BridgeStartException
                || e instanceof CallCommand.CallFailedException) {
            err.println("error: " + e.getMessage());
        } else {
            err.println("error: " + commandLine.getCommandName() + " failed: " + e.getClass().getSimpleName()
                    + (verbose ? "." : ". Run it again with --verbose for the details."));
        }
        return RUNTIME_FAILURE;
    }

    static final class ProductVersion implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"voiceorder " + Version.current()};
        }
    }
}
