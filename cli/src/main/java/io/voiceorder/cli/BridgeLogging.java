package io.voiceorder.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * {@code --log-level} and {@code --log-format} of the bridge (bridge.md §10.1): the level of the product's
 * loggers (debug also turns on the SIP message trace), and text lines or one JSON object per line
 * ({@code ts}, {@code level}, {@code logger}, {@code callSid}, {@code msg}).
 */
final class BridgeLogging {
    private BridgeLogging() {
    }

    static void apply(String level, String format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Level lvl = Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(lvl.isGreaterOrEqual(Level.INFO) ? lvl : Level.INFO);
        for (String product : new String[] {"io.voiceorder", "voiceorder"}) {
            context.getLogger(product).setLevel(lvl);
        }
        context.getLogger("voiceorder.sip.trace").setLevel(lvl.isGreaterOrEqual(Level.INFO) ? Level.INFO : Level.DEBUG);
        LogFormat.valueOf(format).apply();
    }
}
