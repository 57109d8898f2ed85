package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.CallState;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AvailabilityQuery;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.ServiceMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * {@code check_availability} (§6.4.1): asks the backend, and a positive answer becomes the call's
 * check for that mode — what {@code confirm_order} and {@code confirm_reservation} require. Keeps
 * the original {@code available} result shape.
 */
public final class CheckAvailabilityTool implements Tool {
    public static final String NAME = "check_availability";
    static final List<String> SEATING = List.of("window", "outdoor", "large_table", "quiet", "bar");
    private static final int DEFAULT_MAX_PARTY = 20;
    private static final Logger LOG = LoggerFactory.getLogger(CheckAvailabilityTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        ToolArgs args = new ToolArgs(arguments);
        ServiceMode mode;
        LocalTime time;
        String address;
        String city;
        String postal;
        Integer party;
        String seating;
        try {
            mode = ServiceMode.fromWire(args.requiredEnum("mode", List.of("pickup", "delivery", "reservation"))).orElseThrow();
            time = args.optionalTime("requested_time");
            address = args.optionalText("customer_address", ToolArgs.DEFAULT_MAX_CHARS);
            city = args.optionalText("customer_city", ToolArgs.DEFAULT_MAX_CHARS);
            postal = args.optionalText("customer_postal_code", ToolArgs.DEFAULT_MAX_CHARS);
            party = args.optionalInt("party_size");
            AgentConfig.ReservationTerms terms = ctx.agent().reservations();
            int maxParty = terms == null ? DEFAULT_MAX_PARTY : terms.maxPartySize();
            if (party != null && (party < 1 || party > maxParty)) {
                throw new InvalidArgumentException("invalid_arguments", "party_size", "between 1 and " + maxParty);
            }
            seating = args.optionalEnum("seating_preference", SEATING);
        } catch (InvalidArgumentException e) {
            ObjectNode r = Replies.invalid(ctx.messages(), e);
            return ToolOutcome.of(withAvailableFalse(r));
        }
        CallState.Customer customer = ctx.state().customer();
        // Stored coordinates only for the stored address: a new address must be located afresh.
        boolean sameAddress = address != null && customer.address() != null && Names.same(address, customer.address());
        AvailabilityQuery query = new AvailabilityQuery(mode, time, address, city, postal, party, seating,
                sameAddress ? customer.lat() : null, sameAddress ? customer.lng() : null);
        AvailabilityResult result;
        try {
            result = ctx.backend().checkAvailability(ctx.restaurantId(), query);
        } catch (BackendException e) {
            LOG.warn("availability check failed: backend {} ({})", e.kind(), e.getMessage());
            return ToolOutcome.of(withAvailableFalse(Replies.failure(ctx.messages(), "availability_unavailable")));
        }
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("success", true);
        reply.put("available", result.available());
        reply.put("mode", mode.wire());
        int google = result.googleApiCalls();
        if (!result.available()) {
            reply.put("reason", result.reason());
            if (result.nextOpening() != null) {
                reply.put("nextOpening", result.nextOpening());
            }
            if (result.seatsAvailable() != null) {
                reply.put("seatsAvailable", result.seatsAvailable());
            }
            reply.put("message", ctx.messages().get("unavailable.reason", result.reason()));
            return ToolOutcome.of(reply, s -> s.googleApiCalls(google));
        }
        for (Map.Entry<String, Object> extra : result.extra().entrySet()) {
            reply.putPOJO(extra.getKey(), extra.getValue());
        }
        reply.put("estimatedTime", result.estimatedTime());
        if (result.estimatedTimeIso() != null) {
            reply.put("estimatedTimeISO", result.estimatedTimeIso().toString());
        }
        if (mode == ServiceMode.DELIVERY) {
            putMoney(reply, "deliveryFee", result.deliveryFee());
            putMoney(reply, "freeAbove", result.freeAbove());
            putMoney(reply, "minOrder", result.minOrder());
            if (result.customerAddressFormatted() != null) {
                reply.put("customerAddressFormatted", result.customerAddressFormatted());
            }
        }
        if (mode == ServiceMode.RESERVATION && result.seatsAvailable() != null) {
            reply.put("seatsAvailable", result.seatsAvailable());
        }
        reply.put("message", ctx.messages().get("ok.check_availability", result.estimatedTime()));
        CallState.AvailabilityCheck check = new CallState.AvailabilityCheck(result, ctx.clock().instant(), party,
                address, city, postal);
        return ToolOutcome.of(reply, s -> {
            s.availabilityChecked(check);
            s.googleApiCalls(google);
        });
    }

    private static void putMoney(ObjectNode reply, String field, java.math.BigDecimal amount) {
        if (amount != null) {
            reply.put(field, amount);
        }
    }

    private static ObjectNode withAvailableFalse(ObjectNode failure) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("available", false);
        r.setAll(failure);
        return r;
    }
}
