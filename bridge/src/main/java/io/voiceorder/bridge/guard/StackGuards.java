package io.voiceorder.bridge.guard;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connects a {@link SourceGuard} to the JAIN-SIP stack it protects. The stack instantiates its parser factory and
 * its message valve by class name, so they find their guard here by the stack's name. The owner of the stack
 * ({@code SipEndpoint}) installs the guard before creating the stack and removes it when closing it.
 */
public final class StackGuards {
    static final String VALVE_PROPERTY = "gov.nist.javax.sip.SIP_MESSAGE_VALVE";
    static final String PARSER_FACTORY_PROPERTY = "gov.nist.javax.sip.MESSAGE_PARSER_FACTORY";

    private static final Map<String, SourceGuard> GUARDS = new ConcurrentHashMap<>();

    private StackGuards() {
    }

    /** Registers {@code guard} for the stack named {@code stackName} and points the stack's hooks at it. */
    public static void install(Properties stackProperties, String stackName, SourceGuard guard) {
        GUARDS.put(stackName, guard);
        stackProperties.setProperty(VALVE_PROPERTY, GuardValve.class.getName());
        stackProperties.setProperty(PARSER_FACTORY_PROPERTY, GuardedMessageParserFactory.class.getName());
    }

    public static void remove(String stackName) {
        GUARDS.remove(stackName);
    }

    /** The guard of a stack, or null (stack being closed, or started without one): then messages pass. */
    static SourceGuard of(String stackName) {
        return stackName == null ? null : GUARDS.get(stackName);
    }
}
