package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Ai;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Category;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Choice;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Delivery;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Faq;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Formula;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Item;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.ItemOption;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Reservations;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Services;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Slot;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Transfer;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a restaurant file (serve.md §7.2.1, §7.2.2): YAML ({@code .yaml}, {@code .yml})
 * or JSON by extension, UTF-8. The first problem found is reported with its field path.
 */
public final class RestaurantFileReader {
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern PHONE = Pattern.compile("\\+[0-9]{4,15}");
    private static final Pattern HHMM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final List<String> PAYMENT_METHODS = List.of("cash", "card", "online");
    private static final List<String> OPTION_TYPES = List.of("single_choice", "multi_choice");
    private static final Map<String, DayOfWeek> DAYS = Map.of(
            "monday", DayOfWeek.MONDAY, "tuesday", DayOfWeek.TUESDAY, "wednesday", DayOfWeek.WEDNESDAY,
            "thursday", DayOfWeek.THURSDAY, "friday", DayOfWeek.FRIDAY, "saturday", DayOfWeek.SATURDAY,
            "sunday", DayOfWeek.SUNDAY);

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final Path file;

    private RestaurantFileReader(Path file) {
        this.file = file;
    }

    /** Reads one restaurant file. */
    public static RestaurantDefinition read(Path file) throws InvalidRestaurantFileException {
        return new RestaurantFileReader(file).parse(load(file, null));
    }

    /** Parses a file's bytes already read (named by {@code file} for its format and messages). */
    public static RestaurantDefinition read(Path file, byte[] bytes) throws InvalidRestaurantFileException {
        return new RestaurantFileReader(file).parse(load(file, bytes));
    }

    /** Parses a file's text already read (the bundled sample comes from the classpath). */
    public static RestaurantDefinition parse(Path nameForMessages, String text, boolean yaml)
            throws InvalidRestaurantFileException {
        return new RestaurantFileReader(nameForMessages).parse(tree(nameForMessages, text, yaml));
    }

