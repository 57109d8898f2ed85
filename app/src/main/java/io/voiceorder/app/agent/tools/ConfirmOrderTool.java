package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.CallState;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.OrderType;
import io.voiceorder.app.restaurant.PlacedOrder;
import io.voiceorder.app.restaurant.PricedOrder;
import io.voiceorder.app.restaurant.PricedOrder.PricedLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code confirm_order} (§6.4.2): checks the call's availability check, the service, every line
 * against the menu index, the minimum order, the payment method and the announced total — in that
 * order — then stores the order priced by serve. A second identical order in the same call returns
 * the first one.
 */
public final class ConfirmOrderTool implements Tool {
    public static final String NAME = "confirm_order";
    static final Duration CHECK_VALIDITY = Duration.ofMinutes(15);
    private static final BigDecimal TOLERANCE = new BigDecimal("0.01");
    private static final List<String> ORDER_TYPES = List.of("pickup", "delivery", "dine_in");
    private static final List<String> PAYMENT_METHODS = List.of("cash", "card", "online");
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmOrderTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        ToolArgs args = new ToolArgs(arguments);
        OrderType type;
        JsonNode items;
        BigDecimal announced;
        String payment;
        String notes;
        try {
            type = OrderType.fromWire(args.requiredEnum("order_type", ORDER_TYPES)).orElseThrow();
            items = args.raw().get("items");
            if (items == null || !items.isArray() || items.isEmpty() || items.size() > OrderPricer.MAX_LINES) {
                throw new InvalidArgumentException("invalid_arguments", "items", "1 to " + OrderPricer.MAX_LINES + " lines");
            }
            for (JsonNode line : items) {
                if (!line.isObject()) {
                    throw new InvalidArgumentException("invalid_arguments", "items[]", "each line is an object");
                }
            }
            announced = args.optionalNumber("total");
            if (announced == null) {
                throw new InvalidArgumentException("invalid_arguments", "total", "required: the total announced to the caller");
            }
            payment = args.optionalEnum("payment_method", PAYMENT_METHODS);
            notes = args.optionalText("notes", 500);
        } catch (InvalidArgumentException e) {
            return ToolOutcome.of(Replies.invalid(ctx.messages(), e));
        }
        payment = payment == null ? "cash" : payment;
        AgentConfig agent = ctx.agent();

