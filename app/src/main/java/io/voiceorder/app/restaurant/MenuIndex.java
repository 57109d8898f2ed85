package io.voiceorder.app.restaurant;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The per-call menu index (§6.3, §7.2.3): the entries the model names {@code #1..#N}, each mapped
 * to the entry's stable id, name, price, options and, for formulas, slots. In http mode the numbers
 * come from the back office's {@code itemMap} and the prices from {@code /api/menu}; when that menu
 * could not be fetched {@link #pricesKnown} is false and {@code confirm_order} answers
 * {@code pricing_unavailable}.
 *
 * @param entries entries in number order; numbers are unique
 */
public record MenuIndex(List<MenuEntry> entries, boolean pricesKnown) {

    public MenuIndex {
        entries = List.copyOf(entries);
    }

    public static MenuIndex empty() {
        return new MenuIndex(List.of(), true);
    }

    /** The entry numbered {@code #number}, if any. */
    public Optional<MenuEntry> byNumber(int number) {
        for (MenuEntry e : entries) {
            if (e.number() == number) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The valid range as the spec writes it, e.g. {@code "1-27"}; {@code ""} when empty. */
    public String validRange() {
        if (entries.isEmpty()) {
            return "";
        }
        int min = entries.stream().mapToInt(MenuEntry::number).min().orElse(1);
        int max = entries.stream().mapToInt(MenuEntry::number).max().orElse(1);
        return min + "-" + max;
    }

    /** Item or formula. */
    public enum Kind { ITEM, FORMULA }

    /**
     * One numbered entry.
     *
     * @param number      {@code #N} as told to the model
     * @param id          stable id stored in order lines (the file id as text in embedded mode; the back office id in http mode)
     * @param kind        item or formula
     * @param name        name as on the menu
     * @param categoryId  category ref (embedded) or id (http), null for formulas
     * @param price       base price
     * @param available   false when marked unavailable ({@code item_unavailable})
     * @param description description, may be empty
     * @param allergens   allergens, may be empty
     * @param options     options with choices (items)
     * @param slots       formula slots (formulas)
     */
    public record MenuEntry(int number, String id, Kind kind, String name, String categoryId, BigDecimal price,
                            boolean available, String description, List<String> allergens,
                            List<MenuOption> options, List<FormulaSlot> slots) {
        public MenuEntry {
            allergens = List.copyOf(allergens);
            options = List.copyOf(options);
            slots = List.copyOf(slots);
        }
    }

    /** Simple option kinds. */
    public enum OptionType { SINGLE_CHOICE, MULTI_CHOICE }

    /**
     * An option of an item, e.g. "Taille".
     *
     * @param maxChoices for {@link OptionType#MULTI_CHOICE}, null = no limit; 1 for single choice
     */
    public record MenuOption(String name, OptionType type, boolean required, Integer maxChoices,
                             List<OptionChoice> choices) {
        public MenuOption {
            choices = List.copyOf(choices);
        }
    }

    /** A choice of an option and what it adds to the unit price. */
    public record OptionChoice(String label, BigDecimal priceModifier) {
    }

    /**
     * A formula slot: the model picks one entry by number ({@code choice_id}); slot choices add 0.
     *
     * @param allowedEntryIds stable ids of the entries allowed in the slot
     * @param maxPrice        highest allowed base price, or null
     */
    public record FormulaSlot(String name, boolean required, List<String> allowedEntryIds, BigDecimal maxPrice) {
        public FormulaSlot {
            allowedEntryIds = List.copyOf(allowedEntryIds);
        }
    }
}