    public static boolean isRestaurantFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private static JsonNode load(Path file, byte[] given) throws InvalidRestaurantFileException {
        if (!isRestaurantFile(file)) {
            throw new InvalidRestaurantFileException(file, "", "must end in .yaml, .yml or .json");
        }
        String text;
        try {
            byte[] bytes = given != null ? given : Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new InvalidRestaurantFileException(file, "", "no such file");
        } catch (CharacterCodingException e) {
            throw new InvalidRestaurantFileException(file, "", "is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidRestaurantFileException(file, "", "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return tree(file, text, !n.endsWith(".json"));
    }

    private static JsonNode tree(Path file, String text, boolean yaml) throws InvalidRestaurantFileException {
        try {
            JsonNode root = (yaml ? YAML : JSON).readTree(text);
            if (root == null || !root.isObject()) {
                throw new InvalidRestaurantFileException(file, "", "must be an object with restaurant and menu");
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new InvalidRestaurantFileException(file, "", "is not valid " + (yaml ? "YAML" : "JSON") + where);
        }
    }

    private InvalidRestaurantFileException error(String path, String problem) {
        return new InvalidRestaurantFileException(file, path, problem);
    }

    private RestaurantDefinition parse(JsonNode root) throws InvalidRestaurantFileException {
        JsonNode r = object(root, "restaurant", "restaurant", true);
        String id = text(r, "restaurant.id", true, 64);
        if (!ID.matcher(id).matches()) {
            throw error("restaurant.id", "must be lower-case letters, digits and dashes, at most 64");
        }
        String name = text(r, "restaurant.name", true, 200);
        String language = orDefault(text(r, "restaurant.language", false, 10), "fr").toLowerCase(Locale.ROOT);
        if (!language.matches("[a-z]{2}")) {
            throw error("restaurant.language", "must be a two-letter language code such as fr or en");
        }
        String zoneText = orDefault(text(r, "restaurant.timezone", false, 64), "Europe/Paris");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw error("restaurant.timezone", "must be a time zone such as Europe/Paris");
        }
        String currency = orDefault(text(r, "restaurant.currency", false, 3), "EUR").toUpperCase(Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            throw error("restaurant.currency", "must be a three-letter currency code");
        }
        String country = orDefault(text(r, "restaurant.country", false, 2), "FR").toUpperCase(Locale.ROOT);
        if (!country.matches("[A-Z]{2}")) {
            throw error("restaurant.country", "must be a two-letter country code");
        }
        String phone = phone(r, "restaurant.phone");
        OpeningHours hours = openingHours(r.get("opening_hours"), "restaurant.opening_hours");
        Services services = services(r.get("services"));
        int prep = integer(r, "restaurant.avg_prep_time_min", 20, 0, 600);
        List<String> payment = paymentMethods(r);
        Delivery delivery = delivery(r.get("delivery"));
        Reservations reservations = reservations(r.get("reservations"), services.reservation());
        Transfer transfer = transfer(r.get("transfer"));
        List<String> blocked = new ArrayList<>();
        JsonNode blockedNode = array(r, "blocked_numbers", "restaurant.blocked_numbers");
        for (int i = 0; i < blockedNode.size(); i++) {
            String p = "restaurant.blocked_numbers[" + i + "]";
            JsonNode n = blockedNode.get(i);
            if (!n.isTextual() || !PHONE.matcher(n.asText().trim()).matches()) {
                throw error(p, "must be a phone number written + and digits");
            }
            blocked.add(n.asText().trim());
        }
        Ai ai = ai(r.get("ai"));
        List<Faq> faq = faq(array(root, "faq", "faq"));
        JsonNode menu = object(root, "menu", "menu", true);
        List<Category> categories = categories(array(menu, "categories", "menu.categories"));
        Set<String> refs = new HashSet<>();
        categories.forEach(c -> refs.add(c.ref()));
        Set<Integer> ids = new HashSet<>();
        List<Item> items = items(array(menu, "items", "menu.items"), refs, ids);
        List<Formula> formulas = formulas(array(menu, "formulas", "menu.formulas"), refs, ids, items);
        return new RestaurantDefinition(id, name, text(r, "restaurant.cuisine_type", false, 100), language, zone,
                currency, country, phone, text(r, "restaurant.address", false, 200), text(r, "restaurant.city", false, 100),
                text(r, "restaurant.postal_code", false, 20), hours, services, prep, payment, delivery, reservations,
                transfer, blocked, ai, faq, categories, items, formulas);
    }

    private Services services(JsonNode n) throws InvalidRestaurantFileException {
        if (n == null || n.isNull()) {
            return new Services(true, false, false, false);
        }
        if (!n.isObject()) {
            throw error("restaurant.services", "must be an object");
        }
        return new Services(bool(n, "pickup", "restaurant.services.pickup", false),
                bool(n, "delivery", "restaurant.services.delivery", false),
                bool(n, "reservation", "restaurant.services.reservation", false),
                bool(n, "order_status", "restaurant.services.order_status", false));
    }

    private List<String> paymentMethods(JsonNode r) throws InvalidRestaurantFileException {
        JsonNode n = r.get("payment_methods");
        if (n == null || n.isNull()) {
            return List.of("cash", "card");
        }
        JsonNode arr = array(r, "payment_methods", "restaurant.payment_methods");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String v = arr.get(i).asText("").trim().toLowerCase(Locale.ROOT);
            if (!PAYMENT_METHODS.contains(v)) {
                throw error("restaurant.payment_methods[" + i + "]", "must be cash, card or online");
            }
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        if (out.isEmpty()) {
            throw error("restaurant.payment_methods", "must list at least one of cash, card, online");
        }
        return out;
    }

    private OpeningHours openingHours(JsonNode n, String path) throws InvalidRestaurantFileException {
        Map<DayOfWeek, List<OpeningHours.Range>> week = new EnumMap<>(DayOfWeek.class);
        if (n == null || n.isNull()) {
            return new OpeningHours(week);
        }
        if (!n.isObject()) {
            throw error(path, "must map weekdays (monday … sunday) to opening ranges");
        }
        var names = n.fieldNames();
        while (names.hasNext()) {
            String day = names.next();
            DayOfWeek dow = DAYS.get(day.toLowerCase(Locale.ROOT));
            String p = path + "." + day;
            if (dow == null) {
                throw error(p, "is not a weekday (monday … sunday)");
            }
            JsonNode v = n.get(day);
            List<OpeningHours.Range> ranges = new ArrayList<>();
            if (v == null || v.isNull()) {
                week.put(dow, ranges);
                continue;
            }
            if (v.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    JsonNode range = v.get(i);
                    String rp = p + "[" + i + "]";
                    if (!range.isObject()) {
                        throw error(rp, "must be {open, close}");
                    }
                    ranges.add(new OpeningHours.Range(time(range, "open", rp + ".open", true),
                            time(range, "close", rp + ".close", true)));
                }
            } else if (v.isObject()) {
                // The back office's import form: {open, close, open2, close2}.
                LocalTime open = time(v, "open", p + ".open", false);
                LocalTime close = time(v, "close", p + ".close", false);
                if ((open == null) != (close == null)) {
                    throw error(p + (open == null ? ".open" : ".close"), "is required with " + (open == null ? "close" : "open"));
                }
                if (open != null) {
                    ranges.add(new OpeningHours.Range(open, close));
                }
                LocalTime open2 = time(v, "open2", p + ".open2", false);
                LocalTime close2 = time(v, "close2", p + ".close2", false);
                if ((open2 == null) != (close2 == null)) {
                    throw error(p + (open2 == null ? ".open2" : ".close2"), "is required with " + (open2 == null ? "close2" : "open2"));
                }
                if (open2 != null) {
                    ranges.add(new OpeningHours.Range(open2, close2));
                }
            } else {
                throw error(p, "must be a list of {open, close}, an {open, close, open2, close2} object, [] or null");
            }
            week.put(dow, ranges);
        }
        return new OpeningHours(week);
    }

    private Delivery delivery(JsonNode n) throws InvalidRestaurantFileException {
        if (n == null || n.isNull()) {
            return null;
        }
        String p = "restaurant.delivery";
        if (!n.isObject()) {
            throw error(p, "must be an object");
        }
        List<String> codes = new ArrayList<>();
        JsonNode arr = array(n, "postal_codes", p + ".postal_codes");
        for (int i = 0; i < arr.size(); i++) {
            JsonNode c = arr.get(i);
            if (!(c.isTextual() || c.isIntegralNumber()) || c.asText().isBlank()) {
                throw error(p + ".postal_codes[" + i + "]", "must be a postal code written as text");
            }
            codes.add(c.asText().trim());
        }
        Double radius = null;
        if (n.hasNonNull("radius_km")) {
            radius = money(n, "radius_km", p + ".radius_km", false).doubleValue();
        }
        BigDecimal fee = money(n, "fee", p + ".fee", false);
        return new Delivery(radius, codes, fee == null ? BigDecimal.ZERO.setScale(2) : fee,
                money(n, "free_above", p + ".free_above", false), money(n, "min_order", p + ".min_order", false),
                integer(n, p + ".estimated_delivery_min", 30, 0, 600));
    }

    private Reservations reservations(JsonNode n, boolean offered) throws InvalidRestaurantFileException {
        String p = "restaurant.reservations";
        if (n == null || n.isNull()) {
            if (offered) {
                throw error(p, "is required when services.reservation is true (at least total_seats)");
            }
            return null;
        }
        if (!n.isObject()) {
            throw error(p, "must be an object");
        }
        if (!n.hasNonNull("total_seats")) {
            throw error(p + ".total_seats", "is required");
        }
        return new Reservations(integer(n, p + ".total_seats", 0, 1, 10_000),
                integer(n, p + ".avg_meal_duration_min", 90, 15, 600),
                integer(n, p + ".min_advance_min", 30, 0, 10_080),
                integer(n, p + ".max_advance_days", 30, 0, 365),
                integer(n, p + ".max_party_size", 8, 1, 1000));
    }

    private Transfer transfer(JsonNode n) throws InvalidRestaurantFileException {
        String p = "restaurant.transfer";
        if (n == null || n.isNull()) {
            return new Transfer(false, null, false, 25, List.of());
        }
        if (!n.isObject()) {
            throw error(p, "must be an object");
        }
        List<String> cases = new ArrayList<>();
        JsonNode arr = array(n, "cases", p + ".cases");
        for (int i = 0; i < arr.size(); i++) {
            if (!arr.get(i).isTextual()) {
                throw error(p + ".cases[" + i + "]", "must be text");
            }
            cases.add(arr.get(i).asText().trim());
        }
        return new Transfer(bool(n, "enabled", p + ".enabled", false), phone(n, p + ".phone_number"),
                bool(n, "automatic", p + ".automatic", false), integer(n, p + ".ring_timeout_s", 25, 5, 120), cases);
    }

    private Ai ai(JsonNode n) throws InvalidRestaurantFileException {
        if (n == null || n.isNull()) {
            return new Ai(null, null, null);
        }
        String p = "restaurant.ai";
        if (!n.isObject()) {
            throw error(p, "must be an object");
        }
        String voice = text(n, p + ".voice", false, 20);
        if (voice != null) {
            voice = voice.toLowerCase(Locale.ROOT);
            if (!ServeConfig.VOICES.contains(voice)) {
                throw error(p + ".voice", "must be one of " + String.join(", ", ServeConfig.VOICES));
            }
        }
        return new Ai(voice, text(n, p + ".welcome_message", false, 500), text(n, p + ".instructions", false, 4000));
    }

    private List<Faq> faq(JsonNode arr) throws InvalidRestaurantFileException {
        List<Faq> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = "faq[" + i + "]";
            JsonNode n = arr.get(i);
            if (!n.isObject()) {
                throw error(p, "must be {question, answer, category}");
            }
            out.add(new Faq(text(n, p + ".question", true, 500), text(n, p + ".answer", true, 2000),
                    orDefault(text(n, p + ".category", false, 50), "other")));
        }
        return out;
    }

