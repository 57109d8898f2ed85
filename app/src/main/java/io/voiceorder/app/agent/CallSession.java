package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.tools.Tool;
import io.voiceorder.app.agent.tools.ToolCatalogue;
import io.voiceorder.app.agent.tools.ToolContext;
import io.voiceorder.app.agent.tools.ToolFailures;
import io.voiceorder.app.agent.tools.ToolOutcome;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.CallRecord;
import io.voiceorder.app.restaurant.CallStart;
import io.voiceorder.app.restaurant.TokenPricing;
import io.voiceorder.app.call.CallRegistry;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.call.SerialExecutor;
import io.voiceorder.app.realtime.ClientEvents;
import io.voiceorder.app.realtime.RealtimeConnectException;
import io.voiceorder.app.realtime.RealtimeListener;
import io.voiceorder.app.realtime.RealtimeSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One phone call between the caller side ({@code /media-stream}) and OpenAI Realtime.
 * Events from both sockets and from timers are handled one at a time on the call's
 * {@link SerialExecutor}, so the state below has a single owner and no locks.
 *
 * <p>Life: {@link State#AWAITING_START} (upgrade done) → {@link State#CHECKING} ({@code start} read,
 * blocked-number check running) → {@link State#CONNECTING} (agent loading and OpenAI socket opening,
 * in parallel) → {@link State#LIVE} ({@code session.update} sent, audio relayed) → {@link State#ENDING}
 * (hang-up, watchdog, prompt) → {@link State#ENDED}.
 *
 * <p>Tools run one at a time on the backend workers, never on the serial executor; their results
 * come back to it, so the {@link CallState} keeps one owner. The call record is created once the
 * agent is loaded and finalized exactly once, after any tool still running has finished.
 */
public final class CallSession implements CallRegistry.LiveCall {
    private static final Logger LOG = LoggerFactory.getLogger(CallSession.class);
    private static final int LOG_EXCERPT = 200;

    enum State { AWAITING_START, CHECKING, CONNECTING, LIVE, ENDING, ENDED }

    /** The blocked check and agent load are capped so a slow backend cannot hold a caller in silence. */
    static final Duration BLOCKED_CHECK_CAP = Duration.ofSeconds(2);
    static final Duration AGENT_LOAD_CAP = Duration.ofSeconds(10);
    /** Tools time out inside the backend (embedded 5 s, http 10 s); this is the outer bound. */
    static final Duration TOOL_CAP = Duration.ofSeconds(12);

    private final CallServices services;
    private final CallTimings timings;
    private final ClientEvents events;
    private final CallerChannel caller;
    private final SerialExecutor exec;
    private final AtomicBoolean finalized = new AtomicBoolean();
    private final Transcript transcript = new Transcript();

    private AgentProfile agent;
    private CallState callState = new CallState(null);
    private CallUsage usage;
    private String callerE164 = "";
    private String transferFailedParam;
    private String purpose;
    private Instant startedAt;
    private CompletableFuture<String> recordId = CompletableFuture.completedFuture(null);
    private String aiModel;
    private boolean sessionCreatedOrWaited;
    private int bargeIns;
    private int reconnects;
    private boolean toolRunning;
    /** §5.10 continuity: the replacement socket being opened, the caller audio kept meanwhile. */
    private static final int GAP_FRAMES = 150;
    private boolean reconnecting;
    private final ArrayDeque<String> gapAudio = new ArrayDeque<>();
    private boolean answerOwedAtLoss;
    private boolean responseRequested;
    private boolean rolloverPending;
    private int socketGeneration;
    private long sessionStartNanos;
    private boolean callerSpeaking;
    private final ArrayDeque<ToolBatch> batches = new ArrayDeque<>();
    private CompletableFuture<Void> toolsIdle = CompletableFuture.completedFuture(null);

    private State state = State.AWAITING_START;
    private CallIdentity identity;
    private long startNanos;
    private long lastCallerMessageNanos = System.nanoTime();
    private boolean warnedMalformed;
    private boolean activeInRegistry;

    private RealtimeSocket socket;
    private boolean sessionConfigured;
    private boolean muted;
    private boolean firstAudioSent;
    private boolean endingWithUnavailable;

    private final PlayoutLedger ledger = new PlayoutLedger();
    private final Map<String, AudioChunker> chunkers = new HashMap<>();
    private final Set<String> interruptedResponses = new HashSet<>();
    private final Map<String, List<FunctionCall>> pendingCalls = new HashMap<>();
    private final Set<String> responsesWithAudio = new HashSet<>();
    private String activeResponseId;
    private boolean responseCreateWaiting;
    private boolean rateLimitRetried;
    private long markCounter;
    private long lastChunkSentNanos;

    private Hangup hangup;
    private final StringBuilder dtmfDigits = new StringBuilder();
    private ScheduledFuture<?> dtmfTimer;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    /** A function call collected from {@code response.function_call_arguments.done}. */
    private record FunctionCall(String callId, String name, String arguments, int socketGeneration) {
    }

    /** Where a hang-up sequence stands: waiting for a goodbye, draining, or about to close. */
    private static final class Hangup {
        final String endReason;
        final long capNanos;
        /** Shutdown: the cap runs from the start of the drain, since the last chunk may have left long before. */
        final boolean capFromDrainStart;
        final int closeCode;
        boolean waitingForGoodbye;
        String goodbyeResponseId;
        long drainStartNanos;

        Hangup(String endReason, long capNanos) {
            this(endReason, capNanos, false, 1000);
        }

        Hangup(String endReason, long capNanos, boolean capFromDrainStart, int closeCode) {
            this.endReason = endReason;
            this.capNanos = capNanos;
            this.capFromDrainStart = capFromDrainStart;
            this.closeCode = closeCode;
        }
    }

    /** Where a transfer stands (§6.1): none yet, under way, failed (never tried again), or done. */
    enum TransferState { NONE, IN_PROGRESS, FAILED, DONE }

    private TransferState transferState = TransferState.NONE;
    private String transferStatus;
    private String transferTarget;
    private boolean automaticTransfer;
    private FunctionCall heldTransferCall;
    private ToolBatch heldTransferBatch;
    private long heldTransferT0;
    private boolean transferRequested;
    private boolean transferAfterPrompt;
    private final String upgradeBase;

    /**
     * @param upgradeBase {@code https://} + the host of the stream's upgrade, or null: where Twilio is told to
     *                    report a transfer's result when {@code PUBLIC_URL} is unset
     */
    public CallSession(CallServices services, CallerChannel caller, String upgradeBase) {
        this.upgradeBase = upgradeBase;
        this.services = services;
        this.timings = services.timings;
        this.events = services.events;
        this.caller = caller;
        this.exec = new SerialExecutor(services.workers);
        schedule(timings.startTimeout(), this::startTimedOut);
    }

    // ---------------------------------------------------------------- caller side

    /** A text frame from the caller side, with the time it was read. */
    public void onCallerText(String text, long readNanos) {
        exec.execute(() -> handleCallerText(text, readNanos));
    }

    /** A binary frame: not part of the protocol. */
    public void onCallerBinary(int length) {
        exec.execute(() -> malformed("binary frame of " + length + " bytes"));
    }

    /** A message over the 64 KiB limit: no valid message comes near it, so the stream is closed. */
    public void onOversizedMessage(int bytes) {
        exec.execute(() -> {
            LOG.warn("message of {} bytes from the caller side exceeds 64 KiB: closing with 1009", bytes);
            services.metrics.frameDropped("malformed");
            if (state == State.AWAITING_START) {
                services.registry.upgradeAbandoned();
                endNow(1009, "message too big");
            } else {
                finish("protocol_error", 1009);
            }
        });
    }

    /** The caller side's WebSocket is gone (closed by the peer, or by serve). */
    public void onCallerClosed(int code) {
        exec.execute(() -> callerClosed(code));
    }

    private void handleCallerText(String text, long readNanos) {
        if (state == State.ENDED) {
            return;
        }
        lastCallerMessageNanos = readNanos;
        MediaMessage frame = MediaMessage.parse(services.json.getFactory(), text);
        if (frame != null) {
            handleMedia(frame.payload(), frame.track(), readNanos, text);
            return;
        }
        MarkMessage echo = MarkMessage.parse(services.json.getFactory(), text);
        if (echo != null) {
            markEchoed(echo.name());
            return;
        }
        JsonNode message;
        try {
            message = services.json.readTree(text);
        } catch (java.io.IOException e) {
            malformed(text);
            return;
        }
        if (message == null || !message.isObject() || !message.path("event").isTextual()) {
            malformed(text);
            return;
        }
        switch (message.get("event").asText()) {
            case "connected" -> LOG.debug("caller side connected: protocol={} version={}",
                    message.path("protocol").asText(), message.path("version").asText());
            case "start" -> handleStart(message);
            case "media" -> {
                JsonNode media = message.path("media");
                JsonNode payload = media.path("payload");
                JsonNode track = media.path("track");
                handleMedia(payload.isTextual() ? payload.asText() : null, track.isMissingNode() ? null : track.asText(),
                        readNanos, text);
            }
            case "mark" -> handleMark(message, text);
            case "dtmf" -> handleDtmf(message, text);
            case "stop" -> handleStop(message);
            default -> {
                LOG.debug("unknown caller event ignored: {}", excerpt(text));
                services.metrics.frameDropped("malformed");
            }
        }
    }

    private void malformed(String text) {
        services.metrics.frameDropped("malformed");
        if (!warnedMalformed) {
            warnedMalformed = true;
            LOG.warn("malformed message from the caller side ignored: {}", excerpt(text));
        } else {
            LOG.debug("malformed message from the caller side ignored: {}", excerpt(text));
        }
    }

    private static String excerpt(String text) {
        String s = text.length() > LOG_EXCERPT ? text.substring(0, LOG_EXCERPT) + "…" : text;
        return s.replaceAll("[\\r\\n]", " ");
    }

    private void handleStart(JsonNode message) {
        if (state != State.AWAITING_START) {
            LOG.warn("second start ignored");
            return;
        }
        JsonNode start = message.path("start");
        if (!start.isObject()) {
            malformed(message.toString());
            return;
        }
        JsonNode format = start.path("mediaFormat");
        if (!format.isMissingNode() && !isUlaw8kMono(format)) {
            LOG.error("stream refused: media format {} is not audio/x-mulaw 8000 Hz mono", excerpt(format.toString()));
            services.registry.upgradeAbandoned();
            endNow(1003, "unsupported media format");
            return;
        }
        String defaultRestaurant = services.config.restaurantId().orElseGet(() ->
                services.backend.defaultRestaurantId().orElse(null));
        identity = CallIdentity.from(message, defaultRestaurant);
        JsonNode params = start.path("customParameters");
        transferFailedParam = params.path("transferFailed").isTextual() ? params.path("transferFailed").asText() : null;
        purpose = params.path("purpose").isTextual() ? params.path("purpose").asText() : null;
        exec.callSid(identity.callSid());
        caller.streamSid(identity.streamSid());
        startNanos = System.nanoTime();
        startedAt = services.clock.instant();
        state = State.CHECKING;
        // Numbers are compared in E.164; the restaurant's own country is known only once its agent is loaded.
        String phone = PhoneNumbers.normalize(identity.callerPhone(), "FR");
        if (identity.restaurantId() == null || PhoneNumbers.isAnonymous(identity.callerPhone())) {
            afterBlockedCheck(false);
            return;
        }
        onBackend(() -> services.backend.isBlocked(identity.restaurantId(), phone), BLOCKED_CHECK_CAP)
                .whenComplete((blocked, error) -> exec.execute(() -> {
                    if (error != null) {
                        LOG.warn("blocked-number check failed ({}): call accepted", reasonOf(error));
                    }
                    afterBlockedCheck(error == null && Boolean.TRUE.equals(blocked));
                }));
    }

    /** After §4.4 step 3: a blocked caller is closed before anything is opened; otherwise capacity, then the call. */
    private void afterBlockedCheck(boolean blocked) {
        if (state != State.CHECKING) {
            return; // the caller hung up meanwhile
        }
        if (blocked) {
            LOG.info("blocked caller {}: stream closed", PhoneMask.mask(identity.callerPhone()));
            services.metrics.callRefused("blocked");
            services.registry.upgradeAbandoned();
            endNow(1000, "blocked");
            return;
        }
        if (!services.registry.activate(this, identity.callSid())) {
            LOG.warn("over capacity ({} calls): busy prompt, then hang-up", services.registry.maxParallelCalls());
            services.metrics.callRefused("busy");
            state = State.ENDING;
            playPromptThenClose(Prompts.Kind.BUSY, null);
            return;
        }
        activeInRegistry = true;
        state = State.CONNECTING;
        services.metrics.callStarted(identity.mode());
        LOG.info("call started: mode={} direction={} caller={} restaurant={}",
                identity.mode(), identity.direction(), PhoneMask.mask(identity.callerPhone()), identity.restaurantId());
        schedulePeriodic(Duration.ofSeconds(1), this::checkIdle);
        schedulePeriodic(Duration.ofSeconds(1), this::checkRollover);
        startWatchdog();
        loadAgent();
        openSocket();
    }

    private void openSocket() {
        services.connector.connect(services.timer).whenComplete((s, error) -> exec.execute(() -> {
            if (error != null) {
                openAiUnavailable(error instanceof RealtimeConnectException r ? r.reason()
                        : (error.getCause() instanceof RealtimeConnectException r2 ? r2.reason() : "connect_failed"));
            } else {
                socketOpened(s);
            }
        }));
    }

    /** §4.4 step 6: the agent snapshot, loaded while the OpenAI socket opens; the fallback agent if it cannot be. */
    private void loadAgent() {
        if (identity.restaurantId() == null) {
            agentLoaded(Optional.empty(), CallUsage.configured(services.config.agent()));
            return;
        }
        String restaurantId = identity.restaurantId();
        String caller = PhoneNumbers.isAnonymous(identity.callerPhone()) ? null
                : PhoneNumbers.normalize(identity.callerPhone(), "FR");
        String model = services.config.model();
        onBackend(() -> {
            Optional<AgentConfig> config = services.backend.loadAgent(restaurantId, caller);
            TokenPricing prices = services.backend.pricing(model).orElseGet(() -> CallUsage.configured(services.config.agent()));
            return new LoadedAgent(config, prices);
        }, AGENT_LOAD_CAP).whenComplete((loaded, error) -> exec.execute(() -> {
            if (error != null) {
                LOG.warn("agent of restaurant {} could not be loaded ({}): fallback agent", restaurantId, reasonOf(error));
                agentLoaded(Optional.empty(), CallUsage.configured(services.config.agent()));
            } else {
                if (loaded.config().isEmpty()) {
                    LOG.warn("unknown restaurant {}: fallback agent", restaurantId);
                }
                agentLoaded(loaded.config(), loaded.prices());
            }
        }));
    }

    private record LoadedAgent(Optional<AgentConfig> config, TokenPricing prices) {
    }

    private void agentLoaded(Optional<AgentConfig> config, TokenPricing prices) {
        if (state == State.ENDED || agent != null) {
            return;
        }
        usage = new CallUsage(prices);
        boolean outbound = "outbound".equals(identity.direction());
        if (config.isPresent()) {
            AgentConfig c = config.get();
            callerE164 = PhoneNumbers.normalize(identity.callerPhone(), c.country());
            callState = new CallState(PhoneNumbers.isAnonymous(identity.callerPhone()) ? null : c.customer());
            boolean canTransfer = services.transfers.available(identity);
            agent = AgentProfiles.build(c, new AgentProfiles.CallContext(outbound, purpose, transferFailedParam, canTransfer));
            if (endingWithUnavailable) {
                // OpenAI refused before the restaurant was known: the apology is playing, staff may take the call after it.
                createRecord();
                decideTransferAfterApology();
                return;
            }
            if (canTransfer && c.transfer().usable() && c.transfer().automatic()
                    && (transferFailedParam == null || transferFailedParam.isBlank())) {
                createRecord();
                automaticTransfer(c.transfer());
                return;
            }
        } else {
            callerE164 = PhoneNumbers.normalize(identity.callerPhone(), "FR");
            agent = AgentProfiles.fallback();
        }
        createRecord();
        configureSession();
    }

    /** The call record is created without holding anything up; tools and finalize pick up its id when there. */
    private void createRecord() {
        if (identity.restaurantId() == null) {
            return;
        }
        CallStart start = new CallStart(identity.restaurantId(), identity.callSid(), identity.streamSid(), identity.mode(),
                identity.direction(), callerE164.isEmpty() ? null : callerE164,
                PhoneNumbers.normalize(identity.calledNumber(), agent.isFallback() ? "FR" : agent.config().country()),
                callState.customer().id(), startedAt);
        CompletableFuture<String> id = onBackend(() -> services.backend.startCall(start), TOOL_CAP);
        recordId = id.exceptionally(error -> {
            LOG.warn("call record not created ({}): it is written at the end of the call", reasonOf(error));
            return null;
        });
    }

    /** Runs a backend operation on the backend workers, bounded by {@code cap}. */
    private <T> CompletableFuture<T> onBackend(BackendCall<T> call, Duration cap) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            String callSid = identity.callSid();
            services.backendWorkers.execute(() -> {
                org.slf4j.MDC.put("callSid", callSid);
                try {
                    result.complete(call.run());
                } catch (BackendException | RuntimeException e) {
                    result.completeExceptionally(e);
                } finally {
                    org.slf4j.MDC.remove("callSid");
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result.orTimeout(cap.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A backend operation that may block. */
    @FunctionalInterface
    private interface BackendCall<T> {
        T run() throws BackendException;
    }

    private static String reasonOf(Throwable error) {
        Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof BackendException b) {
            return b.kind().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (t instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        return t.getClass().getSimpleName();
    }

    private static boolean isUlaw8kMono(JsonNode format) {
        return "audio/x-mulaw".equals(format.path("encoding").asText())
                && format.path("sampleRate").asInt() == 8000
                && format.path("channels").asInt() == 1;
    }

    /**
     * @param payload {@code media.payload} if it is a string, else null
     * @param track   {@code media.track} as text, or null when absent
     */
    private void handleMedia(String payload, String track, long readNanos, String text) {
        if (state == State.AWAITING_START) {
            services.metrics.frameDropped("before_start");
            return;
        }
        if (payload == null || !ClientEvents.isBase64(payload)) {
            malformed(text);
            return;
        }
        if (track != null && !"inbound".equals(track)) {
            return;
        }
        if (muted) {
            services.metrics.frameDropped("muted");
            return;
        }
        if (reconnecting && sessionConfigured) {
            // §5.10: keep the last 3 s of the caller for the replacement session.
            gapAudio.add(payload);
            if (gapAudio.size() > GAP_FRAMES) {
                gapAudio.poll();
                services.metrics.frameDropped("reconnect_overflow");
            }
            return;
        }
        if (!sessionConfigured || socket == null) {
            services.metrics.frameDropped("before_session");
            return;
        }
        send(ClientEvents.append(payload));
        services.metrics.uplink(System.nanoTime() - readNanos);
    }

    private void handleMark(JsonNode message, String text) {
        JsonNode name = message.path("mark").path("name");
        if (!name.isTextual()) {
            malformed(text);
            return;
        }
        markEchoed(name.asText());
    }

    private void markEchoed(String name) {
        ledger.markEchoed(name);
        continueHangup();
        continueTransfer();
    }

    private void handleDtmf(JsonNode message, String text) {
        JsonNode digit = message.path("dtmf").path("digit");
        if (!digit.isTextual() || digit.asText().length() != 1) {
            malformed(text);
            return;
        }
        if (muted || state != State.LIVE) {
            return;
        }
        dtmfDigits.append(digit.asText());
        if (dtmfTimer != null) {
            dtmfTimer.cancel(false);
        }
        if ("#".equals(digit.asText())) {
            sendDtmfCue();
        } else {
            dtmfTimer = schedule(timings.dtmfGap(), this::sendDtmfCue);
        }
    }

    private void sendDtmfCue() {
        if (dtmfDigits.isEmpty() || muted || state != State.LIVE) {
            return;
        }
        String digits = dtmfDigits.toString();
        dtmfDigits.setLength(0);
        LOG.info("caller pressed {} key(s)", digits.length());
        transcript.callerLine("[DTMF " + digits + "]", services.clock.instant());
        send(events.systemCue(agent.dtmfCue(digits)));
        if (activeResponseId == null) {
            requestResponse();
        }
    }

    private void handleStop(JsonNode message) {
        if (state == State.AWAITING_START || state == State.CHECKING) {
            services.registry.upgradeAbandoned();
            endNow(1000, "stop before start");
            return;
        }
        LOG.info("caller hung up (stop)");
        finish(streamEndedByTransfer() ? "transferred" : "caller_hangup", 1000);
    }

    private void callerClosed(int code) {
        if (state == State.AWAITING_START || state == State.CHECKING) {
            services.registry.upgradeAbandoned();
            state = State.ENDED;
            cancelTimers();
            return;
        }
        if (state == State.ENDED) {
            return;
        }
        String reason = code == 1009 ? "protocol_error" : streamEndedByTransfer() ? "transferred" : "stream_closed";
        LOG.info("caller side closed the stream (code {})", code);
        finish(reason, -1);
    }

    private void startTimedOut() {
        if (state == State.AWAITING_START) {
            LOG.warn("no start within {} s of the upgrade: closing", timings.startTimeout().toSeconds());
            services.registry.upgradeAbandoned();
            endNow(1008, "no start");
        }
    }

    private void checkIdle() {
        if (state == State.ENDED || state == State.AWAITING_START || state == State.CHECKING) {
            return;
        }
        if (System.nanoTime() - lastCallerMessageNanos > timings.streamIdleTimeout().toNanos()) {
            LOG.warn("no message from the caller side for {} s: closing", timings.streamIdleTimeout().toSeconds());
            finish("stream_timeout", 1001);
        }
    }

    // ---------------------------------------------------------------- OpenAI side

    private void socketOpened(RealtimeSocket s) {
        if (state != State.CONNECTING || automaticTransfer || socket != null) {
            s.close();
            return;
        }
        socket = s;
        socket.listen(listenerFor(s));
        services.openAiHealth.succeeded();
        // session.created normally comes first; configure anyway if it does not.
        schedule(timings.sessionCreatedWait(), () -> {
            sessionCreatedOrWaited = true;
            configureSession();
        });
    }

    /** Events of one socket; a replaced socket's late events are ignored (the call has moved on). */
    private RealtimeListener listenerFor(RealtimeSocket s) {
        return new RealtimeListener() {
            @Override
            public void onEvent(JsonNode event, long readNanos) {
                exec.execute(() -> {
                    if (s == socket) {
                        handleServerEvent(event, readNanos);
                    }
                });
            }

            @Override
            public void onLost(String reason) {
                exec.execute(() -> {
                    if (s == socket) {
                        socketLost(reason);
                    }
                });
            }
        };
    }

    /** Writes to the current OpenAI socket; nothing while a replacement is being opened. */
    private void send(String event) {
        if (socket != null) {
            socket.send(event);
        }
    }

    private void handleServerEvent(JsonNode event, long readNanos) {
        if (state == State.ENDED) {
            return;
        }
        String type = event.path("type").asText();
        switch (type) {
            case "session.created" -> {
                aiModel = event.path("session").path("model").asText(null);
                sessionCreatedOrWaited = true;
                configureSession();
            }
            case "session.updated" -> LOG.debug("session updated");
            case "input_audio_buffer.speech_started" -> {
                callerSpeaking = true;
                bargeIn(readNanos);
            }
            case "input_audio_buffer.speech_stopped" -> callerSpeaking = false;
            case "conversation.item.truncated" -> LOG.debug("{}", type);
            case "input_audio_buffer.committed" -> transcript.callerCommitted(event.path("item_id").asText(""),
                    event.path("previous_item_id").asText(null), services.clock.instant());
            case "conversation.item.input_audio_transcription.completed" -> {
                transcript.callerTranscribed(event.path("item_id").asText(""), event.path("transcript").asText(""),
                        services.clock.instant());
                LOG.debug("caller: {}", event.path("transcript").asText(""));
            }
            case "conversation.item.input_audio_transcription.failed" -> {
                transcript.callerTranscriptionFailed(event.path("item_id").asText(""));
                LOG.warn("caller transcription failed");
            }
            case "response.output_item.added" -> {
                JsonNode item = event.path("item");
                if ("message".equals(item.path("type").asText()) && "assistant".equals(item.path("role").asText("assistant"))) {
                    transcript.assistantItem(item.path("id").asText(""), services.clock.instant());
                }
            }
            case "response.output_audio_transcript.done" -> {
                transcript.assistantTranscribed(event.path("item_id").asText(""), event.path("transcript").asText(""),
                        services.clock.instant());
                LOG.debug("assistant: {}", event.path("transcript").asText(""));
            }
            case "response.created" -> {
                activeResponseId = event.path("response").path("id").asText(null);
                responseRequested = false;
            }
            case "response.output_audio.delta" -> audioDelta(event, readNanos);
            case "response.output_audio.done" -> audioDone(event);
            case "response.function_call_arguments.done" -> collectFunctionCall(event);
            case "response.done" -> responseDone(event.path("response"));
            case "rate_limits.updated" -> rateLimits(event);
            case "error" -> serverError(event.path("error"));
            default -> {
                // Other events (deltas of transcripts, content parts, …) carry nothing serve needs.
            }
        }
    }

    /** §4.4 step 8: once the agent is loaded and the socket is ready, whichever comes last. */
    private void configureSession() {
        if (sessionConfigured || socket == null || agent == null || !sessionCreatedOrWaited || state != State.CONNECTING
                || automaticTransfer) {
            return;
        }
        sessionConfigured = true;
        sessionStartNanos = System.nanoTime();
        state = State.LIVE;
        send(events.sessionUpdate(services.config, agent));
        send(events.systemCue(agent.openingCue()));
        sendResponseCreate();
        LOG.info("OpenAI session configured (model {}, {} agent, {} tools)", services.config.model(),
                agent.isFallback() ? "fallback" : "restaurant", agent.tools().size());
    }

    private void audioDelta(JsonNode event, long readNanos) {
        String responseId = event.path("response_id").asText(null);
        if (responseId != null && interruptedResponses.contains(responseId)) {
            return;
        }
        String itemId = event.path("item_id").asText("item");
        byte[] audio;
        try {
            audio = Base64.getDecoder().decode(event.path("delta").asText(""));
        } catch (IllegalArgumentException e) {
            LOG.warn("undecodable audio delta ignored");
            return;
        }
        if (audio.length == 0) {
            return;
        }
        if (responseId != null) {
            responsesWithAudio.add(responseId);
        }
        PlayoutLedger.ItemAudio item = ledger.item(itemId, responseId);
        ledger.received(item, audio.length);
        List<byte[]> chunks = chunkers.computeIfAbsent(itemId, id -> new AudioChunker()).feed(audio);
        for (byte[] chunk : chunks) {
            sendChunk(item, chunk, chunk.length);
        }
        if (!chunks.isEmpty()) {
            services.metrics.downlink(System.nanoTime() - readNanos);
        }
    }

    private void audioDone(JsonNode event) {
        String itemId = event.path("item_id").asText("item");
        AudioChunker chunker = chunkers.remove(itemId);
        if (chunker == null) {
            return;
        }
        int audioBytes = chunker.pendingBytes();
        byte[] last = chunker.flush();
        if (last != null) {
            sendChunk(ledger.find(itemId), last, audioBytes);
        }
    }

    private void sendChunk(PlayoutLedger.ItemAudio item, byte[] chunk, int audioBytes) {
        String mark = (item == null ? "prompt" : item.itemId) + ":" + (++markCounter);
        caller.mediaWithMark(chunk, mark);
        ledger.sent(mark, item, audioBytes);
        lastChunkSentNanos = System.nanoTime();
        if (!firstAudioSent && item != null) {
            firstAudioSent = true;
            services.metrics.firstAudio(lastChunkSentNanos - startNanos);
        }
    }

    private boolean chunkersHoldAudio() {
        for (AudioChunker c : chunkers.values()) {
            if (c.pendingBytes() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The caller talks over the assistant: stop playback, tell the model what was heard. */
    private void bargeIn(long readNanos) {
        if (muted || !(ledger.hasUnplayed() || chunkersHoldAudio())) {
            return;
        }
        caller.clear();
        long latency = System.nanoTime() - readNanos;
        for (PlayoutLedger.ItemAudio item : ledger.itemsWithUnplayedAudio()) {
            send(events.truncate(item.itemId, item.heardMs()));
            transcript.interrupted(item.itemId, item.heardMs(),
                    item.receivedBytes == 0 ? 1 : item.heardMs() * 8.0 / item.receivedBytes);
            if (item.responseId != null) {
                interruptedResponses.add(item.responseId);
            }
            LOG.info("barge-in: assistant item cut at {} ms", item.heardMs());
        }
        if (activeResponseId != null) {
            interruptedResponses.add(activeResponseId);
        }
        long unheard = ledger.discardUnplayed();
        for (AudioChunker c : chunkers.values()) {
            unheard += c.pendingBytes();
            c.clear();
        }
        bargeIns++;
        services.metrics.bargeIn(latency, unheard / 8000.0);
    }

    private void collectFunctionCall(JsonNode event) {
        String responseId = event.path("response_id").asText("");
        pendingCalls.computeIfAbsent(responseId, id -> new ArrayList<>()).add(new FunctionCall(
                event.path("call_id").asText(""), event.path("name").asText(""), event.path("arguments").asText(""),
                socketGeneration));
    }

    private void responseDone(JsonNode response) {
        String responseId = response.path("id").asText("");
        String status = response.path("status").asText("");
        countUsage(response.path("usage"));
        if (responseId.equals(activeResponseId)) {
            activeResponseId = null;
        }
        interruptedResponses.remove(responseId);
        boolean hadAudio = responsesWithAudio.remove(responseId);
        List<FunctionCall> calls = pendingCalls.remove(responseId);

        if (hangup != null && hangup.waitingForGoodbye
                && (hangup.goodbyeResponseId == null || hangup.goodbyeResponseId.equals(responseId))) {
            hangup.waitingForGoodbye = false;
            startDrain();
            return;
        }
        if (calls != null && !muted) {
            runFunctionCalls(calls, "completed".equals(status), hadAudio);
        }
        if (responseCreateWaiting && !muted && activeResponseId == null) {
            responseCreateWaiting = false;
            sendResponseCreate();
        }
    }

    /** The function calls of one response, run one by one in output order (§5.7). */
    private static final class ToolBatch {
        final ArrayDeque<FunctionCall> calls;
        final boolean completed;
        final boolean responseHadAudio;
        boolean hangUp;

        ToolBatch(List<FunctionCall> calls, boolean completed, boolean responseHadAudio) {
            this.calls = new ArrayDeque<>(calls);
            this.completed = completed;
            this.responseHadAudio = responseHadAudio;
        }
    }

    /** Batches wait their turn: a response the caller triggered while a tool ran must not run a tool beside it. */
    private void runFunctionCalls(List<FunctionCall> calls, boolean completed, boolean responseHadAudio) {
        batches.add(new ToolBatch(calls, completed, responseHadAudio));
        if (batches.size() == 1) {
            runNext(batches.peek());
        }
    }

    private void runNext(ToolBatch batch) {
        while (!batch.calls.isEmpty()) {
            FunctionCall call = batch.calls.poll();
            long t0 = System.nanoTime();
            ObjectNode immediate = immediateResult(call, batch);
            if (immediate != null) {
                toolAnswered(call, ToolOutcome.of(immediate), t0);
                continue;
            }
            if (ToolCatalogue.TRANSFER_CALL.equals(call.name())) {
                startTransfer(call, batch, t0);
                return;
            }
            Tool tool = services.toolbox.find(call.name()).orElseThrow();
            JsonNode args = parseArguments(call.arguments());
            ToolContext context = toolContext();
            LOG.debug("tool {} arguments {}", call.name(), call.arguments());
            toolRunning = true;
            toolsIdle = new CompletableFuture<>();
            CompletableFuture<ToolOutcome> run = new CompletableFuture<>();
            try {
                String callSid = identity.callSid();
                services.backendWorkers.execute(() -> {
                    org.slf4j.MDC.put("callSid", callSid);
                    try {
                        run.complete(tool.run(args, context));
                    } catch (RuntimeException e) {
                        run.completeExceptionally(e);
                    } finally {
                        org.slf4j.MDC.remove("callSid");
                    }
                });
            } catch (RejectedExecutionException e) {
                run.completeExceptionally(e);
            }
            run.orTimeout(TOOL_CAP.toMillis(), TimeUnit.MILLISECONDS).whenComplete((outcome, error) -> exec.execute(() -> {
                ToolOutcome result = outcome;
                if (error != null) {
                    LOG.warn("tool {} failed to run ({})", call.name(), reasonOf(error));
                    result = ToolOutcome.of(ToolFailures.forTool(call.name(), messages()));
                }
                result.stateChange().accept(callState);
                toolRunning = false;
                toolAnswered(call, result, t0);
                toolsIdle.complete(null);
                runNext(batch);
            }));
            return;
        }
        batches.poll();
        if (state == State.ENDED) {
            batches.clear();
            return;
        }
        if (batch.hangUp) {
            batches.clear();
            beginHangup(batch.responseHadAudio);
            return;
        }
        if (!muted) {
            requestResponse();
        }
        if (!batches.isEmpty()) {
            runNext(batches.peek());
        }
    }

    /** The answer to a call that needs no tool run: interrupted, malformed, call control, unknown. */
    private ObjectNode immediateResult(FunctionCall call, ToolBatch batch) {
        AgentMessages m = messages();
        ObjectNode result = services.json.createObjectNode();
        if (!batch.completed) {
            return result.put("success", false).put("error", "interrupted").put("message", m.get("error.interrupted"));
        }
        if (!validJson(call.arguments())) {
            return result.put("success", false).put("error", "invalid_arguments")
                    .put("message", m.get("error.invalid_arguments", "arguments are not a JSON object"));
        }
        if (ToolCatalogue.END_CALL.equals(call.name())) {
            batch.hangUp = true;
            return result.put("success", true).put("status", "hanging_up");
        }
        if (ToolCatalogue.TRANSFER_CALL.equals(call.name())) {
            if (agent == null || !agent.offers(ToolCatalogue.TRANSFER_CALL) || transferState != TransferState.NONE
                    || "unknown".equals(identity.callSid())) {
                return result.put("success", false).put("error", "transfer_unavailable")
                        .put("message", m.get("error.transfer_unavailable"));
            }
            JsonNode reason = parseArguments(call.arguments()).path("reason");
            if (!reason.isTextual() || reason.asText().isBlank() || reason.asText().length() > 200) {
                return result.put("success", false).put("error", "invalid_arguments")
                        .put("message", m.get("error.invalid_arguments", "reason: required, at most 200 characters"));
            }
            return null;
        }
        if (agent == null || !agent.offers(call.name()) || services.toolbox.find(call.name()).isEmpty()) {
            return result.put("success", false).put("error", "unknown_function")
                    .put("message", m.get("error.unknown_function", call.name()));
        }
        return null;
    }

    private void toolAnswered(FunctionCall call, ToolOutcome outcome, long t0) {
        LOG.info("tool {} -> {}", call.name(), outcome.code());
        services.metrics.toolCall(call.name().isEmpty() ? "unknown" : call.name(), outcome.success(), System.nanoTime() - t0);
        if (state == State.ENDED || socket == null) {
            return;
        }
        if (call.socketGeneration() == socketGeneration) {
            send(events.functionCallOutput(call.callId(), outcome.result()));
        } else {
            // The session that asked is gone; the new one learns the result as a system item.
            send(events.systemCue(call.name() + " → " + outcome.result()));
        }
    }

    private JsonNode parseArguments(String arguments) {
        if (arguments.isBlank()) {
            return services.json.createObjectNode();
        }
        try {
            return services.json.readTree(arguments);
        } catch (java.io.IOException e) {
            return services.json.createObjectNode();
        }
    }

    private ToolContext toolContext() {
        String id = recordId.getNow(null);
        return new ToolContext(agent.config(), identity.restaurantId(), id, identity.callSid(), callerE164,
                callState.view(), services.backend, messages(), services.clock);
    }

    private AgentMessages messages() {
        return agent != null ? agent.messages() : AgentMessages.of("fr");
    }

    private boolean validJson(String arguments) {
        if (arguments.isBlank()) {
            return true;
        }
        try {
            return services.json.readTree(arguments).isObject();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Asks for a response now, or after the one in progress. */
    private void requestResponse() {
        if (activeResponseId != null) {
            responseCreateWaiting = true;
        } else {
            sendResponseCreate();
        }
    }

    /** A response asked for and not yet begun is owed to the caller if the socket is lost meanwhile (§5.10). */
    private void sendResponseCreate() {
        responseRequested = true;
        send(events.responseCreate());
    }

    private void countUsage(JsonNode usage_) {
        if (!usage_.isObject()) {
            return;
        }
        JsonNode in = usage_.path("input_token_details");
        JsonNode cached = in.path("cached_tokens_details");
        JsonNode out = usage_.path("output_token_details");
        long cachedText = cached.path("text_tokens").asLong();
        long cachedAudio = cached.path("audio_tokens").asLong();
        services.metrics.tokens("text_in", Math.max(0, in.path("text_tokens").asLong() - cachedText));
        services.metrics.tokens("text_in_cached", cachedText);
        services.metrics.tokens("audio_in", Math.max(0, in.path("audio_tokens").asLong() - cachedAudio));
        services.metrics.tokens("audio_in_cached", cachedAudio);
        services.metrics.tokens("text_out", out.path("text_tokens").asLong());
        services.metrics.tokens("audio_out", out.path("audio_tokens").asLong());
        if (usage != null) {
            BigDecimal usd = usage.add(usage_);
            CallCosting c = costing();
            services.metrics.cost("ai", c.currency(), c.aiFromUsd(usd).doubleValue());
        }
    }

    private void rateLimits(JsonNode event) {
        for (JsonNode limit : event.path("rate_limits")) {
            if ("tokens".equals(limit.path("name").asText()) && limit.path("remaining").asLong(1) == 0) {
                LOG.warn("OpenAI token rate limit reached (resets in {} s)", limit.path("reset_seconds").asText("?"));
            }
        }
    }

    private void serverError(JsonNode error) {
        String code = error.path("code").asText(error.path("type").asText("unknown"));
        services.metrics.openaiError(code);
        switch (code) {
            case "conversation_already_has_active_response" -> {
                LOG.debug("OpenAI error {}: response.create deferred", code);
                responseRequested = false;
                responseCreateWaiting = true;
            }
            case "rate_limit_exceeded" -> {
                LOG.warn("OpenAI error {}: retrying the response in 1 s", code);
                if (!rateLimitRetried) {
                    rateLimitRetried = true;
                    schedule(Duration.ofSeconds(1), () -> {
                        if (!muted && state == State.LIVE) {
                            requestResponse();
                        }
                    });
                }
            }
            case "session_expired" -> {
                LOG.warn("OpenAI error {}: rollover now", code);
                if (!rolloverPending && !reconnecting) {
                    replaceSession("rollover");
                }
            }
            case "beta_api_shape_disabled", "invalid_api_key", "insufficient_quota" -> {
                LOG.warn("OpenAI error {}", code);
                openAiUnavailable(code);
            }
            default -> LOG.warn("OpenAI error {}: {}", code, excerpt(error.path("message").asText("")));
        }
    }

    private void socketLost(String reason) {
        if (state == State.ENDED || state == State.ENDING) {
            return;
        }
        LOG.warn("OpenAI socket lost mid-call ({})", reason);
        socket = null;
        if (!sessionConfigured || "closed_4000".equals(reason) || reconnecting) {
            openAiUnavailable(reason);
            return;
        }
        replaceSession("socket_lost");
    }

    /**
     * §5.10: opens a new OpenAI socket and re-seeds it from the call's own state. After a loss the caller's
     * audio waits in a 3 s buffer; for a rollover it keeps flowing to the old socket until the switch.
     */
    private void replaceSession(String reason) {
        boolean lost = "socket_lost".equals(reason);
        if (lost) {
            reconnecting = true;
            answerOwedAtLoss = activeResponseId != null || responseCreateWaiting || responseRequested;
            forgetResponses();
        }
        long lossNanos = System.nanoTime();
        services.connector.connect(services.timer).whenComplete((s, error) -> exec.execute(() -> {
            if (state == State.ENDED) {
                if (s != null) {
                    s.close();
                }
                return;
            }
            if (error != null) {
                String why = error instanceof RealtimeConnectException r ? r.reason()
                        : (error.getCause() instanceof RealtimeConnectException r2 ? r2.reason() : "connect_failed");
                if (lost) {
                    reconnecting = false;
                    openAiUnavailable(why);
                } else {
                    rolloverPending = false;
                    LOG.warn("session rollover failed ({}): the current session goes on", why);
                }
                return;
            }
            reseed(s, reason, lossNanos);
        }));
        if (!lost) {
            rolloverPending = true;
        }
    }

    /** The same session.update, one continuity cue, the buffered audio, and a response if one was owed. */
    private void reseed(RealtimeSocket s, String reason, long lossNanos) {
        RealtimeSocket old = socket;
        if (!"socket_lost".equals(reason)) {
            forgetResponses();
        }
        rolloverPending = false;
        socket = s;
        socketGeneration++;
        s.listen(listenerFor(s));
        send(events.sessionUpdate(services.config, agent));
        send(events.systemCue(continuityCue()));
        while (!gapAudio.isEmpty()) {
            send(ClientEvents.append(gapAudio.poll()));
        }
        reconnecting = false;
        sessionStartNanos = System.nanoTime();
        services.openAiHealth.succeeded();
        reconnects++;
        services.metrics.openaiReconnect(reason);
        LOG.info("OpenAI session replaced ({}) in {} ms", reason, (System.nanoTime() - lossNanos) / 1_000_000);
        if (old != null) {
            old.close();
        }
        if (answerOwedAtLoss && !muted) {
            answerOwedAtLoss = false;
            requestResponse();
        }
    }

    /** Responses of a replaced session will never finish; their calls are answered as interrupted if anything. */
    private void forgetResponses() {
        activeResponseId = null;
        responseRequested = false;
        responseCreateWaiting = false;
        pendingCalls.clear();
        interruptedResponses.clear();
        responsesWithAudio.clear();
        for (Map.Entry<String, AudioChunker> e : new ArrayList<>(chunkers.entrySet())) {
            int audioBytes = e.getValue().pendingBytes();
            byte[] last = e.getValue().flush();
            if (last != null) {
                sendChunk(ledger.find(e.getKey()), last, audioBytes);
            }
        }
        chunkers.clear();
    }

    private String continuityCue() {
        List<ContinuityCue.Spoken> spoken = new ArrayList<>();
        for (Transcript.Line l : transcript.lines()) {
            spoken.add(new ContinuityCue.Spoken(l.role(), l.content(), l.heardFraction()));
        }
        String transfer = transferState == TransferState.NONE ? null
                : transferState.name().toLowerCase(java.util.Locale.ROOT) + (transferStatus == null ? "" : " (" + transferStatus + ")");
        java.time.ZoneId zone = agent.config() != null ? agent.config().timeZone() : java.time.ZoneId.of("Europe/Paris");
        String currency = agent.config() != null ? agent.config().currency() : "EUR";
        return ContinuityCue.build(messages(), callState.view(), spoken, transfer,
                (System.nanoTime() - startNanos) / 1_000_000_000L, java.time.ZonedDateTime.now(services.clock).withZoneSameInstant(zone),
                currency);
    }

    /** Every second: replace the session once it is old enough, at a quiet moment, or anyway 240 s later (§5.10). */
    private void checkRollover() {
        if (state != State.LIVE || reconnecting || rolloverPending || muted || !sessionConfigured) {
            return;
        }
        long age = System.nanoTime() - sessionStartNanos;
        long due = Duration.ofSeconds(services.config.agent().sessionRolloverSec()).toNanos();
        if (age < due) {
            return;
        }
        boolean quiet = activeResponseId == null && !responseCreateWaiting && !responseRequested && ledger.isDrained() && !chunkersHoldAudio()
                && !callerSpeaking && !toolRunning;
        if (quiet || age >= due + Duration.ofSeconds(240).toNanos()) {
            LOG.info("OpenAI session is {} s old: rollover", age / 1_000_000_000L);
            replaceSession("rollover");
        }
    }

    /**
     * No model can speak on this call: the caller hears the recorded apology, then the line closes.
     */
    private void openAiUnavailable(String reason) {
        if (endingWithUnavailable || state == State.ENDED) {
            return;
        }
        endingWithUnavailable = true;
        LOG.error("OpenAI unavailable ({}): apology played, call ends", reason);
        services.openAiHealth.failed(reason);
        services.metrics.openaiFailure(reason);
        if (socket != null) {
            socket.abort();
        }
        muted = true;
        state = State.ENDING;
        // The agent loads while the socket opens: a refusal can come first, and the decision then waits for it.
        if (agent != null) {
            decideTransferAfterApology();
        }
        playPromptThenClose(Prompts.Kind.UNAVAILABLE, "openai_unavailable");
    }

    /** §5.12 step 2: with a transfer number and a mode that can transfer, staff take the call after the apology. */
    private void decideTransferAfterApology() {
        AgentConfig config = agent.config();
        transferAfterPrompt = config != null && config.transfer().usable() && transferState == TransferState.NONE
                && services.transfers.available(identity);
    }

    // ---------------------------------------------------------------- transfer

    /**
     * §8.1/§8.2 after an accepted {@code transfer_call}: mute the caller, let the warning play out, then
     * ask Twilio or the bridge. The call's output is held until the outcome is known.
     */
    private void startTransfer(FunctionCall call, ToolBatch batch, long t0) {
        AgentConfig.TransferSettings settings = agent.config().transfer();
        transferState = TransferState.IN_PROGRESS;
        transferTarget = settings.phoneNumber();
        heldTransferCall = call;
        heldTransferBatch = batch;
        heldTransferT0 = t0;
        muted = true;
        if (lastChunkSentNanos == 0) {
            lastChunkSentNanos = System.nanoTime();
        }
        LOG.info("transfer requested: warning drains, then the call goes to {}", PhoneMask.mask(transferTarget));
        continueTransfer();
        schedulePeriodic(Duration.ofMillis(100), this::continueTransfer);
    }

    /** Checked on every mark echo and every 100 ms: once the warning has played (or at the cap), transfer. */
    private void continueTransfer() {
        if (transferState != TransferState.IN_PROGRESS || transferRequested || heldTransferCall == null || state == State.ENDED) {
            return;
        }
        boolean drained = ledger.isDrained() && !chunkersHoldAudio() && activeResponseId == null;
        boolean capped = System.nanoTime() - lastChunkSentNanos > timings.drainCap().toNanos();
        if (!drained && !capped) {
            return;
        }
        transferRequested = true;
        requestTransfer(agent.config().transfer());
    }

    private void requestTransfer(AgentConfig.TransferSettings settings) {
        services.transfers.transfer(identity, settings.phoneNumber(), settings.ringTimeoutSec(), upgradeBase)
                .whenComplete((outcome, error) -> exec.execute(() -> transferDone(
                        error != null || outcome == null ? TransferOutcome.failed(TransferOutcome.Reason.ERROR) : outcome)));
    }

    /**
     * The stream ended after a transfer was asked for: Twilio leaves the stream for its {@code <Dial>}, and
     * the bridge closes it once the caller is handed over (§8.1, §8.2) — the call was transferred.
     */
    private boolean streamEndedByTransfer() {
        if (transferState == TransferState.IN_PROGRESS && (transferRequested || automaticTransfer)) {
            transferState = TransferState.DONE;
            transferStatus = "twilio".equals(identity.mode()) ? "requested" : "completed";
        }
        return transferState == TransferState.DONE;
    }

    /** Bridge mode, automatic transfer (§8.3): the agent is bypassed; a failure brings the full agent with the "transfer failed" opening. */
    private void automaticTransfer(AgentConfig.TransferSettings settings) {
        automaticTransfer = true;
        transferState = TransferState.IN_PROGRESS;
        transferTarget = settings.phoneNumber();
        if (socket != null) {
            socket.close();
            socket = null;
        }
        sessionCreatedOrWaited = false;
        LOG.info("automatic transfer to {}", PhoneMask.mask(transferTarget));
        requestTransfer(settings);
    }

    private void transferDone(TransferOutcome outcome) {
        if (state == State.ENDED) {
            return;
        }
        FunctionCall call = heldTransferCall;
        ToolBatch batch = heldTransferBatch;
        heldTransferCall = null;
        heldTransferBatch = null;
        switch (outcome.status()) {
            case TRANSFERRED -> {
                transferState = TransferState.DONE;
                transferStatus = "twilio".equals(identity.mode()) ? "requested" : "completed";
                LOG.info("call transferred");
                if (call != null) {
                    toolAnswered(call, ToolOutcome.of(services.json.createObjectNode().put("success", true)
                            .put("message", messages().get("ok.transfer_call"))), heldTransferT0);
                }
                batches.clear();
                // Twilio or the bridge ends the stream now; if it does not, serve does.
                schedule(Duration.ofSeconds(10), () -> finish("transferred", 1000));
            }
            case ALREADY_ENDED -> {
                transferState = TransferState.FAILED;
                LOG.info("the call was over before the transfer");
                finish("caller_hangup", 1000);
            }
            case FAILED -> {
                String reason = outcome.reason().code();
                transferState = TransferState.FAILED;
                transferStatus = switch (outcome.reason()) {
                    case BUSY -> "busy";
                    case NO_ANSWER -> "no-answer";
                    case REFUSED -> "failed";
                    case ERROR -> "error";
                };
                if (endingWithUnavailable) {
                    LOG.warn("transfer failed ({}): no agent to fall back on, the call ends", reason);
                    finish("openai_unavailable", 1000);
                    return;
                }
                LOG.warn("transfer failed ({}): the caller stays with the agent", reason);
                muted = false;
                if (automaticTransfer) {
                    automaticTransfer = false;
                    transferFailedParam = reason;
                    agent = AgentProfiles.build(agent.config(), new AgentProfiles.CallContext(
                            "outbound".equals(identity.direction()), purpose, reason, false));
                    configureSession();
                    if (socket == null) {
                        openSocket();
                    }
                    return;
                }
                if (call != null) {
                    ObjectNode failed = services.json.createObjectNode().put("success", false).put("error", "transfer_failed")
                            .put("reason", reason).put("message", messages().get("error.transfer_failed"));
                    toolAnswered(call, ToolOutcome.of(failed), heldTransferT0);
                }
                if (batch != null) {
                    runNext(batch);
                }
            }
        }
    }

    // ---------------------------------------------------------------- ending

    private void startWatchdog() {
        int limit = services.config.maxCallDurationSec();
        if (limit <= 0) {
            return;
        }
        Duration max = Duration.ofSeconds(limit);
        if (max.compareTo(timings.wrapUpMinDuration()) > 0) {
            schedule(max.minus(timings.wrapUpLead()), this::wrapUp);
        }
        schedule(max, this::maxDurationReached);
    }

    private void wrapUp() {
        if (state != State.LIVE || muted) {
            return;
        }
        LOG.info("call nears its maximum duration: wrap-up cue");
        send(events.systemCue(agent.wrapUpCue()));
        requestResponse();
    }

    private void maxDurationReached() {
        if (state == State.ENDED || hangup != null || endingWithUnavailable) {
            return;
        }
        LOG.info("maximum call duration reached ({} s)", services.config.maxCallDurationSec());
        muted = true;
        if (socket != null && activeResponseId != null) {
            send(events.responseCancel());
        }
        hangup = new Hangup("max_duration", timings.watchdogDrainCap().toNanos());
        startDrain();
    }

    /** The model called {@code end_call}: make sure a goodbye is heard, then close. */
    private void beginHangup(boolean responseHadAudio) {
        if (hangup != null) {
            return;
        }
        muted = true;
        state = State.ENDING;
        hangup = new Hangup("agent_end_call", timings.drainCap().toNanos());
        if (responseHadAudio) {
            startDrain();
            return;
        }
        hangup.waitingForGoodbye = true;
        send(events.responseCreate(agent.goodbyeInstructions()));
        schedule(timings.goodbyeResponseCap(), () -> {
            if (hangup.waitingForGoodbye) {
                hangup.waitingForGoodbye = false;
                startDrain();
            }
        });
    }

    private void startDrain() {
        state = State.ENDING;
        hangup.drainStartNanos = System.nanoTime();
        if (lastChunkSentNanos == 0) {
            lastChunkSentNanos = hangup.drainStartNanos;
        }
        continueHangup();
        schedulePeriodic(Duration.ofMillis(100), this::continueHangup);
    }

    /** Checked on every mark echo and every 100 ms: close once the goodbye has played, or at the cap. */
    private void continueHangup() {
        if (hangup == null || hangup.waitingForGoodbye || hangup.drainStartNanos == 0 || state == State.ENDED) {
            return;
        }
        if (endingWithUnavailable && agent == null) {
            return; // whether staff take the call is known once the agent is (AGENT_LOAD_CAP bounds the wait)
        }
        boolean drained = ledger.isDrained() && !chunkersHoldAudio() && activeResponseId == null;
        long capFrom = hangup.capFromDrainStart ? Math.max(lastChunkSentNanos, hangup.drainStartNanos) : lastChunkSentNanos;
        boolean capped = System.nanoTime() - capFrom > hangup.capNanos;
        if (drained || capped) {
            if (capped && !drained) {
                LOG.warn("goodbye not confirmed played within {} s: closing anyway", hangup.capNanos / 1_000_000_000L);
            }
            String reason = hangup.endReason;
            hangup.drainStartNanos = 0;
            if (transferAfterPrompt) {
                transferAfterPrompt = false;
                AgentConfig.TransferSettings settings = agent.config().transfer();
                transferState = TransferState.IN_PROGRESS;
                transferTarget = settings.phoneNumber();
                transferRequested = true;
                LOG.info("OpenAI unavailable: transferring to {}", PhoneMask.mask(transferTarget));
                requestTransfer(settings);
                return;
            }
            int closeCode = hangup.closeCode;
            schedule(timings.afterDrainPause(), () -> finish(reason, closeCode));
        }
    }

    /** Plays a recorded prompt as media + marks, closes after its last mark echo (capped). */
    private void playPromptThenClose(Prompts.Kind kind, String endReason) {
        byte[] prompt = services.prompts.get(kind, agent != null ? agent.language() : "fr");
        AudioChunker chunker = new AudioChunker();
        for (byte[] chunk : chunker.feed(prompt)) {
            sendChunk(null, chunk, chunk.length);
        }
        int rest = chunker.pendingBytes();
        byte[] last = chunker.flush();
        if (last != null) {
            sendChunk(null, last, rest);
        }
        hangup = new Hangup(endReason, timings.promptDrainCap().toNanos());
        startDrain();
    }

    @Override
    public void endForShutdown() {
        exec.execute(() -> {
            if (state == State.ENDED || hangup != null) {
                return; // ended, or already ending with its own drain (goodbye, prompt, limit)
            }
            if (state != State.LIVE || lastChunkSentNanos == 0) {
                LOG.info("serve is shutting down: call ended");
                finish("shutdown", 1001);
                return;
            }
            // The caller is not cut mid-sentence: what was already sent plays out (capped), then the line closes.
            LOG.info("serve is shutting down: the assistant's audio already sent plays out, then the call ends");
            muted = true;
            if (socket != null && activeResponseId != null) {
                send(events.responseCancel());
            }
            hangup = new Hangup("shutdown", timings.watchdogDrainCap().toNanos(), true, 1001);
            startDrain();
        });
    }

    /**
     * Ends the call exactly once: closes both sockets, updates capacity and metrics.
     *
     * @param closeCode the code to close the caller side with, or -1 when it is already closed
     * @param endReason null for a stream that never became a call (busy)
     */
    private void finish(String endReason, int closeCode) {
        if (!finalized.compareAndSet(false, true)) {
            return;
        }
        state = State.ENDED;
        cancelTimers();
        if (socket != null) {
            socket.close();
        }
        if (closeCode > 0) {
            caller.close(closeCode, endReason == null ? "busy" : endReason);
        }
        if (activeInRegistry) {
            services.registry.release(this);
            services.finalizing.incrementAndGet();
            long endNanos = System.nanoTime();
            Instant endedAt = services.clock.instant();
            // §4.6.6: a tool still running decides the outcome too (an order it stores is an order placed).
            toolsIdle.completeOnTimeout(null, TOOL_CAP.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((v, e) -> exec.execute(() -> finalizeRecord(endReason, endNanos, endedAt)));
        }
    }

    /** §6.5 outcome: the first that applies. */
    private String outcome() {
        if (transferState == TransferState.DONE) {
            return "transferred";
        }
        if (callState.orderPlaced()) {
            return "order_placed";
        }
        if (callState.reservationPlaced()) {
            return "reservation_placed";
        }
        if (callState.messageLeft()) {
            return "message_left";
        }
        if (endingWithUnavailable) {
            return "error";
        }
        return transcript.callerSpoke() ? "info_only" : "abandoned";
    }

    private CallCosting costing() {
        return CallCosting.of(services.config.agent(), agent != null ? agent.config() : null, usage);
    }

    /** Finalize (§6.5): outcome, duration, transcript, tokens and costs, the automatic message, {@code finishCall}. */
    private void finalizeRecord(String endReason, long endNanos, Instant endedAt) {
        String outcome = outcome();
        long durationSec = Math.max(0, (endNanos - startNanos) / 1_000_000_000L);
        services.metrics.callEnded(identity.mode(), outcome);
        LOG.info("call ended: reason={} outcome={} duration={}s", endReason, outcome, durationSec);
        if (identity.restaurantId() == null) {
            services.finalizing.decrementAndGet();
            return;
        }
        CallCosting costing = costing();
        CallUsage u = usage != null ? usage : new CallUsage(CallUsage.configured(services.config.agent()));
        CallCosting.Costs costs = costing.costs(u.usd(), "twilio".equals(identity.mode()), durationSec, callState.googleApiCalls());
        if (costs.telecom().signum() > 0) {
            services.metrics.cost("telecom", costing.currency(), costs.telecom().doubleValue());
        }
        List<Transcript.Line> lines = transcript.lines();
        List<CallRecord.TranscriptLine> recordLines = CallRecorder.recordLines(lines);
        String country = agent != null && agent.config() != null ? agent.config().country() : "FR";
        boolean automaticMessage = transcript.callerSpoke() && !callState.orderPlaced() && !callState.reservationPlaced()
                && !callState.messageLeft() && transferState != TransferState.DONE;
        String caller = callerE164.isEmpty() ? null : callerE164;
        String model = aiModel != null ? aiModel : services.config.model();
        String customerId = callState.customer().id();
        java.util.function.Function<String, CallRecord> record = id -> new CallRecord(id, identity.restaurantId(),
                identity.callSid(), identity.streamSid(), identity.mode(), identity.direction(), caller,
                PhoneNumbers.normalize(identity.calledNumber(), country), customerId, startedAt, endedAt,
                durationSec, outcome, endReason, recordLines, u.inputTokens(), u.outputTokens(), u.inputAudioTokens(),
                u.outputAudioTokens(), u.cachedInputTokens(), costs.ai(), costs.telecom(), costs.google(), costing.currency(),
                model, reconnects, bargeIns, transferTarget, transferStatus);
        new CallRecorder(services).write(recordId, record,
                automaticMessage ? CallRecorder.automaticMessage(lines, messages()) : null, identity.callSid(),
                services.finalizing::decrementAndGet);
    }

    /** Closes a stream that never became a call. */
    private void endNow(int code, String why) {
        state = State.ENDED;
        finalized.set(true);
        cancelTimers();
        caller.close(code, why);
    }

    // ---------------------------------------------------------------- timers

    private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        try {
            ScheduledFuture<?> f = services.timer.schedule(() -> exec.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
            timers.removeIf(ScheduledFuture::isDone);
            timers.add(f);
            return f;
        } catch (RejectedExecutionException e) {
            return null; // serve is stopping
        }
    }

    private void schedulePeriodic(Duration period, Runnable task) {
        try {
            timers.add(services.timer.scheduleAtFixedRate(() -> exec.execute(task),
                    period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            // serve is stopping
        }
    }

    private void cancelTimers() {
        timers.forEach(t -> t.cancel(false));
        timers.clear();
    }

    /** For tests and logs: the call's identity once {@code start} was handled. */
    public CallIdentity identity() {
        return identity;
    }
}
