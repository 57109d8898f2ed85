package io.voiceorder.app.twilio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.BeanProvider;
import io.micronaut.scheduling.TaskExecutors;
import io.voiceorder.app.agent.PhoneNumbers;
import io.voiceorder.app.call.CallLogContext;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.CallRecord;
import io.voiceorder.app.restaurant.CallStart;
import io.voiceorder.app.restaurant.RestaurantBackend;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The call record of a call the webhook handles alone (automatic transfer, serve.md §8.3): created and
 * finalized at once through the port, outcome {@code transferred}, {@code transferStatus} {@code requested};
 * {@code /transfer-result} later records what became of the {@code <Dial>}. Written off the webhook's
 * answer; a record the backend refuses is logged whole, so nothing is lost.
 */
@Singleton
public final class WebhookCallRecords {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookCallRecords.class);
    private static final String MODE = "twilio";
    private static final String DIRECTION = "inbound";

    private final ServeConfig config;
    private final BeanProvider<RestaurantBackend> backend;
    private final ObjectMapper json;
    private final ExecutorService io;
    private final Clock clock = Clock.systemUTC();

    public WebhookCallRecords(ServeConfig config, BeanProvider<RestaurantBackend> backend, ObjectMapper json,
                              @Named(TaskExecutors.IO) ExecutorService io) {
        this.config = config;
        this.backend = backend;
        this.json = json;
        this.io = io;
    }

    /** Records an automatically transferred call to {@code number}; returns at once. */
    public void transferred(IncomingCallDecider.IncomingCall call, AgentConfig agent, String number) {
        Instant now = clock.instant();
        String caller = PhoneNumbers.isAnonymous(call.from()) ? null : PhoneNumbers.normalize(call.from(), agent.country());
        String called = PhoneNumbers.normalize(call.to(), agent.country());
        String customerId = caller != null && agent.customer() != null ? agent.customer().id() : null;
        String currency = agent.costs() != null && agent.costs().currency() != null ? agent.costs().currency()
                : config.agent().costCurrency();
        CallStart start = new CallStart(agent.restaurantId(), call.callSid(), null, MODE, DIRECTION, caller, called,
                customerId, now);
        try {
            io.execute(() -> CallLogContext.run(call.callSid(), () -> write(start, number, currency)));
        } catch (RejectedExecutionException e) {
            CallLogContext.run(call.callSid(), () -> LOG.error("call record not saved (serve stopping): {}",
                    asJson(record(null, start, number, currency))));
        }
    }

    private void write(CallStart start, String number, String currency) {
        String id = null;
        try {
            id = backend.get().startCall(start);
        } catch (BackendException | RuntimeException e) {
            // finishCall with no id creates the record itself.
            LOG.warn("call record not created ({}): written whole instead", reasonOf(e));
        }
        CallRecord record = record(id, start, number, currency);
        try {
            backend.get().finishCall(record);
        } catch (BackendException | RuntimeException e) {
            LOG.error("call record not saved ({}): {}", reasonOf(e), asJson(record));
        }
    }

    private CallRecord record(String id, CallStart start, String number, String currency) {
        return new CallRecord(id, start.restaurantId(), start.callSid(), null, MODE, DIRECTION, start.callerNumber(),
                start.calledNumber(), start.customerId(), start.startedAt(), start.startedAt(), 0, "transferred",
                "transferred", List.of(), 0, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, currency,
                null, 0, 0, number, "requested");
    }

    private String asJson(CallRecord record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            return String.valueOf(record);
        }
    }

    private static String reasonOf(Throwable e) {
        return e instanceof BackendException b ? b.kind().name().toLowerCase(java.util.Locale.ROOT) : e.getClass().getSimpleName();
    }
}
