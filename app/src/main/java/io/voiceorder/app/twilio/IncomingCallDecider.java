package io.voiceorder.app.twilio;

import io.micronaut.context.BeanProvider;
import io.micronaut.scheduling.TaskExecutors;
import io.voiceorder.app.agent.PhoneMask;
import io.voiceorder.app.agent.PhoneNumbers;
import io.voiceorder.app.call.CallLogContext;
import io.voiceorder.app.call.CallRegistry;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.metrics.VoiceMetrics;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.RestaurantBackend;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The decision order of {@code /incoming-call} once its signature is valid (serve.md §3.2): the
 * restaurant ({@code RESTAURANT_ID}, else the backend's default); a blocked caller → reject (§9.1);
 * over capacity → busy in the restaurant's language (§9.2); automatic transfer → dial (§8.3); else the
 * stream, with a capacity slot reserved. Each backend look-up is capped, and a look-up that does not
 * answer in time lets the call through to the stream, which checks again at {@code start}.
 */
@Singleton
public final class IncomingCallDecider {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingCallDecider.class);
    /** Twilio waits 15 s for the webhook; two capped look-ups leave plenty of room. */
    static final Duration LOOKUP_CAP = Duration.ofSeconds(2);
    /** Before the restaurant's own country is known (the stream's blocked check does the same). */
    private static final String DEFAULT_COUNTRY = "FR";
    /** The language of the fallback agent, used when the restaurant's is unknown. */
    private static final String FALLBACK_LANGUAGE = "fr";

    /** The webhook's parameters serve uses: {@code CallSid}, {@code From} ("" = anonymous), {@code To}. */
    public record IncomingCall(String callSid, String from, String to) {
    }

    private final ServeConfig config;
    private final CallRegistry registry;
    private final VoiceMetrics metrics;
    private final BeanProvider<RestaurantBackend> backend;
    private final WebhookCallRecords records;
    private final ExecutorService io;

    public IncomingCallDecider(ServeConfig config, CallRegistry registry, VoiceMetrics metrics,
                               BeanProvider<RestaurantBackend> backend, WebhookCallRecords records,
                               @Named(TaskExecutors.IO) ExecutorService io) {
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
        this.backend = backend;
        this.records = records;
        this.io = io;
    }

    /** Never completes exceptionally: anything unexpected lets the call through to the stream. */
    public CompletableFuture<IncomingCallDecision> decide(IncomingCall call) {
        String restaurantId = config.restaurantId().orElseGet(this::defaultRestaurant);
        CompletableFuture<IncomingCallDecision> decision;
        if (restaurantId == null) {
            decision = CompletableFuture.completedFuture(connectOrBusy(call, null, FALLBACK_LANGUAGE));
        } else if (PhoneNumbers.isAnonymous(call.from())) {
            decision = afterBlockedCheck(call, restaurantId);
        } else {
            decision = blockedCheck(call, restaurantId);
        }
        return decision.exceptionally(error -> {
            log(call, () -> LOG.error("incoming call decision failed ({}): stream connected",
                    error.getClass().getSimpleName()));
            return connectOrBusy(call, restaurantId, FALLBACK_LANGUAGE);
        });
    }

    private String defaultRestaurant() {
        return backend.isPresent() ? backend.get().defaultRestaurantId().orElse(null) : null;
    }

    /** §9.1: compared on normalised numbers; fail-open on a backend failure; a timeout lets the stream decide. */
    private CompletableFuture<IncomingCallDecision> blockedCheck(IncomingCall call, String restaurantId) {
        String phone = PhoneNumbers.normalize(call.from(), DEFAULT_COUNTRY);
        return capped(call, () -> backend.get().isBlocked(restaurantId, phone)).thenCompose(lookup -> {
            switch (lookup.status()) {
                case TIMED_OUT -> {
                    log(call, () -> LOG.warn("blocked-number check took over {} s: stream connected, checked again at start",
                            LOOKUP_CAP.toSeconds()));
                    return CompletableFuture.completedFuture(connectOrBusy(call, restaurantId, FALLBACK_LANGUAGE));
                }
                case FAILED -> log(call, () -> LOG.warn("blocked-number check failed ({}): call accepted", lookup.reason()));
                case DONE -> {
                    if (Boolean.TRUE.equals(lookup.value())) {
                        log(call, () -> LOG.info("blocked caller {}: call rejected", PhoneMask.mask(phone)));
                        metrics.callRefused("blocked");
                        return CompletableFuture.completedFuture(new IncomingCallDecision.Reject());
                    }
                }
            }
            return afterBlockedCheck(call, restaurantId);
        });
    }

    /** The restaurant's agent gives the busy language and the transfer settings. */
    private CompletableFuture<IncomingCallDecision> afterBlockedCheck(IncomingCall call, String restaurantId) {
        String caller = PhoneNumbers.isAnonymous(call.from()) ? null : PhoneNumbers.normalize(call.from(), DEFAULT_COUNTRY);
        return capped(call, () -> backend.get().loadAgent(restaurantId, caller)).thenApply(lookup -> {
            Optional<AgentConfig> agent = Optional.empty();
            switch (lookup.status()) {
                case TIMED_OUT -> log(call, () -> LOG.warn("restaurant settings took over {} s: stream connected, checked again at start",
                        LOOKUP_CAP.toSeconds()));
                case FAILED -> log(call, () -> LOG.warn("restaurant settings unavailable ({}): stream connected", lookup.reason()));
                case DONE -> agent = lookup.value();
            }
            String language = agent.map(AgentConfig::language).orElse(FALLBACK_LANGUAGE);
            if (!registry.hasRoom()) {
                return busy(call, language);
            }
            if (agent.isPresent()) {
                Optional<IncomingCallDecision> dial = automaticTransfer(call, agent.get());
                if (dial.isPresent()) {
                    return dial.get();
                }
            }
            return connectOrBusy(call, restaurantId, language);
        });
    }

    /** §8.3 Twilio mode: the restaurant answers every call itself; serve only dials and records. */
    private Optional<IncomingCallDecision> automaticTransfer(IncomingCall call, AgentConfig agent) {
        AgentConfig.TransferSettings transfer = agent.transfer();
        if (!transfer.usable() || !transfer.automatic()) {
            return Optional.empty();
        }
        String number = PhoneNumbers.normalize(transfer.phoneNumber(), agent.country());
        if (!DialNumber.isValid(number)) {
            log(call, () -> LOG.warn("automatic transfer of restaurant {} has a number that cannot be dialled: stream connected",
                    agent.restaurantId()));
            return Optional.empty();
        }
        log(call, () -> LOG.info("automatic transfer: {} dialled for caller {} (ring {} s)", PhoneMask.mask(number),
                PhoneMask.mask(call.from()), transfer.ringTimeoutSec()));
        records.transferred(call, agent, number);
        metrics.callEndedAtWebhook("transferred");
        return Optional.of(new IncomingCallDecision.Dial(agent.restaurantId(), number, transfer.ringTimeoutSec()));
    }

    private IncomingCallDecision connectOrBusy(IncomingCall call, String restaurantId, String language) {
        if (!registry.reserve(call.callSid())) {
            return busy(call, language);
        }
        log(call, () -> LOG.info("incoming call from {}: stream connected to serve", PhoneMask.mask(call.from())));
        return new IncomingCallDecision.Connect(restaurantId);
    }

    private IncomingCallDecision busy(IncomingCall call, String language) {
        log(call, () -> LOG.info("incoming call from {}: all lines busy", PhoneMask.mask(call.from())));
        metrics.callRefused("busy");
        return new IncomingCallDecision.Busy(language);
    }

    /** A backend look-up on the IO pool, capped at {@link #LOOKUP_CAP}; the answer says whether it came in time. */
    private <T> CompletableFuture<Lookup<T>> capped(IncomingCall call, BackendCall<T> lookup) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            io.execute(() -> CallLogContext.run(call.callSid(), () -> {
                try {
                    result.complete(lookup.call());
                } catch (BackendException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result.orTimeout(LOOKUP_CAP.toMillis(), TimeUnit.MILLISECONDS).handle((value, error) -> {
            if (error == null) {
                return new Lookup<>(Status.DONE, value, null);
            }
            Throwable cause = unwrap(error);
            return cause instanceof TimeoutException ? new Lookup<T>(Status.TIMED_OUT, null, "timeout")
                    : new Lookup<T>(Status.FAILED, null, reasonOf(cause));
        });
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A short reason for logs: the backend's own kind, never an upstream message that could carry data. */
    private static String reasonOf(Throwable error) {
        return error instanceof BackendException b ? b.kind().name().toLowerCase(java.util.Locale.ROOT)
                : error.getClass().getSimpleName();
    }

    private static void log(IncomingCall call, Runnable line) {
        CallLogContext.run(call.callSid(), line);
    }

    private enum Status { DONE, FAILED, TIMED_OUT }

    private record Lookup<T>(Status status, T value, String reason) {
    }

    @FunctionalInterface
    private interface BackendCall<T> {
        T call() throws BackendException;
    }
}
