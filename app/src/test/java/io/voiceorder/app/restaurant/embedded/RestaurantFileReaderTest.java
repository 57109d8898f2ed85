package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RestaurantFileReaderTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    @Test
    void theBundledSampleIsValidAndComplete() throws Exception {
        RestaurantDefinition r = RestaurantFileReader.read(RestaurantFiles.write(dir, "sample.yaml", RestaurantFiles.sample()));
        assertThat(r.id()).isEqualTo("da-marco");
        assertThat(r.language()).isEqualTo("fr");
        assertThat(r.timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(r.categories()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(r.items()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(r.formulas()).isNotEmpty();
        assertThat(r.faq()).isNotEmpty();
        assertThat(r.services().delivery()).isTrue();
        assertThat(r.reservations().totalSeats()).isEqualTo(32);
        assertThat(r.item(1).orElseThrow().options()).extracting(RestaurantDefinition.ItemOption::name)
                .containsExactly("Taille", "Suppléments");
        assertThat(r.item(1).orElseThrow().price()).isEqualByComparingTo("9.50");
        assertThat(r.item(31).orElseThrow().available()).isFalse();
    }

    @Test
    void theExampleInTheRepositoryIsTheBundledSample() throws Exception {
        Path example = Path.of("..", "examples", "restaurant.yaml");
        assertThat(Files.readString(example))
                .isEqualTo(new String(getClass().getClassLoader().getResourceAsStream(RestaurantCatalog.SAMPLE_RESOURCE).readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void jsonFilesAreReadToo() throws Exception {
        RestaurantDefinition r = RestaurantFileReader.read(RestaurantFiles.write(dir, "r.json", RestaurantFiles.sample()));
        assertThat(r.id()).isEqualTo("da-marco");
        assertThat(r.items()).hasSameSizeAs(RestaurantFileReader.read(RestaurantFiles.write(dir, "r.yaml", RestaurantFiles.sample())).items());
    }

    @Test
    void defaultsApplyWhenOptionalFieldsAreAbsent() throws Exception {
        ObjectNode root = F.objectNode();
        root.putObject("restaurant").put("id", "mini").put("name", "Mini");
        ObjectNode menu = root.putObject("menu");
        menu.putArray("categories").addObject().put("ref", "plats").put("name", "Plats");
        menu.putArray("items").addObject().put("id", 1).put("category_ref", "plats").put("name", "Plat du jour").put("price", 12);
        RestaurantDefinition r = RestaurantFileReader.read(RestaurantFiles.write(dir, "mini.yaml", root));
        assertThat(r.language()).isEqualTo("fr");
        assertThat(r.timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(r.currency()).isEqualTo("EUR");
        assertThat(r.country()).isEqualTo("FR");
        assertThat(r.services()).isEqualTo(new RestaurantDefinition.Services(true, false, false, false));
        assertThat(r.transfer().ringTimeoutSec()).isEqualTo(25);
        assertThat(r.transfer().enabled()).isFalse();
        assertThat(r.items().get(0).available()).isTrue();
        assertThat(r.items().get(0).price()).isEqualTo(new BigDecimal("12.00"));
        assertThat(r.openingHours().closedAllWeek()).isTrue();
    }

    @Test
    void openingHoursAcceptTheImportFormsAndNull() throws Exception {
        ObjectNode root = RestaurantFiles.sample();
        ObjectNode hours = F.objectNode();
        hours.putObject("monday").put("open", "11:00").put("close", "14:00").put("open2", "19:00").put("close2", "01:30");
        hours.putNull("tuesday");
        hours.putArray("wednesday");
        RestaurantFiles.set(root, "restaurant.opening_hours", hours);
        RestaurantDefinition r = RestaurantFileReader.read(RestaurantFiles.write(dir, "r.yaml", root));
        assertThat(r.openingHours().week().get(DayOfWeek.MONDAY)).containsExactly(
                new OpeningHours.Range(LocalTime.of(11, 0), LocalTime.of(14, 0)),
                new OpeningHours.Range(LocalTime.of(19, 0), LocalTime.of(1, 30)));
        assertThat(r.openingHours().week().get(DayOfWeek.TUESDAY)).isEmpty();
        assertThat(r.openingHours().week().get(DayOfWeek.WEDNESDAY)).isEmpty();
        assertThat(r.openingHours().week().get(DayOfWeek.SUNDAY)).isEmpty();
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> invalidFiles() {
        return Stream.of(
                arguments("menu.items[2].price", F.numberNode(-1), "menu.items[2].price: must be a number >= 0"),
                arguments("menu.items[2].price", F.numberNode(new BigDecimal("9.505")), "menu.items[2].price: must have at most 2 decimals"),
                arguments("menu.items[2].price", F.textNode("neuf"), "menu.items[2].price: must be a number >= 0"),
                arguments("menu.items[2].price", null, "menu.items[2].price: is required"),
                arguments("menu.items[3].id", F.numberNode(1), "menu.items[3].id: duplicates id 1"),
                arguments("menu.formulas[0].id", F.numberNode(20), "menu.formulas[0].id: duplicates id 20"),
                arguments("menu.items[0].id", F.numberNode(0), "menu.items[0].id: must be a positive integer"),
                arguments("menu.items[0].category_ref", F.textNode("soupes"), "menu.items[0].category_ref: names no category"),
                arguments("menu.formulas[0].slots[0].from_category", F.textNode("soupes"), "menu.formulas[0].slots[0].from_category: names no category"),
                arguments("menu.formulas[0].slots[1].items[0]", F.numberNode(999), "menu.formulas[0].slots[1].items[0]: must be the id of an item"),
                arguments("menu.items[2].options[1].name", F.textNode(" taille "), "menu.items[2].options[1].name: duplicates another option"),
                arguments("menu.items[2].options[0].choices[1].label", F.textNode("NORMALE"), "menu.items[2].options[0].choices[1].label: duplicates another choice"),
                arguments("menu.items[2].options[0].choices[1].price_modifier", F.numberNode(-3), "menu.items[2].options[0].choices[1].price_modifier: must be a number >= 0"),
                arguments("menu.items[2].options[0].type", F.textNode("radio"), "menu.items[2].options[0].type: must be single_choice or multi_choice"),
                arguments("restaurant.opening_hours.tuesday[0].open", F.textNode("25:00"), "restaurant.opening_hours.tuesday[0].open: must be a time written HH:MM"),
                arguments("restaurant.opening_hours.tuesday[1].close", F.textNode("7pm"), "restaurant.opening_hours.tuesday[1].close: must be a time written HH:MM"),
                arguments("restaurant.timezone", F.textNode("Europe/Lutece"), "restaurant.timezone: must be a time zone"),
                arguments("restaurant.phone", F.textNode("01 45 67 89 01"), "restaurant.phone: must be a phone number written + and digits"),
                arguments("restaurant.transfer.phone_number", F.textNode("06-12-34-56-78"), "restaurant.transfer.phone_number: must be a phone number"),
                arguments("restaurant.blocked_numbers[0]", F.textNode("0699999999"), "restaurant.blocked_numbers[0]: must be a phone number"),
                arguments("restaurant.id", null, "restaurant.id: is required"),
                arguments("restaurant.id", F.textNode("Da Marco"), "restaurant.id: must be lower-case letters, digits and dashes"),
                arguments("restaurant.name", F.textNode(" "), "restaurant.name: is required"),
                arguments("restaurant.delivery.fee", F.numberNode(-2.5), "restaurant.delivery.fee: must be a number >= 0"),
                arguments("restaurant.reservations.total_seats", null, "restaurant.reservations.total_seats: is required"),
                arguments("restaurant.payment_methods[1]", F.textNode("bitcoin"), "restaurant.payment_methods[1]: must be cash, card or online"),
                arguments("restaurant.ai.voice", F.textNode("robot"), "restaurant.ai.voice: must be one of"),
                arguments("restaurant.services.delivery", F.textNode("oui"), "restaurant.services.delivery: must be true or false"),
                arguments("menu", null, "menu: is required"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidFiles")
    void anInvalidFieldIsReportedWithItsPath(String path, JsonNode value, String expected) {
        Path file = RestaurantFiles.write(dir, "restaurant.yaml", RestaurantFiles.set(RestaurantFiles.sample(), path, value));
        assertThatThrownBy(() -> RestaurantFileReader.read(file))
                .isInstanceOf(InvalidRestaurantFileException.class)
                .hasMessageStartingWith("RESTAURANT_FILE " + file + ": " + expected)
                .hasMessageEndingWith(".");
    }

    @Test
    void unreadableFilesAreNamed() throws Exception {
        Path missing = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> RestaurantFileReader.read(missing)).hasMessage("RESTAURANT_FILE " + missing + ": no such file.");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"restaurant\": ");
        assertThatThrownBy(() -> RestaurantFileReader.read(broken)).hasMessageStartingWith("RESTAURANT_FILE " + broken + ": is not valid JSON");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> RestaurantFileReader.read(text)).hasMessageContaining("must end in .yaml, .yml or .json");
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), "restaurant: {id: a, name: \"Caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> RestaurantFileReader.read(latin1)).hasMessageContaining("is not UTF-8 text");
    }

    @Test
    void menuEntriesWithTheSameIdAcrossItemsAndFormulasAreRefused() {
        ObjectNode root = RestaurantFiles.sample();
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("menu").get("formulas")).addObject()
                .put("id", 1).put("name", "Doublon").put("price", 5)
                .putArray("slots").addObject().put("name", "Boisson").putArray("items").add(30);
        Path file = RestaurantFiles.write(dir, "dup.yaml", root);
        assertThatThrownBy(() -> RestaurantFileReader.read(file)).hasMessageContaining("menu.formulas[2].id: duplicates id 1");
    }

}
