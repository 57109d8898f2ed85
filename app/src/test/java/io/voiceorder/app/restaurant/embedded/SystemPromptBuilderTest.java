package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voiceorder.app.restaurant.AgentConfig.CustomerContext;
import io.voiceorder.app.restaurant.MenuIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SystemPromptBuilderTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ZonedDateTime TUESDAY_EVENING = ZonedDateTime.of(2026, 11, 24, 19, 5, 0, 0, ZoneId.of("Europe/Paris"));

    @TempDir
    Path dir;

    private RestaurantDefinition sample(String path, com.fasterxml.jackson.databind.JsonNode value) throws Exception {
        var root = RestaurantFiles.sample();
        if (path != null) {
            RestaurantFiles.set(root, path, value);
        }
        return RestaurantFileReader.read(RestaurantFiles.write(dir, "r.yaml", root));
    }

    private static String prompt(RestaurantDefinition r, CustomerContext customer, boolean transfer) {
        MenuIndex menu = MenuNumbering.index(r);
        return SystemPromptBuilder.build(r, menu, TUESDAY_EVENING, customer, r.faq(), transfer);
    }

    @Test
    void theFrenchPromptHasEverySectionInOrder() throws Exception {
        RestaurantDefinition r = sample(null, null);
        String p = prompt(r, null, true);
        assertThat(p).contains("Pizzeria Da Marco", "Cuisine : pizza.", "Propose le tiramisu maison en dessert.");
        assertThat(p).contains("12 rue des Lilas, 75011 Paris", "+33145678901",
                "à emporter, livraison, réservation de table, suivi de commande");
        assertThat(p).contains("mardi", "24 novembre 2026", "19:05");
        assertThat(p).contains("- lundi : fermé", "- mardi : 11:30–14:30, 18:30–22:30", "- samedi : 11:30–15:00, 18:30–00:30");
        assertThat(p).contains("#3 Margherita — 9.50 EUR — Tomate, mozzarella, basilic frais");
        assertThat(p).contains("Taille (obligatoire, un choix) : Normale, Grande (+3.00)");
        assertThat(p).contains("Suppléments (facultatif, jusqu'à 3 choix) : Burrata (+2.50), Olives (+1.00), Jambon (+1.50)");
        assertThat(p).contains("Allergènes : gluten, lait");
        assertThat(p).contains("#16 Formule midi — 13.50 EUR");
        assertThat(p).contains("Boisson (obligatoire) : #12 Coca-Cola 33 cl, #13 Eau plate 50 cl, #14 Limonade artisanale 33 cl");
        assertThat(p).contains("Zone : codes postaux 75011, 75012, 75020.", "Frais de livraison : 2.50 EUR.",
                "Livraison offerte à partir de 30.00 EUR.", "Minimum de commande : 15.00 EUR.");
        assertThat(p).contains("Au moins 30 minutes à l'avance, au plus 30 jours à l'avance, 8 personnes au maximum par table.");
        assertThat(p).contains("Nouvel appelant");
        assertThat(p).contains("Avez-vous un parking ? → Un parking public se trouve à 50 mètres", "log_new_faq");
        assertThat(p).contains("check_availability", "confirm_order", "end_call");
        assertThat(p).contains("Le client insiste pour parler à une personne");
        assertThat(p).endsWith("Pizzeria Da Marco bonjour, que puis-je faire pour vous ?\n");
        assertThat(p).doesNotContain("Tartufo", "Eau pétillante", "32");

        int role = p.indexOf("Pizzeria Da Marco");
        int hours = p.indexOf("Horaires d'ouverture");
        int menu = p.indexOf("#1 Bruschetta");
        int delivery = p.indexOf("## Livraison");
        int reservations = p.indexOf("## Réservations");
        int faq = p.indexOf("## Questions fréquentes");
        int rules = p.indexOf("## Règles obligatoires");
        int greeting = p.indexOf("## Accueil");
        assertThat(List.of(role, hours, menu, delivery, reservations, faq, rules, greeting)).isSorted();
    }

    @Test
    void theRulesFollowTheServicesOffered() throws Exception {
        RestaurantDefinition bookingsOnly = sample("restaurant.services", F.objectNode().put("pickup", false).put("reservation", true));
        String p = prompt(bookingsOnly, null, false);
        assertThat(p).contains("confirm_reservation", "Services proposés : réservation de table").doesNotContain("confirm_order", "## Livraison");
    }

    @Test
    void transferCasesAppearOnlyWhenTransferIsOffered() throws Exception {
        RestaurantDefinition r = sample(null, null);
        assertThat(prompt(r, null, false)).doesNotContain("transfer_call", "Le client insiste pour parler à une personne");
    }

    @Test
    void aKnownCustomerIsGreetedByNameWithTheAddressOnFile() throws Exception {
        String p = prompt(sample(null, null), new CustomerContext("c1", "Marie", 3, "3 rue Oberkampf", "Paris", "75011", null, null), false);
        assertThat(p).contains("Client connu : Marie.", "Il a déjà commandé 3 fois.", "3 rue Oberkampf, 75011 Paris");
        assertThat(p).doesNotContain("Nouvel appelant");
    }

    @Test
    void englishUsesTheEnglishTemplateAndOtherLanguagesAskToSpeakThem() throws Exception {
        String en = prompt(sample("restaurant.language", F.textNode("en")), null, false);
        assertThat(en).contains("You are the voice assistant of the restaurant Pizzeria Da Marco", "Opening hours", "- Monday: closed",
                "Taille (required, one choice): Normale, Grande (+3.00)", "New caller");
        assertThat(en).contains("Tuesday", "November 24, 2026");

        RestaurantDefinition it = sample("restaurant.language", F.textNode("it"));
        String p = prompt(it, null, false);
        assertThat(p).contains("Always speak Italian with the caller.", "Opening hours");
    }

    @Test
    void withoutAWelcomeMessageTheTemplateGreetingIsUsed() throws Exception {
        RestaurantDefinition fr = sample("restaurant.ai.welcome_message", null);
        assertThat(SystemPromptBuilder.greeting(fr)).isEqualTo("Pizzeria Da Marco bonjour, je vous écoute !");
        var root = RestaurantFiles.sample();
        RestaurantFiles.set(root, "restaurant.ai.welcome_message", null);
        RestaurantFiles.set(root, "restaurant.language", F.textNode("en"));
        RestaurantDefinition en = RestaurantFileReader.read(RestaurantFiles.write(dir, "en.yaml", root));
        assertThat(SystemPromptBuilder.greeting(en)).isEqualTo("Pizzeria Da Marco, hello, how can I help?");
    }
}
