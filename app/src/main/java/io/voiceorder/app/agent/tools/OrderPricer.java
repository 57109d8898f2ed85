package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.restaurant.MenuIndex;
import io.voiceorder.app.restaurant.PricedOrder.PricedLine;
import io.voiceorder.app.restaurant.PricedOrder.SelectedOption;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices the lines of a {@code confirm_order} from the per-call menu index (§6.3): unit price = the
 * entry's price + the modifier of each chosen choice (formula slot choices add 0), line total =
 * unit × quantity, 2 decimals half-up. Whatever prices the model sent are ignored. The first
 * problem in the order of §6.4.2 is reported; nothing is priced then.
 */
final class OrderPricer {
    static final int MAX_LINES = 30;
    static final int MAX_QUANTITY = 50;

    /** Problems in the order the spec checks them. */
    private enum Problem { UNKNOWN_ITEM, ITEM_UNAVAILABLE, INVALID_QUANTITY, UNKNOWN_OPTION, UNKNOWN_CHOICE,
        MISSING_REQUIRED_OPTION, TOO_MANY_CHOICES }

    private record Issue(Problem problem, ObjectNode details) {
    }

    /** Either priced lines and their subtotal, or the error code with its details. */
    record Result(List<PricedLine> lines, BigDecimal subtotal, String error, ObjectNode details) {
        boolean ok() {
            return error == null;
        }
    }

    private final MenuIndex menu;

    OrderPricer(MenuIndex menu) {
        this.menu = menu;
    }

    /**
     * @param items the {@code items} argument, already checked to be an array of 1 to 30 objects
     * @throws InvalidArgumentException when a line has no integer {@code id} or a malformed option
     */
    Result price(JsonNode items) throws InvalidArgumentException {
        List<Integer> ids = new ArrayList<>();
        List<Integer> invalid = new ArrayList<>();
        for (JsonNode line : items) {
            int id = entryNumber(line.get("id"), "items[].id");
            ids.add(id);
            if (menu.byNumber(id).isEmpty() && !invalid.contains(id)) {
                invalid.add(id);
            }
        }
        if (!invalid.isEmpty()) {
            ObjectNode d = JsonNodeFactory.instance.objectNode();
            ArrayNode bad = d.putArray("invalid_ids");
            invalid.forEach(bad::add);
            d.put("valid_range", menu.validRange());
            return new Result(List.of(), null, "unknown_item", d);
        }
        Issue first = null;
        List<PricedLine> lines = new ArrayList<>();
        int i = 0;
        for (JsonNode line : items) {
            MenuIndex.MenuEntry entry = menu.byNumber(ids.get(i++)).orElseThrow();
            List<Issue> issues = new ArrayList<>();
            PricedLine priced = priceLine(entry, line, issues);
            for (Issue issue : issues) {
                if (first == null || issue.problem().ordinal() < first.problem().ordinal()) {
                    first = issue;
                }
            }
            if (priced != null) {
                lines.add(priced);
            }
        }
        if (first != null) {
            return new Result(List.of(), null, first.problem().name().toLowerCase(java.util.Locale.ROOT), first.details());
        }
        BigDecimal subtotal = BigDecimal.ZERO;
        for (PricedLine l : lines) {
            subtotal = subtotal.add(l.totalPrice());
        }
        return new Result(lines, Replies.money(subtotal), null, null);
    }

    /** Prices one line, adding every problem found to {@code issues}; null when there is one. */
    private PricedLine priceLine(MenuIndex.MenuEntry entry, JsonNode line, List<Issue> issues) throws InvalidArgumentException {
        int number = entry.number();
        if (!entry.available()) {
            issues.add(new Issue(Problem.ITEM_UNAVAILABLE, details(number)));
        }
        Integer quantity = quantity(line.get("quantity"));
        if (quantity == null || quantity < 1 || quantity > MAX_QUANTITY) {
            issues.add(new Issue(Problem.INVALID_QUANTITY, details(number)));
        }
        List<Selection> selections = selections(line.get("selected_options"));
        List<SelectedOption> chosen = entry.kind() == MenuIndex.Kind.FORMULA
                ? formulaChoices(entry, selections, issues)
                : optionChoices(entry, selections, issues);
        if (!issues.isEmpty()) {
            return null;
        }
        BigDecimal unit = entry.price();
        for (SelectedOption o : chosen) {
            unit = unit.add(o.extraPrice());
        }
        unit = Replies.money(unit);
        String notes = ToolArgs.text(line, "notes", ToolArgs.DEFAULT_MAX_CHARS, false);
        return new PricedLine(entry.id(), entry.name(), quantity, unit,
                Replies.money(unit.multiply(BigDecimal.valueOf(quantity))), chosen, notes);
    }

