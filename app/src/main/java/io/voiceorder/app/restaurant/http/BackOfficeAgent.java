package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AgentConfig.CostSettings;
import io.voiceorder.app.restaurant.AgentConfig.CustomerContext;
import io.voiceorder.app.restaurant.AgentConfig.DeliveryTerms;
import io.voiceorder.app.restaurant.AgentConfig.Instructions;
import io.voiceorder.app.restaurant.AgentConfig.ReservationTerms;
import io.voiceorder.app.restaurant.AgentConfig.Services;
import io.voiceorder.app.restaurant.AgentConfig.TransferSettings;
import io.voiceorder.app.restaurant.MenuIndex;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static io.voiceorder.app.restaurant.http.JsonValues.bool;
import static io.voiceorder.app.restaurant.http.JsonValues.decimal;
import static io.voiceorder.app.restaurant.http.JsonValues.field;
import static io.voiceorder.app.restaurant.http.JsonValues.integer;
import static io.voiceorder.app.restaurant.http.JsonValues.real;
import static io.voiceorder.app.restaurant.http.JsonValues.text;

/**
 * A back-office restaurant's agent from {@code GET /api/ai} (serve.md §7.3 #2): its {@code systemPrompt}
 * and {@code tools} are used as given. Fields the back office does not send take the spec's defaults
 * (French, Europe/Paris, EUR, FR, 25 s ring). {@code sipCredentials} is never read.
 */
final class BackOfficeAgent {
    static final List<String> ALL_PAYMENT_METHODS = List.of("cash", "card", "online");
    /** Largest party when the back office states none: the back office's own check decides. */
    static final int UNSTATED_MAX_PARTY = 50;

    private BackOfficeAgent() {
    }

    static AgentConfig build(String restaurantId, JsonNode ai, MenuIndex menu) {
        List<JsonNode> tools = new ArrayList<>();
        field(ai, "tools").forEach(tools::add);
        boolean delivery = bool(ai, false, "deliveryEnabled");
        boolean reservation = bool(ai, false, "reservationEnabled");
        String name = text(ai, "restaurantName", "name");
        String prompt = text(ai, "systemPrompt");
        return new AgentConfig(
                restaurantId,
                name == null ? restaurantId : name,
                AgentConfig.Source.BACK_OFFICE,
                Instructions.same(prompt == null ? "" : prompt),
                tools,
                orDefault(text(ai, "language"), "fr"),
                text(ai, "voice"),
                zone(text(ai, "timezone", "timeZone")),
                orDefault(text(ai, "currency"), "EUR"),
                orDefault(text(ai, "country"), "FR"),
                orDefault(text(ai, "welcomeMessage", "greeting"), ""),
                menu,
                new Services(bool(ai, true, "pickupEnabled"), delivery, reservation, bool(ai, true, "orderStatusEnabled")),
                paymentMethods(ai),
                integer(ai, 20, "avgPrepTimeMin"),
                delivery ? new DeliveryTerms(decimal(ai, "deliveryFee"), decimal(ai, "deliveryFreeAbove", "freeDeliveryAbove"),
                        decimal(ai, "minOrderAmount", "minOrder"), real(ai, "deliveryRadiusKm"), List.of(),
                        integer(ai, 0, "estimatedDeliveryMin")) : null,
                reservation ? new ReservationTerms(integer(ai, UNSTATED_MAX_PARTY, "maxPartySize"),
                        integer(ai, 0, "minAdvanceMin"), integer(ai, 0, "maxAdvanceDays"),
                        integer(ai, 90, "avgMealDurationMin")) : null,
                transfer(ai),
                customer(field(ai, "customerContext")),
                costs(ai));
    }

    private static TransferSettings transfer(JsonNode ai) {
        return new TransferSettings(bool(ai, false, "transferEnabled"), text(ai, "transferPhoneNumber"),
                bool(ai, false, "transferAutomatic"), integer(ai, 25, "transferRingTimeoutS", "transferRingTimeoutSec"),
                List.of());
    }

    private static CustomerContext customer(JsonNode c) {
        if (!c.isObject() || text(c, "id") == null) {
            return null;
        }
        return new CustomerContext(text(c, "id"), text(c, "firstName"), integer(c, 0, "totalOrders"),
                text(c, "deliveryAddress"), text(c, "deliveryCity"), text(c, "deliveryPostalCode"),
                real(c, "deliveryLat"), real(c, "deliveryLng"));
    }

    private static CostSettings costs(JsonNode ai) {
        BigDecimal margin = decimal(ai, "aiCostMarginPct");
        BigDecimal rate = decimal(ai, "exchangeRateToLocal");
        if (margin == null && rate == null) {
            return null;
        }
        return new CostSettings(margin == null ? BigDecimal.ZERO : margin, rate == null ? BigDecimal.ONE : rate,
                orDefault(text(ai, "currency"), "EUR"));
    }

    private static List<String> paymentMethods(JsonNode ai) {
        List<String> methods = new ArrayList<>();
        field(ai, "paymentMethods").forEach(m -> methods.add(m.asText()));
        return methods.isEmpty() ? ALL_PAYMENT_METHODS : methods;
    }

    private static ZoneId zone(String id) {
        try {
            return id == null ? ZoneId.of("Europe/Paris") : ZoneId.of(id);
        } catch (DateTimeException e) {
            return ZoneId.of("Europe/Paris");
        }
    }

    private static String orDefault(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }
}
