package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.agent.CallState;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.Customer;
import io.voiceorder.app.restaurant.CustomerUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code save_customer_info} (§6.4.4): upsert keyed by the caller's own number — never a number from
 * the arguments. Empty values keep what is stored.
 */
public final class SaveCustomerInfoTool implements Tool {
    public static final String NAME = "save_customer_info";
    private static final Logger LOG = LoggerFactory.getLogger(SaveCustomerInfoTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        if (ctx.anonymousCaller()) {
            return ToolOutcome.of(Replies.failure(ctx.messages(), "no_caller_number"));
        }
        ToolArgs args = new ToolArgs(arguments);
        CustomerUpdate update;
        try {
            update = new CustomerUpdate(
                    args.optionalText("first_name", 100),
                    args.optionalText("delivery_address", ToolArgs.DEFAULT_MAX_CHARS),
                    args.optionalText("delivery_city", ToolArgs.DEFAULT_MAX_CHARS),
                    args.optionalText("delivery_postal_code", ToolArgs.DEFAULT_MAX_CHARS),
                    args.optionalText("delivery_notes", ToolArgs.DEFAULT_MAX_CHARS));
            if (update.isEmpty()) {
                throw new InvalidArgumentException("invalid_arguments", "first_name", "give at least one value");
            }
        } catch (InvalidArgumentException e) {
            return ToolOutcome.of(Replies.invalid(ctx.messages(), e));
        }
        Customer saved;
        try {
            saved = ctx.backend().saveCustomer(ctx.restaurantId(), ctx.callerPhone(), update);
        } catch (BackendException e) {
            LOG.warn("customer not saved: backend {} ({})", e.kind(), e.getMessage());
            return ToolOutcome.of(Replies.failure(ctx.messages(), "customer_not_saved"));
        }
        return ToolOutcome.of(Replies.success(ctx.messages(), "ok.save_customer_info"), s -> {
            CallState.Customer c = s.customer();
            boolean newAddress = update.deliveryAddress() != null;
            s.customer(new CallState.Customer(
                    saved.id() != null ? saved.id() : c.id(),
                    firstNonNull(update.firstName(), saved.firstName(), c.firstName()),
                    firstNonNull(update.deliveryAddress(), c.address()),
                    firstNonNull(update.deliveryCity(), c.city()),
                    firstNonNull(update.deliveryPostalCode(), c.postalCode()),
                    newAddress ? null : c.lat(), newAddress ? null : c.lng(), c.previousOrders()));
        });
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