    /** A chosen option as the model sent it. */
    private record Selection(String name, String choice, Integer choiceId) {
    }

    private List<Selection> selections(JsonNode options) throws InvalidArgumentException {
        List<Selection> result = new ArrayList<>();
        if (options == null || options.isNull()) {
            return result;
        }
        if (!options.isArray()) {
            throw new InvalidArgumentException("invalid_arguments", "items[].selected_options", "must be a list");
        }
        for (JsonNode o : options) {
            if (!o.isObject()) {
                throw new InvalidArgumentException("invalid_arguments", "items[].selected_options[]", "must be objects");
            }
            String name = ToolArgs.text(o, "name", ToolArgs.DEFAULT_MAX_CHARS, true);
            String choice = ToolArgs.text(o, "choice", ToolArgs.DEFAULT_MAX_CHARS, false);
            JsonNode idNode = o.get("choice_id");
            Integer choiceId = idNode == null || idNode.isNull() ? null : entryNumber(idNode, "items[].selected_options[].choice_id");
            result.add(new Selection(name, choice, choiceId));
        }
        return result;
    }

    private List<SelectedOption> optionChoices(MenuIndex.MenuEntry entry, List<Selection> selections, List<Issue> issues) {
        Map<MenuIndex.MenuOption, List<MenuIndex.OptionChoice>> picked = new LinkedHashMap<>();
        for (Selection s : selections) {
            MenuIndex.MenuOption option = entry.options().stream().filter(o -> Names.same(o.name(), s.name())).findFirst().orElse(null);
            if (option == null) {
                ObjectNode d = details(entry.number());
                ArrayNode valid = d.putArray("valid_options");
                entry.options().forEach(o -> valid.add(o.name()));
                issues.add(new Issue(Problem.UNKNOWN_OPTION, d));
                continue;
            }
            // A multi-choice option may come as one selection per choice or as "A, B" in one.
            for (String label : splitChoices(s.choice(), option)) {
                MenuIndex.OptionChoice choice = option.choices().stream()
                        .filter(c -> Names.same(c.label(), label)).findFirst().orElse(null);
                if (choice == null) {
                    issues.add(new Issue(Problem.UNKNOWN_CHOICE, choiceDetails(entry.number(), option)));
                } else {
                    List<MenuIndex.OptionChoice> list = picked.computeIfAbsent(option, k -> new ArrayList<>());
                    if (!list.contains(choice)) {
                        list.add(choice);
                    }
                }
            }
        }
        List<SelectedOption> chosen = new ArrayList<>();
        for (MenuIndex.MenuOption option : entry.options()) {
            List<MenuIndex.OptionChoice> list = picked.getOrDefault(option, List.of());
            if (option.required() && list.isEmpty()) {
                issues.add(new Issue(Problem.MISSING_REQUIRED_OPTION, choiceDetails(entry.number(), option)));
            }
            int max = option.type() == MenuIndex.OptionType.SINGLE_CHOICE ? 1
                    : option.maxChoices() == null ? Integer.MAX_VALUE : option.maxChoices();
            if (list.size() > max) {
                ObjectNode d = details(entry.number());
                d.put("option", option.name());
                issues.add(new Issue(Problem.TOO_MANY_CHOICES, d));
            }
            for (MenuIndex.OptionChoice c : list) {
                chosen.add(new SelectedOption(option.name(), c.label(), Replies.money(c.priceModifier())));
            }
        }
        return chosen;
    }

    private static List<String> splitChoices(String choice, MenuIndex.MenuOption option) {
        if (choice == null) {
            return List.of("");
        }
        boolean whole = option.choices().stream().anyMatch(c -> Names.same(c.label(), choice));
        if (whole || option.type() == MenuIndex.OptionType.SINGLE_CHOICE || !choice.contains(",")) {
            return List.of(choice);
        }
        List<String> parts = new ArrayList<>();
        for (String p : choice.split(",")) {
            if (!p.isBlank()) {
                parts.add(p);
            }
        }
        return parts;
    }

