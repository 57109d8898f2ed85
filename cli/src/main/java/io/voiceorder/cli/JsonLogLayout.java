package io.voiceorder.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.util.Map;

/**
 * {@code --log-format json}: one JSON object per line with {@code ts}, {@code level}, {@code logger},
 * {@code callSid} (when the line is about a call) and {@code msg} (bridge.md §10.1).
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
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
