package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.restaurant.MenuIndex;
import io.voiceorder.app.restaurant.MenuIndex.FormulaSlot;
import io.voiceorder.app.restaurant.MenuIndex.MenuEntry;
import io.voiceorder.app.restaurant.MenuIndex.MenuOption;
import io.voiceorder.app.restaurant.MenuIndex.OptionChoice;
import io.voiceorder.app.restaurant.MenuIndex.OptionType;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Category;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Formula;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Item;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Slot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Numbers a restaurant's menu {@code #1..#N} (serve.md §7.2.3): available items category by category
 * ({@code display_order}, then file order), then available formulas. Unavailable entries get no number.
 */
public final class MenuNumbering {
    private MenuNumbering() {
    }

    public static MenuIndex index(RestaurantDefinition r) {
        List<MenuEntry> entries = new ArrayList<>();
        int n = 1;
        for (Category c : orderedCategories(r)) {
            for (Item item : r.items()) {
                if (item.available() && item.categoryRef().equals(c.ref())) {
                    entries.add(new MenuEntry(n++, String.valueOf(item.id()), MenuIndex.Kind.ITEM, item.name(),
                            item.categoryRef(), item.price(), true, item.description(), item.allergens(),
                            item.options().stream().map(MenuNumbering::option).toList(), List.of()));
                }
            }
        }
        for (Formula f : r.formulas()) {
            if (f.available()) {
                entries.add(new MenuEntry(n++, String.valueOf(f.id()), MenuIndex.Kind.FORMULA, f.name(), null, f.price(),
                        true, f.description(), List.of(), List.of(),
                        f.slots().stream().map(s -> slot(r, s)).toList()));
            }
        }
        return new MenuIndex(entries, true);
    }

    /** Categories by {@code display_order}, ties in file order. */
    static List<Category> orderedCategories(RestaurantDefinition r) {
        List<Category> cats = new ArrayList<>(r.categories());
        cats.sort(Comparator.comparingInt(Category::displayOrder));
        return cats;
    }

    private static MenuOption option(RestaurantDefinition.ItemOption o) {
        return new MenuOption(o.name(), o.type().equals("multi_choice") ? OptionType.MULTI_CHOICE : OptionType.SINGLE_CHOICE,
                o.required(), o.maxChoices(),
                o.choices().stream().map(c -> new OptionChoice(c.label(), c.priceModifier())).toList());
    }

    /** A slot's allowed entries: available items of its category or list, within its max price. */
    private static FormulaSlot slot(RestaurantDefinition r, Slot s) {
        List<String> ids = new ArrayList<>();
        for (Item i : r.items()) {
            boolean listed = s.fromCategory() != null ? i.categoryRef().equals(s.fromCategory()) : s.items().contains(i.id());
            if (listed && i.available() && (s.maxPrice() == null || i.price().compareTo(s.maxPrice()) <= 0)) {
                ids.add(String.valueOf(i.id()));
            }
        }
        return new FormulaSlot(s.name(), s.required(), ids, s.maxPrice());
    }
}
