package io.voiceorder.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * How log lines are written: {@code text} (one readable line per event, the default) or {@code json}
 * (one JSON object per line, for log shippers; the call sid is in its {@code mdc}).
 */
enum LogFormat {
    text,
    json;

    /**
     * Switches the console appenders of the running logback configuration to this format. Done after
     * the command line is parsed, so whatever logback configured at start-up is replaced in place.
     */
    void apply() {
        if (this == text || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        for (Iterator<Appender<ILoggingEvent>> it = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
             it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                JsonEncoder encoder = new JsonEncoder();
                encoder.setContext(context);
                // The message as a person reads it; the template, its arguments and logback's internals add nothing.
                encoder.setWithFormattedMessage(true);
                encoder.setWithMessage(false);
                encoder.setWithArguments(false);
                encoder.setWithContext(false);
                encoder.setWithSequenceNumber(false);
                encoder.setWithNanoseconds(false);
                encoder.start();
                appender.stop();
                appender.setEncoder(encoder);
                appender.start();
            }
        }
    }
}
