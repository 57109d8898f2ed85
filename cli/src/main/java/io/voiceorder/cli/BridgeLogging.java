package io.voiceorder.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

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
        if (format.equals("json")) {
            var appenders = root.iteratorForAppenders();
            while (appenders.hasNext()) {
                if (appenders.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                    JsonLayout layout = new JsonLayout();
                    layout.setContext(context);
                    layout.start();
                    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
                    encoder.setContext(context);
                    encoder.setLayout(layout);
                    encoder.start();
                    console.stop();
                    console.setEncoder(encoder);
                    console.start();
                }
            }
        }
    }

    /** One JSON object per line. */
    static final class JsonLayout extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder b = new StringBuilder(256).append('{');
            field(b, "ts", Instant.ofEpochMilli(event.getTimeStamp()).toString()).append(',');
            field(b, "level", event.getLevel().toString()).append(',');
            field(b, "logger", event.getLoggerName()).append(',');
            Map<String, String> mdc = event.getMDCPropertyMap();
            String sid = mdc == null ? null : mdc.get("callSid");
            if (sid != null) {
                field(b, "callSid", sid).append(',');
            }
            String msg = event.getFormattedMessage();
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                msg = msg + "\n" + ThrowableProxyUtil.asString(error);
            }
            field(b, "msg", msg);
            return b.append("}\n").toString();
        }

        private static StringBuilder field(StringBuilder b, String name, String value) {
            b.append('"').append(name).append("\":\"");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"');
        }
    }
}
