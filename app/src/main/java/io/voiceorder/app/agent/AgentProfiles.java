package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.agent.tools.ToolCatalogue;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.PromptText;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a call's {@link AgentProfile} from the restaurant's agent snapshot (§6.2): which tools are
 * offered, the instructions followed by serve's rules block (§5.2), and the opening cue (§5.3).
 * Without a snapshot (unknown restaurant, backend failure) it is the fallback agent: apologise,
 * take a message, never invent anything.
 */
public final class AgentProfiles {

    /** What about this call changes the agent: direction, the transfer possibilities, the opening. */
    public record CallContext(boolean outbound, String purpose, String transferFailed, boolean transferPossible) {
    }

    private AgentProfiles() {
    }

    public static AgentProfile build(AgentConfig config, CallContext call) {
        AgentMessages messages = AgentMessages.of(config.language());
        boolean transfer = call.transferPossible() && config.transfer().usable() && !config.transfer().automatic()
                && (call.transferFailed() == null || call.transferFailed().isBlank());
        List<JsonNode> tools;
        Set<String> offered = new LinkedHashSet<>();
        if (config.source() == AgentConfig.Source.BACK_OFFICE) {
            tools = new ArrayList<>();
            for (JsonNode tool : config.tools()) {
                String name = tool.path("name").asText();
                if (!ToolCatalogue.TRANSFER_CALL.equals(name) || transfer) {
                    tools.add(tool);
                    offered.add(name);
                }
            }
            // Hanging up is serve's own call control: the agent can always end the call after its goodbye.
            if (!offered.contains(ToolCatalogue.END_CALL)) {
                tools.addAll(ToolCatalogue.get().schemas(Set.of(ToolCatalogue.END_CALL)));
                offered.add(ToolCatalogue.END_CALL);
            }
        } else {
            offered.addAll(offeredByServices(config, transfer));
            tools = ToolCatalogue.get().schemas(offered);
        }
        PromptText instructions = config.instructions().promptFor(transfer).then("\n\n", messages.get("rules"));
        return new AgentProfile(config, instructions, config.language(), config.voice(), tools, offered,
                openingCue(config, call, messages), messages);
    }

    /** The fallback agent of §6.2: French, {@code leave_message} and {@code end_call} only. */
    public static AgentProfile fallback() {
        AgentMessages messages = AgentMessages.of("fr");
        Set<String> offered = Set.of("leave_message", ToolCatalogue.END_CALL);
        return new AgentProfile(null, PromptText.of(messages.get("fallback.instructions")).then("\n\n", messages.get("rules")), "fr", null,
                ToolCatalogue.get().schemas(offered), offered, messages.get("fallback.opening"), messages);
    }

    /** §6.2: the tools a restaurant's services call for. */
    static Set<String> offeredByServices(AgentConfig config, boolean transfer) {
        Set<String> names = new LinkedHashSet<>(List.of("check_availability", "save_customer_info", "log_new_faq",
                "leave_message", ToolCatalogue.END_CALL));
        AgentConfig.Services s = config.services();
        if (s.pickup() || s.delivery()) {
            names.add("confirm_order");
        }
        if (s.reservation()) {
            names.addAll(List.of("confirm_reservation", "lookup_reservation", "cancel_reservation"));
        }
        if (s.orderStatus()) {
            names.addAll(List.of("check_order_status", "cancel_order"));
        }
        if (transfer) {
            names.add(ToolCatalogue.TRANSFER_CALL);
        }
        return names;
    }

    private static String openingCue(AgentConfig config, CallContext call, AgentMessages messages) {
        if (call.transferFailed() != null && !call.transferFailed().isBlank()) {
            return messages.get("cue.opening.transfer_failed");
        }
        if (call.outbound()) {
            String purpose = call.purpose() == null || call.purpose().isBlank() ? ""
                    : messages.get("cue.opening.outbound.purpose", call.purpose());
            String who = config.customer() != null && config.customer().firstName() != null
                    ? config.customer().firstName() : "";
            return messages.get("cue.opening.outbound", who, purpose).replace("  ", " ");
        }
        AgentConfig.CustomerContext customer = config.customer();
        if (customer != null && customer.firstName() != null && !customer.firstName().isBlank()) {
            String orders = customer.totalOrders() > 0 ? messages.get("cue.opening.known.orders", customer.totalOrders()) : "";
            return messages.get("cue.opening.known", customer.firstName(), config.greeting(), orders);
        }
        return messages.get("cue.opening.new", config.greeting());
    }
}
