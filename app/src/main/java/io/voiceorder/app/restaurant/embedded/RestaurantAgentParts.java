package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.MenuIndex;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every call of one version of a restaurant shares: the numbered menu, the prompt's sections
 * and the terms told to the agent. Built at the first call of a version and kept while the catalogue
 * holds that same version; a reload of the restaurant file makes a new version, so the next call
 * gets parts built from the new file.
 */
final class RestaurantAgentParts {

    /** One restaurant version's shared parts; {@code restaurant} is the version they were built from. */
    record Parts(RestaurantDefinition restaurant, MenuIndex menu, SystemPromptBuilder.Sections prompt, String greeting,
                 AgentConfig.Services services, AgentConfig.TransferSettings transfer, AgentConfig.DeliveryTerms delivery,
                 AgentConfig.ReservationTerms reservations) {
    }

    private final Map<String, Parts> byId = new ConcurrentHashMap<>();

    /** The parts of {@code r}, built once per version (the catalogue's definition object). */
    Parts of(RestaurantDefinition r) {
        Parts known = byId.get(r.id());
        if (known != null && known.restaurant() == r) {
            return known;
        }
        return byId.compute(r.id(), (id, old) -> old != null && old.restaurant() == r ? old : build(r));
    }

    private static Parts build(RestaurantDefinition r) {
        MenuIndex menu = MenuNumbering.index(r);
        RestaurantDefinition.Transfer t = r.transfer();
        AgentConfig.TransferSettings transfer = new AgentConfig.TransferSettings(t.enabled(), t.phoneNumber(), t.automatic(),
                t.ringTimeoutSec(), t.cases());
        AgentConfig.DeliveryTerms delivery = null;
        if (r.services().delivery()) {
            RestaurantDefinition.Delivery d = r.delivery() != null ? r.delivery() : RestaurantDefinition.Delivery.defaults();
            delivery = new AgentConfig.DeliveryTerms(d.fee(), d.freeAbove(), d.minOrder(), d.radiusKm(), d.postalCodes(),
                    d.estimatedDeliveryMin());
        }
        AgentConfig.ReservationTerms reservations = null;
        if (r.services().reservation() && r.reservations() != null) {
            RestaurantDefinition.Reservations res = r.reservations();
            reservations = new AgentConfig.ReservationTerms(res.maxPartySize(), res.minAdvanceMin(), res.maxAdvanceDays(),
                    res.avgMealDurationMin());
        }
        AgentConfig.Services services = new AgentConfig.Services(r.services().pickup(), r.services().delivery(),
                r.services().reservation(), r.services().orderStatus());
        return new Parts(r, menu, SystemPromptBuilder.sections(r, menu), SystemPromptBuilder.greeting(r), services,
                transfer, delivery, reservations);
    }
}
