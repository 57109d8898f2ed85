package io.voiceorder.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogFormatTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownFormatIsAUsageErrorNamingTheFlag() {
        Cli.Result result = new Cli(Map.of(), dir).run("serve", "--log-format", "yaml");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("--log-format").contains("text").contains("json");
    }

    @Test
    void theVariableIsTheDefaultAndABadValueThereIsRefusedToo() {
        Cli.Result result = new Cli(Map.of("LOG_FORMAT", "xml"), dir).run("serve");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("--log-format");
    }

    @Test
    void jsonWritesOneObjectPerLineWithTheCallSidAndTheFormattedMessage() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();
        Encoder<ILoggingEvent> before = console.getEncoder();
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LogFormat.json.apply();
            MDC.put("callSid", "CA0123");
            LoggerFactory.getLogger("io.voiceorder.test").info("caller hung up ({})", "stop");
        } finally {
            MDC.remove("callSid");
            console.stop();
            console.setEncoder(before);
            console.start();
            System.setOut(out);
        }

        String line = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("caller hung up")).findFirst().orElseThrow();
        JsonNode event = new ObjectMapper().readTree(line);
        assertThat(event.path("level").asText()).isEqualTo("INFO");
        assertThat(event.path("msg").asText()).isEqualTo("caller hung up (stop)");
        assertThat(event.path("callSid").asText()).isEqualTo("CA0123");
    }
}
