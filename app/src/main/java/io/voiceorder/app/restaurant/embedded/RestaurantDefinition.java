package io.voiceorder.app.restaurant.embedded;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * One restaurant as its file describes it (serve.md §7.2.1), validated and with defaults applied.
 * Immutable: a reload replaces the whole definition, calls in progress keep theirs.
 *
 * @param delivery     null when the file has no {@code delivery} block (defaults then apply if delivery is offered)
 * @param reservations null unless reservations are offered
 */
public record RestaurantDefinition(
        String id,
        String name,
        String cuisineType,
        String language,
        ZoneId timeZone,
        String currency,
        String country,
        String phone,
        String address,
        String city,
        String postalCode,
        OpeningHours openingHours,
        Services services,
        int avgPrepTimeMin,
        List<String> paymentMethods,
        Delivery delivery,
        Reservations reservations,
        Transfer transfer,
        List<String> blockedNumbers,
        Ai ai,
        List<Faq> faq,
        List<Category> categories,
        List<Item> items,
        List<Formula> formulas) {

    public RestaurantDefinition {
        paymentMethods = List.copyOf(paymentMethods);
        blockedNumbers = List.copyOf(blockedNumbers);
        faq = List.copyOf(faq);
        categories = List.copyOf(categories);
        items = List.copyOf(items);
        formulas = List.copyOf(formulas);
    }

    public Optional<Item> item(int id) {
        return items.stream().filter(i -> i.id() == id).findFirst();
    }

    public record Services(boolean pickup, boolean delivery, boolean reservation, boolean orderStatus) {
    }

    /** @param postalCodes enforced zone; empty = any address */
    public record Delivery(Double radiusKm, List<String> postalCodes, BigDecimal fee, BigDecimal freeAbove,
                           BigDecimal minOrder, int estimatedDeliveryMin) {
        public Delivery {
            postalCodes = List.copyOf(postalCodes);
        }

        public static Delivery defaults() {
            return new Delivery(null, List.of(), BigDecimal.ZERO.setScale(2), null, null, 30);
        }
    }

    public record Reservations(int totalSeats, int avgMealDurationMin, int minAdvanceMin, int maxAdvanceDays,
                               int maxPartySize) {
    }

    public record Transfer(boolean enabled, String phoneNumber, boolean automatic, int ringTimeoutSec,
                           List<String> cases) {
        public Transfer {
            cases = List.copyOf(cases);
        }
    }

    /** @param voice null to use {@code OPENAI_VOICE} */
    public record Ai(String voice, String welcomeMessage, String instructions) {
    }

    public record Faq(String question, String answer, String category) {
    }

    public record Category(String ref, String name, int displayOrder) {
    }

    public record Item(int id, String categoryRef, String name, String description, BigDecimal price,
                       List<String> allergens, boolean available, List<ItemOption> options) {
        public Item {
            allergens = List.copyOf(allergens);
            options = List.copyOf(options);
        }
    }

    /** @param maxChoices null = no limit (multi choice); 1 for single choice */
    public record ItemOption(String name, String type, boolean required, Integer maxChoices, List<Choice> choices) {
        public ItemOption {
            choices = List.copyOf(choices);
        }
    }

    public record Choice(String label, BigDecimal priceModifier) {
    }

    public record Formula(int id, String name, String description, BigDecimal price, boolean available,
                          List<Slot> slots) {
        public Formula {
            slots = List.copyOf(slots);
        }
    }

    /** Allowed entries: the items of {@code fromCategory}, or the listed item ids; at most {@code maxPrice}. */
    public record Slot(String name, boolean required, String fromCategory, List<Integer> items, BigDecimal maxPrice) {
        public Slot {
            items = List.copyOf(items);
        }
    }
}
