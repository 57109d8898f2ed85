package io.voiceorder.bridge.nat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Routes ice4j's java.util.logging output (and that of its jitsi-utils) to SLF4J, so it follows the
 * bridge's log format. Its levels are shifted one down: ice4j warns about expected events, such as
 * the relayed socket closing at the end of every relayed call.
 */
final class Ice4jLogging extends Handler {
    private static boolean installed;
    /** java.util.logging keeps loggers weakly: these hold the configured ones. */
    private static final java.util.List<java.util.logging.Logger> CONFIGURED = new java.util.ArrayList<>();

    private Ice4jLogging() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        for (String name : new String[] {"org.ice4j", "org.jitsi"}) {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
            jul.setUseParentHandlers(false);
            jul.setLevel(Level.ALL);
            jul.addHandler(new Ice4jLogging());
            CONFIGURED.add(jul);
        }
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        Logger log = LoggerFactory.getLogger(record.getLoggerName() == null ? "org.ice4j" : record.getLoggerName());
        String message = record.getMessage();
        if (record.getParameters() != null && message != null && message.contains("{0")) {
            message = java.text.MessageFormat.format(message, record.getParameters());
        }
        int level = record.getLevel().intValue();
        Throwable thrown = record.getThrown();
        if (level >= Level.SEVERE.intValue()) {
            log.warn(message, thrown);
        } else if (level >= Level.WARNING.intValue()) {
            if (log.isInfoEnabled()) {
                log.info(thrown == null ? message : message + ": " + thrown);
            }
        } else if (level >= Level.INFO.intValue()) {
            log.debug(message, thrown);
        } else {
            log.trace(message, thrown);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
