package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.PricedOrder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** confirm_order: server-side prices and every refusal of §6.4.2, in order; nothing is stored on a refusal. */
class ConfirmOrderToolTest {
    private final ToolBench bench = new ToolBench();

    private ObjectNode checkPickup() {
        return bench.run("check_availability", "{\"mode\":\"pickup\"}");
    }

    @Test
    void pricesComeFromTheMenuWithOptionsAndTheModelsPricesAreIgnored() {
        checkPickup();
        ObjectNode r = bench.run("confirm_order", """
                {"order_type":"pickup","total":33,"items":[
                  {"id":1,"quantity":2,"unit_price":1,"selected_options":[{"name":"taille","choice":"GRANDE"},
                     {"name":"Supplements","choice":"burrata"}]},
                  {"id":4,"quantity":1,"unit_price":0.5}]}""");
        assertThat(r.path("success").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.path("order_number").asInt()).isEqualTo(1);
        assertThat(r.path("total").decimalValue()).isEqualByComparingTo("33.00");
        assertThat(r.path("heure_estimee").asText()).isEqualTo("19:45");
        assertThat(r.path("mode").asText()).isEqualTo("prete");
        PricedOrder stored = bench.backend.orders.get(0);
        assertThat(stored.lines()).hasSize(2);
        PricedOrder.PricedLine pizza = stored.lines().get(0);
        assertThat(pizza.menuItemId()).isEqualTo("1");
        assertThat(pizza.unitPrice()).isEqualByComparingTo("15.00"); // 9.50 + 3.00 + 2.50
        assertThat(pizza.totalPrice()).isEqualByComparingTo("30.00");
        assertThat(pizza.selectedOptions()).extracting(PricedOrder.SelectedOption::choice).containsExactly("Grande", "Burrata");
        assertThat(stored.lines().get(1).menuItemId()).isEqualTo("30");
        assertThat(stored.total()).isEqualByComparingTo("33.00");
        assertThat(stored.customerPhone()).isEqualTo(ToolBench.CALLER);
        assertThat(stored.estimatedReadyAt()).isNotNull();
        assertThat(bench.state.orderPlaced()).isTrue();
    }

    @Test
    void deliveryAddsTheFeeBelowFreeAboveAndRefusesBelowTheMinimum() {
        bench.run("check_availability", "{\"mode\":\"delivery\",\"customer_address\":\"12 rue des Lilas\",\"customer_postal_code\":\"75011\"}");
        ObjectNode small = bench.run("confirm_order", "{\"order_type\":\"delivery\",\"total\":9.5,\"items\":[{\"id\":2,\"quantity\":1}]}");
        assertThat(small.path("error").asText()).isEqualTo("below_minimum_order");
        assertThat(small.path("min_order").decimalValue()).isEqualByComparingTo("15");
        ObjectNode withFee = bench.run("confirm_order", "{\"order_type\":\"delivery\",\"total\":24.5,\"items\":[{\"id\":2,\"quantity\":2}]}");
        assertThat(withFee.path("success").asBoolean()).as(withFee.toString()).isTrue();
        assertThat(withFee.path("delivery_fee").decimalValue()).isEqualByComparingTo("2.50");
        assertThat(withFee.path("mode").asText()).isEqualTo("livree");
        ObjectNode free = bench.run("confirm_order", "{\"order_type\":\"delivery\",\"total\":33,\"items\":[{\"id\":2,\"quantity\":3}]}");
        assertThat(free.path("delivery_fee").decimalValue()).isEqualByComparingTo("0");
        assertThat(bench.backend.orders.get(0).deliveryAddress()).isEqualTo("12 rue des Lilas");
    }

