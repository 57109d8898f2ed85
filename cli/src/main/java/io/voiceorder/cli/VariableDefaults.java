package io.voiceorder.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;

import java.lang.reflect.AnnotatedElement;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves an option declared with {@code defaultValue = "${env:NAME}"} or {@code "${env:NAME:-fallback}"}
 * through the environment first, then {@code .env}, then the fallback; a blank value counts as unset.
 * Picocli would read {@code ${env:…}} from the real process environment only; this provider answers
 * first, from the maps it is given, so {@code .env} takes part and tests can pass their own environment.
 */
final class VariableDefaults implements IDefaultValueProvider {
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?}");

    private final Map<String, String> environment;
    private final Map<String, String> dotEnv;

    VariableDefaults(Map<String, String> environment, Map<String, String> dotEnv) {
        this.environment = environment;
        this.dotEnv = dotEnv;
    }

    /** The variable named by an option's {@code ${env:NAME}} default, if it has one. */
    static Optional<String> variableOf(ArgSpec arg) {
        return envDefault(arg).map(m -> m.group(1));
    }

    /**
     * The option's value when no flag gives it: the variable from the environment, else from {@code .env},
     * else the fallback, else empty (unset). Taken literally: picocli interpolates what {@link #defaultValue}
     * returns (a {@code ${…}} inside a secret would be rewritten), so serve reads values from here.
     */
    Optional<String> resolve(ArgSpec arg) {
        return envDefault(arg).map(m -> firstSet(environment.get(m.group(1)), dotEnv.get(m.group(1)), m.group(2)));
    }

    /** A variable no single option declares (list variables such as {@code BRIDGE_PARAMS}): environment, then .env; null if unset. */
    String variable(String name) {
        String v = firstSet(environment.get(name), dotEnv.get(name));
        return v.isEmpty() ? null : v;
    }

    /** For {@code ${DEFAULT-VALUE}} in the help and the option fields; null keeps an option's own default. */
    @Override
    public String defaultValue(ArgSpec arg) {
        return resolve(arg).orElse(null);
    }

    /** Matches the option's default as written in its annotation, before picocli interpolates it. */
    private static Optional<Matcher> envDefault(ArgSpec arg) {
        if (!(arg.userObject() instanceof AnnotatedElement element) || element.getAnnotation(Option.class) == null) {
            return Optional.empty();
        }
        Matcher m = ENV_DEFAULT.matcher(element.getAnnotation(Option.class).defaultValue());
        return m.matches() ? Optional.of(m) : Optional.empty();
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }
}
