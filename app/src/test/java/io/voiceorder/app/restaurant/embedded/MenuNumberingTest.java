package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.restaurant.MenuIndex;
import io.voiceorder.app.restaurant.MenuIndex.MenuEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MenuNumberingTest {
    @TempDir
    Path dir;

    /** The small example of serve.md §7.2.1, categories listed out of display order. */
    private static final String SPEC_EXAMPLE = """
            restaurant: {id: da-marco, name: Pizzeria Da Marco}
            menu:
              categories:
                - {ref: boissons, name: Boissons, display_order: 3}
                - {ref: pizzas, name: Pizzas, display_order: 1}
                - {ref: desserts, name: Desserts, display_order: 2}
              items:
                - {id: 30, category_ref: boissons, name: Coca-Cola 33 cl, price: 3.00}
                - id: 1
                  category_ref: pizzas
                  name: Margherita
                  price: 9.50
                  options:
                    - name: Taille
                      type: single_choice
                      required: true
                      choices: [{label: Normale, price_modifier: 0}, {label: Grande, price_modifier: 3.00}]
                - {id: 20, category_ref: desserts, name: Tiramisu maison, price: 6.50}
                - {id: 2, category_ref: pizzas, name: Regina, price: 11.00}
                - {id: 31, category_ref: boissons, name: Eau pétillante 50 cl, price: 2.50, available: false}
              formulas:
                - id: 50
                  name: Formule midi
                  price: 13.50
                  slots:
                    - {name: Pizza, required: true, from_category: pizzas, max_price: 10.00}
                    - {name: Boisson, required: true, items: [30, 31]}
            """;

    @Test
    void itemsAreNumberedByCategoryOrderThenFileOrderThenFormulas() throws Exception {
        RestaurantDefinition r = RestaurantFileReader.read(Files.writeString(dir.resolve("r.yaml"), SPEC_EXAMPLE));
        MenuIndex index = MenuNumbering.index(r);
        assertThat(index.entries()).extracting(e -> "#" + e.number() + " " + e.name() + " (" + e.id() + ")").containsExactly(
                "#1 Margherita (1)", "#2 Regina (2)", "#3 Tiramisu maison (20)", "#4 Coca-Cola 33 cl (30)", "#5 Formule midi (50)");
        assertThat(index.validRange()).isEqualTo("1-5");
        assertThat(index.byNumber(6)).isEmpty();
    }

    @Test
    void entriesKeepPricesOptionsAndSlotsWithOnlyAllowedAvailableItems() throws Exception {
        RestaurantDefinition r = RestaurantFileReader.read(Files.writeString(dir.resolve("r.yaml"), SPEC_EXAMPLE));
        MenuIndex index = MenuNumbering.index(r);
        MenuEntry margherita = index.byNumber(1).orElseThrow();
        assertThat(margherita.price()).isEqualByComparingTo("9.50");
        assertThat(margherita.kind()).isEqualTo(MenuIndex.Kind.ITEM);
        assertThat(margherita.options()).singleElement().satisfies(o -> {
            assertThat(o.type()).isEqualTo(MenuIndex.OptionType.SINGLE_CHOICE);
            assertThat(o.required()).isTrue();
            assertThat(o.maxChoices()).isEqualTo(1);
            assertThat(o.choices()).extracting(MenuIndex.OptionChoice::label).containsExactly("Normale", "Grande");
        });
        MenuEntry formula = index.byNumber(5).orElseThrow();
        assertThat(formula.kind()).isEqualTo(MenuIndex.Kind.FORMULA);
        // Regina (11.00) is above the slot's max price; the water is unavailable.
        assertThat(formula.slots().get(0).allowedEntryIds()).containsExactly("1");
        assertThat(formula.slots().get(1).allowedEntryIds()).containsExactly("30");
    }

    @Test
    void theSampleRestaurantIsNumberedWithoutItsUnavailableEntries() throws Exception {
        RestaurantDefinition r = RestaurantFileReader.read(RestaurantFiles.write(dir, "s.yaml", RestaurantFiles.sample()));
        MenuIndex index = MenuNumbering.index(r);
        assertThat(index.entries()).hasSize(17);
        assertThat(index.byNumber(1).orElseThrow().name()).isEqualTo("Bruschetta");
        assertThat(index.byNumber(3).orElseThrow().name()).isEqualTo("Margherita");
        assertThat(index.entries()).extracting(MenuEntry::name).doesNotContain("Tartufo", "Eau pétillante 50 cl");
        assertThat(index.byNumber(16).orElseThrow().name()).isEqualTo("Formule midi");
    }
}
