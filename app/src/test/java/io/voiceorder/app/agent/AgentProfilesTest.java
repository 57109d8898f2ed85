package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.MenuIndex;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** §6.2: which tools a call is offered, the fallback agent, and the opening cue. */
class AgentProfilesTest {
    private static AgentConfig config(AgentConfig.Services services, AgentConfig.TransferSettings transfer,
                                      AgentConfig.CustomerContext customer) {
        return new AgentConfig("da-marco", "Pizzeria Da Marco", AgentConfig.Source.EMBEDDED,
                new AgentConfig.Instructions("WITH TRANSFER", "WITHOUT TRANSFER"), List.of(), "fr", null,
                ZoneId.of("Europe/Paris"), "EUR", "FR", "Da Marco bonjour !", MenuIndex.empty(), services,
                List.of("cash"), 20, null, null, transfer, customer, null);
    }

    private static final AgentConfig.TransferSettings TRANSFER =
            new AgentConfig.TransferSettings(true, "+33612345678", false, 25, List.of("réclamation"));

    private static List<String> names(AgentProfile p) {
        return p.tools().stream().map(t -> t.path("name").asText()).toList();
    }

    @Test
    void toolsFollowTheServicesOffered() {
        AgentProfile pickupOnly = AgentProfiles.build(config(new AgentConfig.Services(true, false, false, false),
                AgentConfig.TransferSettings.disabled(), null), new AgentProfiles.CallContext(false, null, null, true));
        assertThat(names(pickupOnly)).containsExactlyInAnyOrder("check_availability", "confirm_order", "save_customer_info",
                "log_new_faq", "leave_message", "end_call");
        AgentProfile all = AgentProfiles.build(config(new AgentConfig.Services(true, true, true, true), TRANSFER, null),
                new AgentProfiles.CallContext(false, null, null, true));
        assertThat(names(all)).hasSize(12).contains("confirm_reservation", "lookup_reservation", "cancel_reservation",
                "check_order_status", "cancel_order", "transfer_call");
        assertThat(all.instructions()).startsWith("WITH TRANSFER").contains("end_call");
        for (JsonNode schema : all.tools()) {
            assertThat(schema.path("type").asText()).isEqualTo("function");
            assertThat(schema.path("parameters").path("type").asText()).isEqualTo("object");
        }
    }

    @Test
    void transferIsOfferedOnlyWhenTheCallCanTransfer() {
        AgentConfig.Services s = new AgentConfig.Services(true, false, false, false);
        assertThat(names(AgentProfiles.build(config(s, TRANSFER, null), new AgentProfiles.CallContext(false, null, null, false))))
                .doesNotContain("transfer_call");
        assertThat(names(AgentProfiles.build(config(s, TRANSFER, null), new AgentProfiles.CallContext(false, null, "no-answer", true))))
                .doesNotContain("transfer_call");
        AgentConfig.TransferSettings automatic = new AgentConfig.TransferSettings(true, "+33612345678", true, 25, List.of());
        assertThat(names(AgentProfiles.build(config(s, automatic, null), new AgentProfiles.CallContext(false, null, null, true))))
                .doesNotContain("transfer_call");
        AgentProfile without = AgentProfiles.build(config(s, TRANSFER, null), new AgentProfiles.CallContext(false, null, null, false));
        assertThat(without.instructions()).startsWith("WITHOUT TRANSFER");
    }

    @Test
    void theFallbackAgentTakesMessagesAndHangsUp() {
        AgentProfile fallback = AgentProfiles.fallback();
        assertThat(fallback.isFallback()).isTrue();
        assertThat(fallback.language()).isEqualTo("fr");
        assertThat(names(fallback)).containsExactlyInAnyOrder("leave_message", "end_call");
        assertThat(fallback.instructions()).contains("leave_message");
    }

    @Test
    void openingCueGreetsAKnownCustomerByFirstName() {
        AgentConfig.CustomerContext lea = new AgentConfig.CustomerContext("c1", "Léa", 3, null, null, null, null, null);
        AgentProfile known = AgentProfiles.build(config(new AgentConfig.Services(true, false, false, false),
                AgentConfig.TransferSettings.disabled(), lea), new AgentProfiles.CallContext(false, null, null, false));
        assertThat(known.openingCue()).contains("Léa").contains("Da Marco bonjour !").contains("3");
        AgentProfile transferFailed = AgentProfiles.build(config(new AgentConfig.Services(true, false, false, false),
                TRANSFER, null), new AgentProfiles.CallContext(false, null, "busy", true));
        assertThat(transferFailed.openingCue()).contains("message");
    }
}