    private List<SelectedOption> formulaChoices(MenuIndex.MenuEntry formula, List<Selection> selections, List<Issue> issues) {
        Map<MenuIndex.FormulaSlot, List<MenuIndex.MenuEntry>> picked = new LinkedHashMap<>();
        for (Selection s : selections) {
            MenuIndex.FormulaSlot slot = formula.slots().stream().filter(sl -> Names.same(sl.name(), s.name())).findFirst().orElse(null);
            if (slot == null) {
                ObjectNode d = details(formula.number());
                ArrayNode valid = d.putArray("valid_options");
                formula.slots().forEach(sl -> valid.add(sl.name()));
                issues.add(new Issue(Problem.UNKNOWN_OPTION, d));
                continue;
            }
            List<MenuIndex.MenuEntry> allowed = allowedIn(slot);
            MenuIndex.MenuEntry choice = null;
            if (s.choiceId() != null) {
                choice = allowed.stream().filter(e -> e.number() == s.choiceId()).findFirst().orElse(null);
            } else if (s.choice() != null) {
                choice = allowed.stream().filter(e -> Names.same(e.name(), s.choice())).findFirst().orElse(null);
            }
            if (choice == null) {
                issues.add(new Issue(Problem.UNKNOWN_CHOICE, slotDetails(formula.number(), slot, allowed)));
            } else {
                picked.computeIfAbsent(slot, k -> new ArrayList<>()).add(choice);
            }
        }
        List<SelectedOption> chosen = new ArrayList<>();
        for (MenuIndex.FormulaSlot slot : formula.slots()) {
            List<MenuIndex.MenuEntry> list = picked.getOrDefault(slot, List.of());
            if (slot.required() && list.isEmpty()) {
                issues.add(new Issue(Problem.MISSING_REQUIRED_OPTION, slotDetails(formula.number(), slot, allowedIn(slot))));
            }
            if (list.size() > 1) {
                ObjectNode d = details(formula.number());
                d.put("option", slot.name());
                issues.add(new Issue(Problem.TOO_MANY_CHOICES, d));
            }
            for (MenuIndex.MenuEntry e : list) {
                chosen.add(new SelectedOption(slot.name(), e.name(), Replies.money(BigDecimal.ZERO)));
            }
        }
        return chosen;
    }

    /** Entries of the index a slot allows: listed by id, available, and within its maximum price. */
    private List<MenuIndex.MenuEntry> allowedIn(MenuIndex.FormulaSlot slot) {
        return menu.entries().stream()
                .filter(e -> slot.allowedEntryIds().contains(e.id()))
                .filter(MenuIndex.MenuEntry::available)
                .filter(e -> slot.maxPrice() == null || e.price().compareTo(slot.maxPrice()) <= 0)
                .toList();
    }

    private static ObjectNode details(int number) {
        return JsonNodeFactory.instance.objectNode().put("id", number);
    }

    private static ObjectNode choiceDetails(int number, MenuIndex.MenuOption option) {
        ObjectNode d = details(number);
        d.put("option", option.name());
        ArrayNode valid = d.putArray("valid_choices");
        option.choices().forEach(c -> valid.add(c.label()));
        return d;
    }

    private static ObjectNode slotDetails(int number, MenuIndex.FormulaSlot slot, List<MenuIndex.MenuEntry> allowed) {
        ObjectNode d = details(number);
        d.put("option", slot.name());
        ArrayNode valid = d.putArray("valid_choices");
        allowed.forEach(e -> valid.add("#" + e.number() + " " + e.name()));
        return d;
    }

    /** {@code 3}, {@code 3.0}, {@code "3"} or {@code "#3"}. */
    private static int entryNumber(JsonNode node, String field) throws InvalidArgumentException {
        if (node != null && node.isTextual() && node.asText().strip().matches("#?\\d{1,6}")) {
            return Integer.parseInt(node.asText().strip().replace("#", ""));
        }
        ObjectNode holder = JsonNodeFactory.instance.objectNode();
        if (node != null) {
            holder.set("v", node);
        }
        Integer n = ToolArgs.integer(holder, "v");
        if (n == null) {
            throw new InvalidArgumentException("invalid_arguments", field, "required, a menu number");
        }
        return n;
    }

    private static Integer quantity(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        ObjectNode holder = JsonNodeFactory.instance.objectNode();
        holder.set("v", node);
        try {
            return ToolArgs.integer(holder, "v");
        } catch (InvalidArgumentException e) {
            return null;
        }
    }
}
