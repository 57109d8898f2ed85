package io.voiceorder.bridge.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Every log line of the bridge while open, as "LEVEL message {mdc}", so tests can check the call sid is on it. */
public final class LogLines implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public LogLines() {
        appender.start();
        root.addAppender(appender);
    }

    public List<String> lines() {
        List<ILoggingEvent> events;
        synchronized (appender) {
            events = new ArrayList<>(appender.list);
        }
        return events.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage() + " " + e.getMDCPropertyMap()).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
