package io.voiceorder.app.agent.tools;

import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.MenuIndex;
import io.voiceorder.app.restaurant.MenuIndex.FormulaSlot;
import io.voiceorder.app.restaurant.MenuIndex.MenuEntry;
import io.voiceorder.app.restaurant.MenuIndex.MenuOption;
import io.voiceorder.app.restaurant.MenuIndex.OptionChoice;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;

/** The example restaurant of serve.md §7.2.1 as an agent snapshot: #1 Margherita … #5 Formule midi. */
final class SampleAgent {
    private SampleAgent() {
    }

    static MenuIndex menu() {
        MenuOption taille = new MenuOption("Taille", MenuIndex.OptionType.SINGLE_CHOICE, true, 1,
                List.of(new OptionChoice("Normale", BigDecimal.ZERO), new OptionChoice("Grande", new BigDecimal("3.00"))));
        MenuOption supplements = new MenuOption("Suppléments", MenuIndex.OptionType.MULTI_CHOICE, false, 3,
                List.of(new OptionChoice("Burrata", new BigDecimal("2.50")), new OptionChoice("Olives", new BigDecimal("1.00"))));
        return new MenuIndex(List.of(
                new MenuEntry(1, "1", MenuIndex.Kind.ITEM, "Margherita", "pizzas", new BigDecimal("9.50"), true,
                        "Tomate, mozzarella, basilic frais", List.of("gluten", "lait"), List.of(taille, supplements), List.of()),
                new MenuEntry(2, "2", MenuIndex.Kind.ITEM, "Regina", "pizzas", new BigDecimal("11.00"), true, "", List.of(),
                        List.of(), List.of()),
                new MenuEntry(3, "20", MenuIndex.Kind.ITEM, "Tiramisu maison", "desserts", new BigDecimal("6.50"), true, "",
                        List.of(), List.of(), List.of()),
                new MenuEntry(4, "30", MenuIndex.Kind.ITEM, "Coca-Cola 33 cl", "boissons", new BigDecimal("3.00"), true, "",
                        List.of(), List.of(), List.of()),
                new MenuEntry(5, "50", MenuIndex.Kind.FORMULA, "Formule midi", null, new BigDecimal("13.50"), true, "",
                        List.of(), List.of(), List.of(
                        new FormulaSlot("Pizza", true, List.of("1", "2"), new BigDecimal("11.00")),
                        new FormulaSlot("Boisson", true, List.of("30", "31"), null))),
                new MenuEntry(6, "7", MenuIndex.Kind.ITEM, "Calzone", "pizzas", new BigDecimal("12.00"), false, "", List.of(),
                        List.of(), List.of())), true);
    }

    static AgentConfig config() {
        return config(new AgentConfig.Services(true, true, true, true), AgentConfig.TransferSettings.disabled(), null);
    }

    static AgentConfig config(AgentConfig.Services services, AgentConfig.TransferSettings transfer,
                              AgentConfig.CustomerContext customer) {
        return new AgentConfig("da-marco", "Pizzeria Da Marco", AgentConfig.Source.EMBEDDED,
                new AgentConfig.Instructions("prompt with transfer", "prompt without transfer"), List.of(), "fr", "sage",
                ZoneId.of("Europe/Paris"), "EUR", "FR", "Pizzeria Da Marco bonjour, que puis-je faire pour vous ?",
                menu(), services, List.of("cash", "card"), 20,
                new AgentConfig.DeliveryTerms(new BigDecimal("2.50"), new BigDecimal("30.00"), new BigDecimal("15.00"), 3.0,
                        List.of("75011"), 20),
                new AgentConfig.ReservationTerms(8, 30, 30, 90), transfer, customer, null);
    }
}