    private List<Category> categories(JsonNode arr) throws InvalidRestaurantFileException {
        List<Category> out = new ArrayList<>();
        Set<String> refs = new HashSet<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = "menu.categories[" + i + "]";
            JsonNode n = arr.get(i);
            if (!n.isObject()) {
                throw error(p, "must be {ref, name, display_order}");
            }
            String ref = text(n, p + ".ref", true, 64);
            if (!refs.add(ref)) {
                throw error(p + ".ref", "duplicates another category's ref \"" + ref + "\"");
            }
            out.add(new Category(ref, text(n, p + ".name", true, 100), integer(n, p + ".display_order", i + 1, -10_000, 10_000)));
        }
        return out;
    }

    private List<Item> items(JsonNode arr, Set<String> refs, Set<Integer> ids) throws InvalidRestaurantFileException {
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = "menu.items[" + i + "]";
            JsonNode n = arr.get(i);
            if (!n.isObject()) {
                throw error(p, "must be an object");
            }
            int id = entryId(n, p, ids);
            String ref = text(n, p + ".category_ref", true, 64);
            if (!refs.contains(ref)) {
                throw error(p + ".category_ref", "names no category of menu.categories (\"" + ref + "\")");
            }
            List<String> allergens = new ArrayList<>();
            JsonNode al = array(n, "allergens", p + ".allergens");
            for (int k = 0; k < al.size(); k++) {
                allergens.add(al.get(k).asText());
            }
            out.add(new Item(id, ref, text(n, p + ".name", true, 200), orDefault(text(n, p + ".description", false, 500), ""),
                    money(n, "price", p + ".price", true), allergens, bool(n, "available", p + ".available", true),
                    options(array(n, "options", p + ".options"), p + ".options")));
        }
        return out;
    }

    private List<ItemOption> options(JsonNode arr, String path) throws InvalidRestaurantFileException {
        List<ItemOption> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = path + "[" + i + "]";
            JsonNode n = arr.get(i);
            if (!n.isObject()) {
                throw error(p, "must be {name, type, required, choices}");
            }
            String name = text(n, p + ".name", true, 100);
            if (!names.add(TextKeys.match(name))) {
                throw error(p + ".name", "duplicates another option of this entry (\"" + name + "\")");
            }
            String type = orDefault(text(n, p + ".type", false, 20), "single_choice");
            if (!OPTION_TYPES.contains(type)) {
                throw error(p + ".type", "must be single_choice or multi_choice");
            }
            Integer max = type.equals("single_choice") ? Integer.valueOf(1)
                    : n.hasNonNull("max_choices") ? Integer.valueOf(integer(n, p + ".max_choices", 0, 1, 100)) : null;
            List<Choice> choices = new ArrayList<>();
            Set<String> labels = new HashSet<>();
            JsonNode ch = array(n, "choices", p + ".choices");
            if (ch.isEmpty()) {
                throw error(p + ".choices", "must list at least one choice");
            }
            for (int k = 0; k < ch.size(); k++) {
                String cp = p + ".choices[" + k + "]";
                JsonNode c = ch.get(k);
                if (!c.isObject()) {
                    throw error(cp, "must be {label, price_modifier}");
                }
                String label = text(c, cp + ".label", true, 100);
                if (!labels.add(TextKeys.match(label))) {
                    throw error(cp + ".label", "duplicates another choice of this option (\"" + label + "\")");
                }
                BigDecimal mod = money(c, "price_modifier", cp + ".price_modifier", false);
                choices.add(new Choice(label, mod == null ? BigDecimal.ZERO.setScale(2) : mod));
            }
            out.add(new ItemOption(name, type, bool(n, "required", p + ".required", false), max, choices));
        }
        return out;
    }

    private List<Formula> formulas(JsonNode arr, Set<String> refs, Set<Integer> ids, List<Item> items)
            throws InvalidRestaurantFileException {
        Set<Integer> itemIds = new HashSet<>();
        items.forEach(i -> itemIds.add(i.id()));
        List<Formula> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = "menu.formulas[" + i + "]";
            JsonNode n = arr.get(i);
            if (!n.isObject()) {
                throw error(p, "must be an object");
            }
            int id = entryId(n, p, ids);
            List<Slot> slots = new ArrayList<>();
            Set<String> names = new HashSet<>();
            JsonNode sl = array(n, "slots", p + ".slots");
            if (sl.isEmpty()) {
                throw error(p + ".slots", "must list at least one slot");
            }
            for (int k = 0; k < sl.size(); k++) {
                String sp = p + ".slots[" + k + "]";
                JsonNode s = sl.get(k);
                if (!s.isObject()) {
                    throw error(sp, "must be {name, required, from_category or items}");
                }
                String name = text(s, sp + ".name", true, 100);
                if (!names.add(TextKeys.match(name))) {
                    throw error(sp + ".name", "duplicates another slot of this formula (\"" + name + "\")");
                }
                String from = text(s, sp + ".from_category", false, 64);
                if (from != null && !refs.contains(from)) {
                    throw error(sp + ".from_category", "names no category of menu.categories (\"" + from + "\")");
                }
                List<Integer> slotItems = new ArrayList<>();
                JsonNode si = array(s, "items", sp + ".items");
                for (int m = 0; m < si.size(); m++) {
                    JsonNode v = si.get(m);
                    if (!v.isIntegralNumber() || !itemIds.contains(v.asInt())) {
                        throw error(sp + ".items[" + m + "]", "must be the id of an item of menu.items");
                    }
                    slotItems.add(v.asInt());
                }
                if (from == null && slotItems.isEmpty()) {
                    throw error(sp, "needs from_category or items");
                }
                slots.add(new Slot(name, bool(s, "required", sp + ".required", true), from, slotItems,
                        money(s, "max_price", sp + ".max_price", false)));
            }
            out.add(new Formula(id, text(n, p + ".name", true, 200), orDefault(text(n, p + ".description", false, 500), ""),
                    money(n, "price", p + ".price", true), bool(n, "available", p + ".available", true), slots));
        }
        return out;
    }

    private int entryId(JsonNode n, String p, Set<Integer> ids) throws InvalidRestaurantFileException {
        JsonNode v = n.get("id");
        if (v == null || v.isNull()) {
            throw error(p + ".id", "is required");
        }
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
            throw error(p + ".id", "must be a positive integer");
        }
        if (!ids.add(v.asInt())) {
            throw error(p + ".id", "duplicates id " + v.asInt() + " (ids are unique among items and formulas)");
        }
        return v.asInt();
    }

    // --- typed field readers: each names the field path in its error ---

    private JsonNode object(JsonNode parent, String field, String path, boolean required) throws InvalidRestaurantFileException {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw error(path, "is required");
            }
            return null;
        }
        if (!n.isObject()) {
            throw error(path, "must be an object");
        }
        return n;
    }

    private JsonNode array(JsonNode parent, String field, String path) throws InvalidRestaurantFileException {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return JSON.createArrayNode();
        }
        if (!n.isArray()) {
            throw error(path, "must be a list");
        }
        return n;
    }

    private String text(JsonNode parent, String path, boolean required, int max) throws InvalidRestaurantFileException {
        JsonNode n = parent.get(last(path));
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
            if (required) {
                throw error(path, "is required");
            }
            return null;
        }
        if (!(n.isTextual() || n.isNumber())) {
            throw error(path, "must be text");
        }
        String v = n.asText().trim();
        if (v.length() > max) {
            throw error(path, "must be at most " + max + " characters");
        }
        return v;
    }

    private String phone(JsonNode parent, String path) throws InvalidRestaurantFileException {
        String v = text(parent, path, false, 20);
        if (v != null && !PHONE.matcher(v).matches()) {
            throw error(path, "must be a phone number written + and digits");
        }
        return v;
    }

    private boolean bool(JsonNode parent, String field, String path, boolean def) throws InvalidRestaurantFileException {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isBoolean()) {
            throw error(path, "must be true or false");
        }
        return n.asBoolean();
    }

    private int integer(JsonNode parent, String path, int def, int min, int max) throws InvalidRestaurantFileException {
        JsonNode n = parent.get(last(path));
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw error(path, "must be a whole number between " + min + " and " + max);
        }
        return n.asInt();
    }

    private BigDecimal money(JsonNode parent, String field, String path, boolean required) throws InvalidRestaurantFileException {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw error(path, "is required");
            }
            return null;
        }
        if (!n.isNumber() || n.decimalValue().signum() < 0) {
            throw error(path, "must be a number >= 0");
        }
        BigDecimal v = n.decimalValue().stripTrailingZeros();
        if (v.scale() > 2) {
            throw error(path, "must have at most 2 decimals");
        }
        return v.setScale(2);
    }

    private LocalTime time(JsonNode parent, String field, String path, boolean required) throws InvalidRestaurantFileException {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw error(path, "is required");
            }
            return null;
        }
        String v = n.asText().trim();
        if (!n.isTextual() || !HHMM.matcher(v).matches()) {
            throw error(path, "must be a time written HH:MM");
        }
        return LocalTime.parse(v);
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static String orDefault(String v, String def) {
        return v == null ? def : v;
    }
}
