package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.MenuIndex;
import io.voiceorder.app.restaurant.MenuIndex.FormulaSlot;
import io.voiceorder.app.restaurant.MenuIndex.Kind;
import io.voiceorder.app.restaurant.MenuIndex.MenuEntry;
import io.voiceorder.app.restaurant.MenuIndex.MenuOption;
import io.voiceorder.app.restaurant.MenuIndex.OptionChoice;
import io.voiceorder.app.restaurant.MenuIndex.OptionType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static io.voiceorder.app.restaurant.http.JsonValues.bool;
import static io.voiceorder.app.restaurant.http.JsonValues.decimal;
import static io.voiceorder.app.restaurant.http.JsonValues.field;
import static io.voiceorder.app.restaurant.http.JsonValues.integer;
import static io.voiceorder.app.restaurant.http.JsonValues.text;

/**
 * The menu index of a back-office restaurant (serve.md §6.3, §7.3 #2 and #3): numbers from
 * {@code itemMap} ({@code "1" → {id, name}}), prices, availability and options from {@code /api/menu}.
 * An option with {@code source} is a formula slot ({@code category} + {@code categoryId} (+ {@code maxPrice}),
 * or {@code items} + {@code itemIds}); the entry carrying slots is a formula.
 */
final class BackOfficeMenu {
    private BackOfficeMenu() {
    }

    /**
     * @param itemMap the {@code itemMap} of {@code /api/ai}, or a missing node (then the menu's own order numbers it)
     * @param menu    the {@code /api/menu} reply, or null when it could not be fetched: prices unknown
     */
    static MenuIndex build(JsonNode itemMap, JsonNode menu) {
        Map<String, JsonNode> menuItems = new LinkedHashMap<>();
        if (menu != null) {
            JsonNode items = menu.isArray() ? menu : menu.path("items");
            for (JsonNode item : items) {
                String id = text(item, "id");
                if (id != null) {
                    menuItems.put(id, item);
                }
            }
        }
        TreeMap<Integer, NumberedId> numbers = new TreeMap<>();
        if (itemMap.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = itemMap.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int number;
                try {
                    number = Integer.parseInt(e.getKey().trim().replace("#", ""));
                } catch (NumberFormatException ex) {
                    continue;
                }
                JsonNode v = e.getValue();
                String id = v.isValueNode() ? v.asText() : text(v, "id");
                if (number > 0 && id != null) {
                    numbers.put(number, new NumberedId(id, v.isObject() ? text(v, "name") : null));
                }
            }
        } else {
            int n = 0;
            for (Map.Entry<String, JsonNode> e : menuItems.entrySet()) {
                if (bool(e.getValue(), true, "isAvailable", "available")) {
                    numbers.put(++n, new NumberedId(e.getKey(), text(e.getValue(), "name")));
                }
            }
        }
        List<MenuEntry> entries = new ArrayList<>();
        for (Map.Entry<Integer, NumberedId> e : numbers.entrySet()) {
            entries.add(entry(e.getKey(), e.getValue(), menuItems.get(e.getValue().id()), menuItems, menu != null));
        }
        return new MenuIndex(entries, menu != null);
    }

    private record NumberedId(String id, String name) {
    }

    private static MenuEntry entry(int number, NumberedId ref, JsonNode item, Map<String, JsonNode> menuItems,
                                   boolean menuKnown) {
        if (item == null) {
            // Numbered by the back office but absent from its menu (or no menu at all): it cannot be priced.
            return new MenuEntry(number, ref.id(), Kind.ITEM, ref.name() == null ? "" : ref.name(), null, null,
                    !menuKnown, "", List.of(), List.of(), List.of());
        }
        List<MenuOption> options = new ArrayList<>();
        List<FormulaSlot> slots = new ArrayList<>();
        for (JsonNode option : field(item, "options")) {
            String source = text(option, "source");
            if (source != null) {
                slots.add(slot(option, source, menuItems));
            } else {
                options.add(option(option));
            }
        }
        List<String> allergens = new ArrayList<>();
        field(item, "allergens").forEach(a -> allergens.add(a.asText()));
        String name = text(item, "name");
        return new MenuEntry(number, ref.id(), slots.isEmpty() ? Kind.ITEM : Kind.FORMULA,
                name != null ? name : ref.name() == null ? "" : ref.name(),
                text(item, "categoryId", "category_id"), decimal(item, "price"),
                bool(item, true, "isAvailable", "available") && decimal(item, "price") != null,
                orEmpty(text(item, "description")), allergens, options, slots);
    }

    private static MenuOption option(JsonNode option) {
        String type = orEmpty(text(option, "type")).toLowerCase(Locale.ROOT);
        boolean multi = type.startsWith("multi") || type.equals("multiple") || type.equals("checkbox");
        List<OptionChoice> choices = new ArrayList<>();
        for (JsonNode c : field(option, "choices", "values")) {
            String label = c.isValueNode() ? c.asText() : text(c, "label", "name");
            if (label != null) {
                BigDecimal modifier = c.isObject() ? decimal(c, "price_modifier", "priceModifier", "price") : null;
                choices.add(new OptionChoice(label, modifier == null ? BigDecimal.ZERO : modifier));
            }
        }
        Integer max = multi ? integer(option, "max_choices", "maxChoices") : Integer.valueOf(1);
        return new MenuOption(orEmpty(text(option, "name")), multi ? OptionType.MULTI_CHOICE : OptionType.SINGLE_CHOICE,
                bool(option, false, "required", "isRequired"), max, choices);
    }

    private static FormulaSlot slot(JsonNode option, String source, Map<String, JsonNode> menuItems) {
        BigDecimal maxPrice = decimal(option, "maxPrice", "max_price");
        List<String> allowed = new ArrayList<>();
        if ("category".equalsIgnoreCase(source)) {
            String category = text(option, "categoryId", "category_id");
            menuItems.forEach((id, item) -> {
                if (category != null && category.equals(text(item, "categoryId", "category_id"))) {
                    allowed.add(id);
                }
            });
        } else {
            field(option, "itemIds", "item_ids").forEach(id -> allowed.add(id.asText()));
        }
        return new FormulaSlot(orEmpty(text(option, "name")), bool(option, true, "required", "isRequired"), allowed, maxPrice);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