    @Test
    void withoutAFreshCheckOfTheMatchingModeNothingIsStored() {
        ObjectNode none = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":11,\"items\":[{\"id\":2,\"quantity\":1}]}");
        assertThat(none.path("error").asText()).isEqualTo("availability_not_checked");
        assertThat(none.path("mode").asText()).isEqualTo("pickup");
        checkPickup();
        ObjectNode wrongMode = bench.run("confirm_order", "{\"order_type\":\"delivery\",\"total\":22,\"items\":[{\"id\":2,\"quantity\":2}]}");
        assertThat(wrongMode.path("error").asText()).isEqualTo("availability_not_checked");
        assertThat(wrongMode.path("mode").asText()).isEqualTo("delivery");
        bench.later(Duration.ofMinutes(16));
        ObjectNode stale = bench.run("confirm_order", "{\"order_type\":\"dine_in\",\"total\":11,\"items\":[{\"id\":2,\"quantity\":1}]}");
        assertThat(stale.path("error").asText()).isEqualTo("availability_not_checked");
        assertThat(bench.backend.orders).isEmpty();
    }

    @Test
    void unknownItemsAreListedWithTheValidRange() {
        checkPickup();
        ObjectNode r = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":10,\"items\":[{\"id\":2,\"quantity\":1},{\"id\":42,\"quantity\":1},{\"id\":0,\"quantity\":1}]}");
        assertThat(r.path("success").asBoolean()).isFalse();
        assertThat(r.path("error").asText()).isEqualTo("unknown_item");
        assertThat(r.path("invalid_ids").toString()).isEqualTo("[42,0]");
        assertThat(r.path("valid_range").asText()).isEqualTo("1-6");
        assertThat(r.path("message").asText()).contains("42");
        assertThat(bench.backend.orders).isEmpty();
        assertThat(bench.state.view().lastRefused().error()).isEqualTo("unknown_item");
    }

    @Test
    void totalMismatchGivesTheComputedTotalAndTheSameOrderWithThatTotalIsStored() {
        checkPickup();
        String items = "[{\"id\":1,\"quantity\":1,\"selected_options\":[{\"name\":\"Taille\",\"choice\":\"Normale\"}]},{\"id\":3,\"quantity\":2}]";
        ObjectNode r = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":20,\"items\":" + items + "}");
        assertThat(r.path("error").asText()).isEqualTo("total_mismatch");
        assertThat(r.path("computed_total").decimalValue()).isEqualByComparingTo("22.50");
        assertThat(r.path("lines").get(1).path("unit_price").decimalValue()).isEqualByComparingTo("6.50");
        assertThat(bench.backend.orders).isEmpty();
        ObjectNode ok = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":22.5,\"items\":" + items + "}");
        assertThat(ok.path("success").asBoolean()).isTrue();
        assertThat(bench.backend.orders).hasSize(1);
    }

    @Test
    void aSecondIdenticalOrderReturnsTheFirstAsDuplicate() {
        checkPickup();
        String args = "{\"order_type\":\"pickup\",\"total\":11,\"items\":[{\"id\":2,\"quantity\":1}]}";
        ObjectNode first = bench.run("confirm_order", args);
        ObjectNode second = bench.run("confirm_order", args);
        assertThat(second.path("success").asBoolean()).isTrue();
        assertThat(second.path("duplicate").asBoolean()).isTrue();
        assertThat(second.path("order_id").asText()).isEqualTo(first.path("order_id").asText());
        assertThat(bench.backend.orders).hasSize(1);
    }

    @Test
    void optionProblemsAreReportedWithWhatIsValid() {
        checkPickup();
        assertThat(bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":9.5,\"items\":[{\"id\":1,\"quantity\":1}]}")
                .path("error").asText()).isEqualTo("missing_required_option");
        ObjectNode unknownOption = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":9.5,\"items\":[{\"id\":1,\"quantity\":1,\"selected_options\":[{\"name\":\"Taille\",\"choice\":\"Normale\"},{\"name\":\"Cuisson\",\"choice\":\"bien cuite\"}]}]}");
        assertThat(unknownOption.path("error").asText()).isEqualTo("unknown_option");
        assertThat(unknownOption.path("valid_options").toString()).contains("Taille");
        ObjectNode unknownChoice = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":9.5,\"items\":[{\"id\":1,\"quantity\":1,\"selected_options\":[{\"name\":\"Taille\",\"choice\":\"Enorme\"}]}]}");
        assertThat(unknownChoice.path("error").asText()).isEqualTo("unknown_choice");
        assertThat(unknownChoice.path("valid_choices").toString()).contains("Normale", "Grande");
        ObjectNode tooMany = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":9.5,\"items\":[{\"id\":1,\"quantity\":1,\"selected_options\":[{\"name\":\"Taille\",\"choice\":\"Normale\"},{\"name\":\"Taille\",\"choice\":\"Grande\"}]}]}");
        assertThat(tooMany.path("error").asText()).isEqualTo("too_many_choices");
        assertThat(bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":9.5,\"items\":[{\"id\":2,\"quantity\":51}]}")
                .path("error").asText()).isEqualTo("invalid_quantity");
        assertThat(bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":12,\"items\":[{\"id\":6,\"quantity\":1}]}")
                .path("error").asText()).isEqualTo("item_unavailable");
        assertThat(bench.backend.orders).isEmpty();
    }

    @Test
    void formulaSlotsTakeMenuNumbersWithinTheirMaximumPriceAndAddNothing() {
        checkPickup();
        ObjectNode ok = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":13.5,\"items\":[{\"id\":5,\"quantity\":1,\"selected_options\":[{\"name\":\"Pizza\",\"choice_id\":2},{\"name\":\"Boisson\",\"choice_id\":4}]}]}");
        assertThat(ok.path("success").asBoolean()).as(ok.toString()).isTrue();
        assertThat(bench.backend.orders.get(0).lines().get(0).selectedOptions())
                .extracting(PricedOrder.SelectedOption::choice).containsExactly("Regina", "Coca-Cola 33 cl");
        ObjectNode notAllowed = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":13.5,\"items\":[{\"id\":5,\"quantity\":1,\"selected_options\":[{\"name\":\"Pizza\",\"choice_id\":3},{\"name\":\"Boisson\",\"choice_id\":4}]}]}");
        assertThat(notAllowed.path("error").asText()).isEqualTo("unknown_choice");
        assertThat(notAllowed.path("valid_choices").toString()).contains("#1 Margherita", "#2 Regina");
    }

    @Test
    void serviceAndPaymentRefusals() {
        bench.agent = SampleAgent.config(new AgentConfig.Services(true, false, false, false),
                AgentConfig.TransferSettings.disabled(), null);
        bench.run("check_availability", "{\"mode\":\"delivery\",\"customer_address\":\"1 rue X\"}");
        assertThat(bench.run("confirm_order", "{\"order_type\":\"delivery\",\"total\":22,\"items\":[{\"id\":2,\"quantity\":2}]}")
                .path("error").asText()).isEqualTo("service_not_available");
        checkPickup();
        ObjectNode payment = bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":11,\"payment_method\":\"online\",\"items\":[{\"id\":2,\"quantity\":1}]}");
        assertThat(payment.path("error").asText()).isEqualTo("payment_method_not_accepted");
        assertThat(payment.path("accepted").toString()).isEqualTo("[\"cash\",\"card\"]");
    }

    @Test
    void badArgumentsAreRefusedWithoutTouchingTheBackend() {
        checkPickup();
        assertThat(bench.run("confirm_order", "{\"order_type\":\"takeaway\",\"total\":11,\"items\":[{\"id\":2,\"quantity\":1}]}")
                .path("error").asText()).isEqualTo("invalid_arguments");
        assertThat(bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":11,\"items\":[]}")
                .path("error").asText()).isEqualTo("invalid_arguments");
        assertThat(bench.run("confirm_order", "{\"order_type\":\"pickup\",\"items\":[{\"id\":2,\"quantity\":1}]}")
                .path("error").asText()).isEqualTo("invalid_arguments");
        assertThat(bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":11,\"items\":[{\"quantity\":1}]}")
                .path("error").asText()).isEqualTo("invalid_arguments");
        assertThat(bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":11,\"notes\":\"" + "x".repeat(501) + "\",\"items\":[{\"id\":2,\"quantity\":1}]}")
                .path("error").asText()).isEqualTo("invalid_arguments");
        assertThat(bench.backend.orders).isEmpty();
    }

    @Test
    void aBackendFailureIsReportedAsNotSavedAndATimeoutAsUnknown() {
        checkPickup();
        String args = "{\"order_type\":\"pickup\",\"total\":11,\"items\":[{\"id\":2,\"quantity\":1}]}";
        bench.backend.fail("placeOrder", BackendException.Kind.UNAVAILABLE);
        ObjectNode down = bench.run("confirm_order", args);
        assertThat(down.path("success").asBoolean()).isFalse();
        assertThat(down.path("error").asText()).isEqualTo("order_not_saved");
        assertThat(down.toString()).doesNotContain("test failure");
        bench.backend.fail("placeOrder", BackendException.Kind.UNKNOWN_OUTCOME);
        assertThat(bench.run("confirm_order", args).path("error").asText()).isEqualTo("order_status_unknown");
        assertThat(bench.state.orderPlaced()).isFalse();
    }

    @Test
    void pricingUnavailableWhenTheMenuCouldNotBeFetched() {
        AgentConfig c = SampleAgent.config();
        bench.agent = new AgentConfig(c.restaurantId(), c.restaurantName(), c.source(), c.instructions(), c.tools(),
                c.language(), c.voice(), c.timeZone(), c.currency(), c.country(), c.greeting(),
                new io.voiceorder.app.restaurant.MenuIndex(c.menu().entries(), false), c.services(), c.paymentMethods(),
                c.avgPrepTimeMin(), c.delivery(), c.reservations(), c.transfer(), c.customer(), c.costs());
        checkPickup();
        assertThat(bench.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":11,\"items\":[{\"id\":2,\"quantity\":1}]}")
                .path("error").asText()).isEqualTo("pricing_unavailable");
        assertThat(bench.backend.orders).isEmpty();
        assertThat(new BigDecimal("1")).isNotNull();
    }
}