        CallState.AvailabilityCheck check = ctx.state().checks().get(type.checkedMode());
        Instant now = ctx.clock().instant();
        if (check == null || Duration.between(check.at(), now).compareTo(CHECK_VALIDITY) > 0) {
            return refused(Replies.failure(ctx.messages(), "availability_not_checked", type.checkedMode().wire())
                    .put("mode", type.checkedMode().wire()), "");
        }
        boolean offered = type == OrderType.DELIVERY ? agent.services().delivery() : agent.services().pickup();
        if (!offered) {
            return refused(Replies.failure(ctx.messages(), "service_not_available").put("order_type", type.wire()), "");
        }
        if (!agent.menu().pricesKnown()) {
            return refused(Replies.failure(ctx.messages(), "pricing_unavailable"), "");
        }
        OrderPricer.Result priced;
        try {
            priced = new OrderPricer(agent.menu()).price(items);
        } catch (InvalidArgumentException e) {
            return ToolOutcome.of(Replies.invalid(ctx.messages(), e));
        }
        if (!priced.ok()) {
            return refused(pricingFailure(ctx, priced), "");
        }
        BigDecimal subtotal = priced.subtotal();
        String summary = summary(priced.lines());
        BigDecimal fee = BigDecimal.ZERO;
        if (type == OrderType.DELIVERY) {
            AvailabilityResult r = check.result();
            AgentConfig.DeliveryTerms terms = agent.delivery();
            BigDecimal baseFee = first(r.deliveryFee(), terms == null ? null : terms.fee());
            BigDecimal freeAbove = first(r.freeAbove(), terms == null ? null : terms.freeAbove());
            BigDecimal minOrder = first(r.minOrder(), terms == null ? null : terms.minOrder());
            if (minOrder != null && subtotal.compareTo(minOrder) < 0) {
                return refused(Replies.failure(ctx.messages(), "below_minimum_order",
                                Replies.spokenAmount(subtotal, agent.currency(), agent.language()),
                                Replies.spokenAmount(minOrder, agent.currency(), agent.language()))
                        .put("subtotal", subtotal).put("min_order", Replies.money(minOrder)), summary);
            }
            boolean free = freeAbove != null && subtotal.compareTo(freeAbove) >= 0;
            fee = free || baseFee == null ? BigDecimal.ZERO : baseFee;
        }
        fee = Replies.money(fee);
        if (!agent.paymentMethods().isEmpty() && !agent.paymentMethods().contains(payment)) {
            ObjectNode r = Replies.failure(ctx.messages(), "payment_method_not_accepted", String.join(", ", agent.paymentMethods()));
            ArrayNode accepted = r.putArray("accepted");
            agent.paymentMethods().forEach(accepted::add);
            return refused(r, summary);
        }
        BigDecimal total = Replies.money(subtotal.add(fee));
        if (announced.subtract(total).abs().compareTo(TOLERANCE) > 0) {
            ObjectNode r = Replies.failure(ctx.messages(), "total_mismatch", Replies.spokenAmount(total, agent.currency(), agent.language()));
            r.put("computed_total", total).put("subtotal", subtotal).put("delivery_fee", fee);
            ArrayNode lines = r.putArray("lines");
            for (int i = 0; i < priced.lines().size(); i++) {
                PricedLine l = priced.lines().get(i);
                ObjectNode line = lines.addObject();
                line.set("id", items.get(i).get("id"));
                line.put("name", l.name()).put("quantity", l.quantity())
                        .put("unit_price", l.unitPrice()).put("total_price", l.totalPrice());
            }
            return refused(r, summary);
        }
        for (CallState.OrderPlaced placed : ctx.state().orders()) {
            if (placed.total().compareTo(total) == 0 && placed.lines().equals(priced.lines())) {
                ObjectNode again = (ObjectNode) Json.parse(placed.replyJson());
                again.put("duplicate", true);
                return ToolOutcome.of(again);
            }
        }
        return store(ctx, type, check, priced.lines(), subtotal, fee, total, payment, notes, summary);
    }

    private ToolOutcome store(ToolContext ctx, OrderType type, CallState.AvailabilityCheck check, List<PricedLine> lines,
                              BigDecimal subtotal, BigDecimal fee, BigDecimal total, String payment, String notes,
                              String summary) {
        AgentConfig agent = ctx.agent();
        CallState.Customer customer = ctx.state().customer();
        AvailabilityResult r = check.result();
        boolean delivery = type == OrderType.DELIVERY;
        PricedOrder order = new PricedOrder(ctx.restaurantId(), ctx.callRecordId(), customer.id(), customer.firstName(),
                ctx.anonymousCaller() ? null : ctx.callerPhone(), type, lines, subtotal, fee, total, agent.currency(),
                delivery ? first(check.address(), r.customerAddressFormatted()) : null,
                delivery ? check.city() : null, delivery ? check.postalCode() : null,
                delivery ? r.deliveryDistanceKm() : null, delivery ? r.customerLat() : null, delivery ? r.customerLng() : null,
                r.estimatedTimeIso(), payment, notes);
        PlacedOrder placed;
        try {
            placed = ctx.backend().placeOrder(order);
        } catch (BackendException e) {
            if (e.kind() == BackendException.Kind.UNKNOWN_OUTCOME) {
                LOG.error("order may or may not be stored (backend gave no answer in time): staff must check; total {} {}",
                        total, agent.currency());
                return refused(Replies.failure(ctx.messages(), "order_status_unknown"), summary);
            }
            LOG.warn("order not stored: backend {} ({})", e.kind(), e.getMessage());
            return refused(Replies.failure(ctx.messages(), "order_not_saved"), summary);
        }
        String time = r.estimatedTime() != null ? r.estimatedTime()
                : r.estimatedTimeIso() != null ? r.estimatedTimeIso().format(Replies.HH_MM) : "";
        String modeWord = delivery ? "livree" : "prete";
        String number = placed.orderNumber() == null ? "" : String.valueOf(placed.orderNumber());
        ObjectNode reply = Replies.success()
                .put("order_id", placed.id());
        if (placed.orderNumber() != null) {
            reply.put("order_number", placed.orderNumber());
        } else {
            reply.putNull("order_number");
        }
        reply.put("subtotal", subtotal).put("delivery_fee", fee).put("total", total).put("currency", agent.currency())
                .put("heure_estimee", time).put("mode", modeWord)
                .put("message", ctx.messages().get("ok.confirm_order", number,
                        Replies.spokenAmount(total, agent.currency(), agent.language()),
                        ctx.messages().get(delivery ? "ok.confirm_order.delivery" : "ok.confirm_order.pickup"), time));
        Instant at = ctx.clock().instant();
        String replyJson = reply.toString();
        LOG.info("order stored: number {} total {} {}", number, total, agent.currency());
        return ToolOutcome.of(reply, s -> s.orderPlaced(new CallState.OrderPlaced(placed.id(), placed.orderNumber(),
                lines, total, at, replyJson)));
    }

    private static ObjectNode pricingFailure(ToolContext ctx, OrderPricer.Result priced) {
        ObjectNode d = priced.details();
        String code = priced.error();
        ObjectNode r = switch (code) {
            case "unknown_item" -> Replies.failure(ctx.messages(), code, join(d.get("invalid_ids")), d.path("valid_range").asText());
            case "unknown_option" -> Replies.failure(ctx.messages(), code, d.path("id").asText(), join(d.get("valid_options")));
            case "unknown_choice", "missing_required_option" -> Replies.failure(ctx.messages(), code,
                    d.path("id").asText(), d.path("option").asText(), join(d.get("valid_choices")));
            case "too_many_choices" -> Replies.failure(ctx.messages(), code, d.path("id").asText(), d.path("option").asText());
            default -> Replies.failure(ctx.messages(), code, d.path("id").asText());
        };
        r.setAll(d);
        return r;
    }

    private static ToolOutcome refused(ObjectNode result, String summary) {
        String error = result.path("error").asText();
        return ToolOutcome.of(result, s -> s.orderRefused(new CallState.RefusedOrder(error, summary)));
    }

    private static String summary(List<PricedLine> lines) {
        return lines.stream().map(l -> l.quantity() + "x " + l.name()
                        + (l.selectedOptions().isEmpty() ? "" : " (" + l.selectedOptions().stream()
                        .map(PricedOrder.SelectedOption::choice).collect(Collectors.joining(", ")) + ")")
                        + " " + l.totalPrice())
                .collect(Collectors.joining("; "));
    }

    private static String join(JsonNode array) {
        if (array == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode n : array) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(n.asText());
        }
        return b.toString();
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }
}
