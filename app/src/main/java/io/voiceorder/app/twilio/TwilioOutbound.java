package io.voiceorder.app.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.httpclient.FormBody;
import io.voiceorder.app.httpclient.OutboundHttpFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Outbound calls through the Twilio REST API (serve.md §8.5), for {@code voiceorder call --via twilio}:
 * {@link #place} creates the call with TwiML that connects its media stream to serve (the sid is not
 * known yet, so {@code callSid} is the literal {@code outbound} and serve takes the real one from
 * {@code start}); {@link #fetch} and {@link #follow} read its status from {@code Calls/<sid>.json}.
 * Blocking: meant for the command line, not for serve's event loops.
 */
public final class TwilioOutbound {
    /** Twilio refuses a {@code Twiml} parameter longer than this. */
    public static final int MAX_TWIML_CHARS = 4000;
    static final String STATUS_EVENTS = "initiated ringing answered completed";
    private static final Set<String> RESERVED = Set.of("callerPhone", "callSid", "direction", "to");
    private static final Duration REQUEST_WAIT = Duration.ofSeconds(15);

    private final TwilioRestClient rest;
    private final Optional<String> defaultFrom;

    public TwilioOutbound(TwilioRestClient rest, Optional<String> defaultFrom) {
        this.rest = rest;
        this.defaultFrom = defaultFrom;
    }

    /** With serve's configuration: {@code TWILIO_API_URL}, {@code TWILIO_ACCOUNT_SID}, {@code TWILIO_AUTH_TOKEN}, {@code TWILIO_PHONE_NUMBER}. */
    public static TwilioOutbound fromConfig(ServeConfig config) {
        return new TwilioOutbound(new TwilioRestClient(OutboundHttpFactory.create(), new ObjectMapper(), config.twilioApiUrl(),
                config.twilioAccountSid(), config.twilioAuthToken(), TwilioRestClient.DEFAULT_TIMEOUT), config.twilioPhoneNumber());
    }

    /** The stream TwiML of the call: serve's inbound TwiML without the pause, for the person called. */
    public static String twiml(OutboundCallRequest request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("callerPhone", request.to());
        String restaurant = request.params().get("restaurantId");
        if (restaurant != null) {
            parameters.put("restaurantId", restaurant);
        }
        parameters.put("callSid", "outbound");
        parameters.put("direction", "outbound");
        parameters.put("to", request.to());
        request.params().forEach((k, v) -> {
            if (!RESERVED.contains(k)) {
                parameters.putIfAbsent(k, v);
            }
        });
        String base = request.publicBaseUrl().endsWith("/")
                ? request.publicBaseUrl().substring(0, request.publicBaseUrl().length() - 1) : request.publicBaseUrl();
        return Twiml.stream(PublicUrls.toWebSocket(base) + PublicUrls.STREAM_PATH, parameters, false);
    }

    /** Places the call. Returns Twilio's sid ({@code CA…}) and first status ({@code queued}). */
    public OutboundCallStatus place(OutboundCallRequest request) throws OutboundCallException {
        if (!rest.isConfigured()) {
            throw new OutboundCallException("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must both be set to call through Twilio.");
        }
        if (!DialNumber.isValid(request.to())) {
            throw new OutboundCallException("the number to call must be + and digits, e.g. +33612345678.");
        }
        String from = request.from() != null && !request.from().isBlank() ? request.from() : defaultFrom.orElse(null);
        if (from == null) {
            throw new OutboundCallException("no caller id: set TWILIO_PHONE_NUMBER or give --from.");
        }
        if (request.publicBaseUrl() == null || !request.publicBaseUrl().matches("(?i)https?://.+")) {
            throw new OutboundCallException("Twilio must reach serve: set PUBLIC_URL or give --public-url (an https:// URL).");
        }
        String twiml = twiml(request);
        if (twiml.length() > MAX_TWIML_CHARS) {
            throw new OutboundCallException("the call's TwiML is " + twiml.length() + " characters, over Twilio's "
                    + MAX_TWIML_CHARS + ": shorten the --param values.");
        }
        FormBody form = new FormBody().add("To", request.to()).add("From", from).add("Twiml", twiml);
        if (request.statusCallbackUrl() != null && !request.statusCallbackUrl().isBlank()) {
            form.add("StatusCallback", request.statusCallbackUrl()).add("StatusCallbackEvent", STATUS_EVENTS);
        }
        if (request.ringTimeoutSec() != null) {
            form.add("Timeout", String.valueOf(request.ringTimeoutSec()));
        }
        TwilioReply reply = await(rest.createCall(form), "placing the call");
        if (!reply.isSuccess() || reply.text("sid").isEmpty()) {
            throw refused("refused the call", reply);
        }
        return status(reply);
    }

    /** The call's current status. */
    public OutboundCallStatus fetch(String sid) throws OutboundCallException {
        TwilioReply reply = await(rest.fetchCall(sid), "reading the call's status");
        if (!reply.isSuccess()) {
            throw refused("did not give the call's status", reply);
        }
        return status(reply);
    }

    /**
     * Follows a call until it ends: polls every {@code interval}, reports each change of status to
     * {@code onChange}, and returns the final status — or the last one seen once {@code maxWait} has passed.
     */
    public OutboundCallStatus follow(String sid, Duration interval, Duration maxWait, Consumer<OutboundCallStatus> onChange)
            throws OutboundCallException, InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        OutboundCallStatus last = null;
        while (true) {
            OutboundCallStatus now = fetch(sid);
            if (last == null || !now.status().equals(last.status())) {
                onChange.accept(now);
            }
            last = now;
            if (now.isFinal() || System.nanoTime() - deadline >= 0) {
                return now;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private static OutboundCallStatus status(TwilioReply reply) {
        String duration = reply.text("duration");
        Integer seconds = null;
        if (!duration.isEmpty()) {
            try {
                seconds = Integer.valueOf(duration);
            } catch (NumberFormatException e) {
                seconds = null;
            }
        }
        return new OutboundCallStatus(reply.text("sid"), reply.text("status"), seconds);
    }

    private static OutboundCallException refused(String what, TwilioReply reply) {
        String code = reply.errorCode() == 0 ? "" : ", Twilio error " + reply.errorCode();
        String said = reply.text("message").strip().replaceAll("[.\\s]+$", "");
        // Twilio's own explanation names the number or setting at fault; it never carries the credentials.
        String because = said.isBlank() ? "" : ": " + (said.length() > 300 ? said.substring(0, 300) + "…" : said);
        String head = "Twilio " + what + " (HTTP " + reply.status() + code + ")";
        return switch (reply.status()) {
            case 401 -> new OutboundCallException("Twilio refused the credentials (HTTP 401" + code
                    + "): check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.", true);
            case 403 -> new OutboundCallException(head + because + ". The account may not call this destination: "
                    + "check its geographic permissions and, on a trial account, that the number is verified.", true);
            case 400 -> new OutboundCallException(head + because + ". Check the number to call (+ and digits), "
                    + "the caller id (--from or TWILIO_PHONE_NUMBER, a number of the account) and the callback URL.", true);
            case 404 -> new OutboundCallException(head + ": unknown call or account, check TWILIO_ACCOUNT_SID.", true);
            case 429 -> new OutboundCallException(head + ": too many requests, try again in a minute.", false);
            default -> new OutboundCallException(head + because + ".", reply.status() < 500);
        };
    }

    private static TwilioReply await(java.util.concurrent.CompletableFuture<TwilioReply> future, String doing)
            throws OutboundCallException {
        try {
            return future.get(REQUEST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new OutboundCallException("Twilio did not answer while " + doing + " (check TWILIO_API_URL and the network).", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboundCallException("interrupted while " + doing + ".", e);
        }
    }
}
