package io.voiceorder.app.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.httpclient.FormBody;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The three Twilio REST calls serve makes, on the account {@code TWILIO_ACCOUNT_SID}: update a live
 * call's TwiML (transfer), create a call (outbound) and fetch a call (follow it). HTTP Basic with the
 * account sid and {@code TWILIO_AUTH_TOKEN}; the token never leaves the Authorization header.
 * A non-2xx answer is a {@link TwilioReply}; a timeout or I/O failure completes the future exceptionally.
 */
@Singleton
public final class TwilioRestClient {
    /** serve.md §8.1: the REST request of a transfer is given 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final ObjectMapper json;
    private final String apiBase;
    private final Optional<String> accountSid;
    private final Secret authToken;
    private final Duration timeout;

    @Inject
    public TwilioRestClient(@Named(OutboundHttpFactory.NAME) HttpClient http, ObjectMapper json, ServeConfig config) {
        this(http, json, config.twilioApiUrl(), config.twilioAccountSid(), config.twilioAuthToken(), DEFAULT_TIMEOUT);
    }

    public TwilioRestClient(HttpClient http, ObjectMapper json, URI apiBase, Optional<String> accountSid, Secret authToken,
                            Duration timeout) {
        this.http = http;
        this.json = json;
        String base = apiBase.toString();
        this.apiBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.timeout = timeout;
    }

    /** True when both the account sid and the auth token are set. */
    public boolean isConfigured() {
        return accountSid.isPresent() && authToken.isSet();
    }

    /** Replaces a live call's instructions: {@code POST …/Calls/<sid>.json} with the form field {@code Twiml}. */
    public CompletableFuture<TwilioReply> updateCallTwiml(String callSid, String twiml) {
        return send(() -> post(callPath(callSid), new FormBody().add("Twiml", twiml)));
    }

    /** Places a call: {@code POST …/Calls.json}; the form carries To, From, Twiml and the optional fields. */
    public CompletableFuture<TwilioReply> createCall(FormBody form) {
        return send(() -> post("/Calls.json", form));
    }

    /** A call's current state: {@code GET …/Calls/<sid>.json}. */
    public CompletableFuture<TwilioReply> fetchCall(String callSid) {
        return send(() -> request(callPath(callSid)).GET().build());
    }

    private static String callPath(String callSid) {
        return "/Calls/" + URLEncoder.encode(callSid, StandardCharsets.UTF_8) + ".json";
    }

    private HttpRequest post(String path, FormBody form) {
        return request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.encode()))
                .build();
    }

    private HttpRequest.Builder request(String path) {
        String account = accountSid.orElseThrow();
        String basic = Base64.getEncoder().encodeToString((account + ":" + authToken.reveal()).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(apiBase + "/2010-04-01/Accounts/"
                        + URLEncoder.encode(account, StandardCharsets.UTF_8) + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + basic);
    }

    private CompletableFuture<TwilioReply> send(Supplier<HttpRequest> request) {
        if (!isConfigured()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "Twilio REST is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"));
        }
        return http.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> new TwilioReply(r.statusCode(), parse(r.body())));
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
