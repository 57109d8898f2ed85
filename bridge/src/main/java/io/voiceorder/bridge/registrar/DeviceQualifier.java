package io.voiceorder.bridge.registrar;

import io.voiceorder.bridge.sip.SipEndpoint;
import io.voiceorder.bridge.sip.SipFactories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Qualifies bound devices (bridge.md §5.2): an OPTIONS to each binding's source every {@code interval}; any
 * response (whatever its code) within {@code answerWindow} means reachable, {@link DeviceReachability#MAX_MISSES}
 * unanswered in a row mean {@code reachable: false}. A miss is decided by the window rather than by the
 * transaction's 32 s timeout, so that it falls within one interval.
 */
public final class DeviceQualifier implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(30);
    public static final Duration ANSWER_WINDOW = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(DeviceQualifier.class);

    private final SipEndpoint sip;
    private final BindingStore store;
    private final DeviceReachability reachability;
    private final ScheduledExecutorService timers;
    private final Duration interval;
    private final Duration answerWindow;
    private volatile ScheduledFuture<?> task;

    public DeviceQualifier(SipEndpoint sip, BindingStore store, DeviceReachability reachability, ScheduledExecutorService timers,
                           Duration interval, Duration answerWindow) {
        this.sip = sip;
        this.store = store;
        this.reachability = reachability;
        this.timers = timers;
        this.interval = interval;
        this.answerWindow = answerWindow;
    }

    public void start() {
        long ms = interval.toMillis();
        task = timers.scheduleWithFixedDelay(this::qualifyAll, ms, ms, TimeUnit.MILLISECONDS);
    }

    void qualifyAll() {
        for (Binding binding : store.current()) {
            try {
                qualify(binding);
            } catch (Exception e) {
                LOG.debug("OPTIONS to device {} not sent: {}", binding.user(), e.toString());
                reachability.missed(binding.user());
            }
        }
    }

    private void qualify(Binding binding) throws Exception {
        var headers = SipFactories.HEADERS;
        var addresses = SipFactories.ADDRESSES;
        javax.sip.address.URI target = addresses.createURI("sip:" + binding.user() + "@" + binding.source()
                + sip.uriTransportSuffix());
        Address from = addresses.createAddress("sip:voiceorder@" + sip.advertisedHost() + ":" + sip.advertisedPort());
        ViaHeader via = headers.createViaHeader(sip.advertisedHost(), sip.advertisedPort(), sip.transport(), null);
        via.setRPort();
        Request options = SipFactories.MESSAGES.createRequest(target, Request.OPTIONS,
                headers.createCallIdHeader(UUID.randomUUID().toString()), headers.createCSeqHeader(1L, Request.OPTIONS),
                headers.createFromHeader(from, UUID.randomUUID().toString().substring(0, 8)),
                headers.createToHeader(addresses.createAddress(target), null), List.of(via), headers.createMaxForwardsHeader(70));
        String user = binding.user();
        AtomicBoolean answered = new AtomicBoolean();
        sip.send(options, new SipEndpoint.ResponseHandler() {
            @Override
            public void onResponse(ResponseEvent event) {
                if (answered.compareAndSet(false, true)) {
                    if (!reachability.reachable(user)) {
                        LOG.info("device {} is reachable again", user);
                    }
                    reachability.answered(user);
                }
            }

            @Override
            public void onTimeout() {
                // counted by the answer window already
            }
        });
        timers.schedule(() -> {
            if (answered.compareAndSet(false, true)) {
                boolean was = reachability.reachable(user);
                reachability.missed(user);
                if (was && !reachability.reachable(user)) {
                    LOG.warn("device {} does not answer OPTIONS ({} in a row): unreachable", user, DeviceReachability.MAX_MISSES);
                }
            }
        }, answerWindow.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }
}
