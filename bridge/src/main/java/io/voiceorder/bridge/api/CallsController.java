package io.voiceorder.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.voiceorder.bridge.call.CallControl;
import io.voiceorder.bridge.call.CallRecord;
import io.voiceorder.bridge.call.CallRefusedException;
import io.voiceorder.bridge.call.CallRegistry;
import io.voiceorder.bridge.call.CallStatus;
import io.voiceorder.bridge.call.CallView;
import io.voiceorder.bridge.call.transfer.Transfer;
import io.voiceorder.bridge.call.transfer.TransferRequest;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/calls} (bridge.md §3.2, §3.4, §3.5, §3.6). Runs off the event loop: placing a call probes the WebSocket
 * target (≤ 1 s) a DELETE waits (≤ 2 s) for the hang-up to complete, and a transfer waits for its hand-off or failure.
 */
@Controller("/api/calls")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class CallsController {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallRegistry registry;
    private final CallControl control;

    public CallsController(CallRegistry registry, CallControl control) {
        this.registry = registry;
        this.control = control;
    }

    @Get
    public List<CallView> list(@Nullable @QueryValue("status") String status) {
        if (status != null) {
            try {
                CallStatus.ofJson(status);
            } catch (IllegalArgumentException e) {
                throw OutboundRequestParser.bad("'status' must be one of initiated, ringing, answered, active, completed, "
                        + "failed, busy, no-answer, cancelled, transferred.");
            }
        }
        return registry.list().stream().map(CallRecord::view).filter(v -> status == null || v.status().equals(status)).toList();
    }

    @Get("/{sid}")
    public CallView get(@PathVariable String sid) {
        return find(sid).view();
    }

    @Post
    @Consumes(MediaType.ALL)
    public HttpResponse<CallView> place(@Nullable @Body String body) {
        try {
            CallRecord call = control.place(OutboundRequestParser.parse(body));
            return HttpResponse.<CallView>created(call.view()).headers(h -> h.location(URI.create("/api/calls/" + call.sid())));
        } catch (CallRefusedException e) {
            throw refused(e);
        }
    }

    @Delete("/{sid}")
    public Map<String, Object> hangup(@PathVariable String sid) {
        find(sid);
        try {
            CallRecord call = control.hangup(sid);
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("status", call.status().json());
            reply.put("sid", sid);
            return reply;
        } catch (CallRefusedException e) {
            throw refused(e);
        }
    }

    @Post("/{sid}/dtmf")
    @Consumes(MediaType.ALL)
    public Map<String, Object> dtmf(@PathVariable String sid, @Nullable @Body String body) {
        find(sid);
        JsonNode node;
        try {
            node = JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw OutboundRequestParser.bad("The body must be a JSON object.");
        }
        if (node == null || !node.isObject() || !node.path("digits").isTextual()) {
            throw OutboundRequestParser.bad("'digits' is required: 0-9 * # A-D and w (pause), at most 64 characters.");
        }
        String digits = node.path("digits").asText();
        if (digits.isEmpty() || !OutboundRequestParser.DIGITS.matcher(digits).matches()) {
            throw OutboundRequestParser.bad("'digits' may hold only 0-9 * # A-D and w (pause), 1 to 64 characters.");
        }
        JsonNode d = node.has("durationMs") ? node.get("durationMs") : node.get("duration_ms");
        int duration = 100;
        if (d != null && !d.isNull()) {
            if (!d.isInt() || d.asInt() < 40 || d.asInt() > 500) {
                throw OutboundRequestParser.bad("'durationMs' must be a whole number between 40 and 500.");
            }
            duration = d.asInt();
        }
        try {
            control.sendDigits(sid, digits, duration);
        } catch (CallRefusedException e) {
            throw refused(e);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("sid", sid);
        reply.put("digits", digits);
        reply.put("status", "queued");
        return reply;
    }

    /**
     * Blind transfer (bridge.md §3.5): with {@code wait} the reply comes once the call was handed off (200) or the
     * transfer failed (502, the call and its stream untouched); without, at once with {@code transfer.state: pending}.
     */
    @Post("/{sid}/transfer")
    @Consumes(MediaType.ALL)
    public HttpResponse<?> transfer(@PathVariable String sid, @Nullable @Body String body) {
        find(sid);
        TransferRequest request = TransferRequestParser.parse(body);
        Transfer transfer;
        try {
            transfer = control.transfer(sid, request);
        } catch (CallRefusedException e) {
            throw refused(e);
        }
        if (request.awaitHandOff() && !transfer.awaitOutcome(transfer.longestWait()).orElse(false)) {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("error", "transfer_failed");
            reply.put("message", "The transfer to " + transfer.destination() + " failed; the call stays with serve.");
            reply.put("transfer", transfer.view());
            return HttpResponse.status(HttpStatus.BAD_GATEWAY).body(reply);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", "transferred");
        reply.put("sid", sid);
        reply.put("destination", transfer.destination());
        reply.put("transfer", request.awaitHandOff() ? transfer.view() : transfer.startedView());
        return HttpResponse.ok(reply);
    }

    private CallRecord find(String sid) {
        return registry.find(sid).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "not_found",
                "No call with this sid (ended calls are kept 30 s)."));
    }

    private static ApiException refused(CallRefusedException e) {
        return new ApiException(HttpStatus.valueOf(e.httpStatus()), e.code(), e.getMessage(),
                e.retryAfterSec().isPresent() ? e.retryAfterSec().getAsLong() : null);
    }
}
