package io.voiceorder.app.restaurant;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;

/**
 * A restaurant's agent for one call (§6.1 "agent snapshot"), as the backend gives it at call start.
 *
 * <p>Who writes the instructions and tool schemas depends on the adapter, and {@link #source} says
 * which: {@link Source#EMBEDDED} — serve built the prompt from the restaurant file and
 * {@link #tools} is empty: serve offers its own tool schemas per §6.2; {@link Source#BACK_OFFICE}
 * — the back office sent {@code systemPrompt} and {@code tools}, used as given (serve's rules
 * block and validations still apply).
 *
 * @param restaurantId    the restaurant's id
 * @param restaurantName  display name (spoken in cues)
 * @param source          who built instructions and tools
 * @param instructions    the system prompt, with and without the transfer section (pieces shared between calls)
 * @param tools           back-office tool schemas ({@code {"type":"function","name":…}}); empty for {@link Source#EMBEDDED}
 * @param language        agent language code, e.g. {@code fr}
 * @param voice           OpenAI voice, or null to use {@code OPENAI_VOICE}
 * @param timeZone        restaurant time zone
 * @param currency        ISO currency of prices, e.g. {@code EUR}
 * @param country         ISO country used to normalise phone numbers, e.g. {@code FR}
 * @param greeting        the verbatim greeting the agent opens with
 * @param menu            the per-call menu index #1..#N with prices
 * @param services        services offered
 * @param paymentMethods  accepted payment methods ({@code cash}, {@code card}, {@code online})
 * @param avgPrepTimeMin  average preparation time in minutes
 * @param delivery        delivery terms, or null when delivery is not offered or its terms are unknown
 * @param reservations    reservation terms, or null when reservations are not offered or their terms are unknown
 * @param transfer        transfer settings (never null; {@link TransferSettings#disabled()} when none)
 * @param customer        the caller as a known customer, or null (new or anonymous caller)
 * @param costs           back-office cost settings (margin, exchange rate, currency), or null to use serve's configuration
 */
public record AgentConfig(
        String restaurantId,
        String restaurantName,
        Source source,
        Instructions instructions,
        List<JsonNode> tools,
        String language,
        String voice,
        ZoneId timeZone,
        String currency,
        String country,
        String greeting,
        MenuIndex menu,
        Services services,
        List<String> paymentMethods,
        int avgPrepTimeMin,
        DeliveryTerms delivery,
        ReservationTerms reservations,
        TransferSettings transfer,
        CustomerContext customer,
        CostSettings costs) {

    public AgentConfig {
        tools = List.copyOf(tools);
        paymentMethods = List.copyOf(paymentMethods);
    }

    /** This snapshot with other (equal) instructions, tools and menu: lets calls share one copy of them. */
    public AgentConfig withShared(Instructions instructions, List<JsonNode> tools, MenuIndex menu) {
        return new AgentConfig(restaurantId, restaurantName, source, instructions, tools, language, voice, timeZone, currency,
                country, greeting, menu, services, paymentMethods, avgPrepTimeMin, delivery, reservations, transfer, customer, costs);
    }

    /** Who built the instructions and tool schemas. */
    public enum Source { EMBEDDED, BACK_OFFICE }

    /**
     * The system prompt in two variants, because whether {@code transfer_call} is offered depends
     * on the call's mode and credentials, which only serve knows (§6.2): the transfer cases and
     * rules appear only in {@link #withTransfer}. Both are equal when the backend sent one prompt.
     */
    public record Instructions(PromptText withTransfer, PromptText withoutTransfer) {
        public Instructions(String withTransfer, String withoutTransfer) {
            this(PromptText.of(withTransfer), PromptText.of(withoutTransfer));
        }

        public static Instructions same(String text) {
            PromptText prompt = PromptText.of(text);
            return new Instructions(prompt, prompt);
        }

        /** The prompt as pieces (shared with the restaurant's other calls). */
        public PromptText promptFor(boolean transferOffered) {
            return transferOffered ? withTransfer : withoutTransfer;
        }

        /** The prompt as one string. */
        public String forCall(boolean transferOffered) {
            return promptFor(transferOffered).text();
        }
    }

    /** Services a restaurant offers; dine-in orders count as pickup (§6.4.2). */
    public record Services(boolean pickup, boolean delivery, boolean reservation, boolean orderStatus) {
    }

    /**
     * Delivery terms (§7.2.1 {@code delivery}).
     *
     * @param fee                  fee added when the subtotal is below {@code freeAbove}; null when the back office gives it per availability check
     * @param freeAbove            subtotal from which delivery is free, or null
     * @param minOrder             minimum subtotal, or null
     * @param radiusKm             radius told to callers, or null
     * @param postalCodes          enforced zone; empty = any address
     * @param estimatedDeliveryMin delivery time added to the preparation time
     */
    public record DeliveryTerms(BigDecimal fee, BigDecimal freeAbove, BigDecimal minOrder,
                                Double radiusKm, List<String> postalCodes, int estimatedDeliveryMin) {
        public DeliveryTerms {
            postalCodes = List.copyOf(postalCodes);
        }
    }

    /** Reservation terms (§7.2.1 {@code reservations}); the seat count is never told to callers. */
    public record ReservationTerms(int maxPartySize, int minAdvanceMin, int maxAdvanceDays, int avgMealDurationMin) {
    }

    /**
     * Transfer to staff (§7.2.1 {@code transfer}).
     *
     * @param phoneNumber E.164 number to dial, or null
     * @param cases       when the agent may offer a transfer (prompt text)
     */
    public record TransferSettings(boolean enabled, String phoneNumber, boolean automatic, int ringTimeoutSec,
                                   List<String> cases) {
        public TransferSettings {
            cases = List.copyOf(cases);
        }

        public static TransferSettings disabled() {
            return new TransferSettings(false, null, false, 25, List.of());
        }

        /** Enabled, with a number to dial. */
        public boolean usable() {
            return enabled && phoneNumber != null && !phoneNumber.isBlank();
        }
    }

    /**
     * The caller as a known customer (§7.3 #2 {@code customerContext}).
     *
     * @param deliveryLat stored coordinates (http), null when unknown
     */
    public record CustomerContext(String id, String firstName, int totalOrders, String deliveryAddress,
                                  String deliveryCity, String deliveryPostalCode, Double deliveryLat, Double deliveryLng) {
    }

    /**
     * Cost settings the back office supplies (§5.8, http mode).
     *
     * @param marginPct    AI cost margin in percent
     * @param exchangeRate multiplier from USD to {@code currency}
     */
    public record CostSettings(BigDecimal marginPct, BigDecimal exchangeRate, String currency) {
    }
}
