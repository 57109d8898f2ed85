package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.config.AgentSettings;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.TokenPricing;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage and cost (§5.8), the transcript's conversation order (§5.4), the automatic message and the continuity cue limits. */
class CallAccountingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE = """
            {"input_tokens":1300,"output_tokens":600,
             "input_token_details":{"text_tokens":1000,"audio_tokens":300,
               "cached_tokens_details":{"text_tokens":640,"audio_tokens":100}},
             "output_token_details":{"text_tokens":100,"audio_tokens":500}}""";

    @Test
    void costIsPricedPerKindWithCachedTokensAtTheirOwnRate() throws Exception {
        CallUsage usage = new CallUsage(CallUsage.configured(AgentSettings.defaults()));
        BigDecimal usd = usage.add(JSON.readTree(USAGE));
        // (360×4 + 640×0.4 + 200×32 + 100×0.4 + 100×16 + 500×64) / 1e6
        assertThat(usd).isEqualByComparingTo("0.041736");
        assertThat(usage.inputTokens()).isEqualTo(1300);
        assertThat(usage.cachedInputTokens()).isEqualTo(740);
        assertThat(usage.outputAudioTokens()).isEqualTo(500);
        usage.add(JSON.readTree(USAGE));
        assertThat(usage.usd()).isEqualByComparingTo("0.083472");
    }

    @Test
    void theBackOfficesRatesPriceCachedTokensLikeUncachedOnes() throws Exception {
        TokenPricing office = new TokenPricing(new BigDecimal("4"), new BigDecimal("0.4"), new BigDecimal("16"),
                new BigDecimal("32"), new BigDecimal("0.4"), new BigDecimal("64"), true, null, null);
        CallUsage usage = new CallUsage(office);
        // (1000×4 + 300×32 + 100×16 + 500×64) / 1e6
        assertThat(usage.add(JSON.readTree(USAGE))).isEqualByComparingTo("0.0472");
    }

    @Test
    void recordCostsApplyMarginRateAndTelecomInTwilioModeOnly() {
        AgentSettings settings = AgentSettings.parse(Map.of("AI_COST_MARGIN_PCT", "10", "COST_EXCHANGE_RATE", "0.5",
                "COST_CURRENCY", "eur", "TELECOM_COST_PER_MIN", "0.01"));
        CallCosting costing = CallCosting.of(settings, null, null);
        assertThat(costing.currency()).isEqualTo("EUR");
        CallCosting.Costs twilio = costing.costs(new BigDecimal("0.2"), true, 90, 2);
        assertThat(twilio.ai()).isEqualByComparingTo("0.1100");
        assertThat(twilio.telecom()).isEqualByComparingTo("0.0075");
        assertThat(twilio.google()).isEqualByComparingTo("0.0050");
        assertThat(costing.costs(new BigDecimal("0.2"), false, 90, 0).telecom()).isEqualByComparingTo("0");
        AgentConfig.CostSettings office = new AgentConfig.CostSettings(new BigDecimal("0"), new BigDecimal("1"), "CHF");
        assertThat(office.currency()).isEqualTo("CHF");
    }

    @Test
    void aLateCallerTranscriptKeepsItsPlaceInTheConversation() {
        Transcript t = new Transcript();
        Instant now = Instant.parse("2026-11-24T18:00:00Z");
        t.assistantItem("a1", now);
        t.assistantTranscribed("a1", "Bonjour !", now);
        t.callerCommitted("u1", "a1", now);
        t.assistantItem("a2", now);
        t.assistantTranscribed("a2", "Je vous écoute.", now);
        t.callerTranscribed("u1", "Une pizza", now); // arrives after the answer
        t.callerCommitted("u2", "a2", now);
        t.callerTranscribed("u2", "  ", now); // empty: no line
        assertThat(t.lines()).extracting(Transcript.Line::content).containsExactly("Bonjour !", "Une pizza", "Je vous écoute.");
        assertThat(t.callerSpoke()).isTrue();
        t.interrupted("a2", 400, 0.5);
        assertThat(t.lines().get(2).heardMs()).isEqualTo(400);
        assertThat(t.lines().get(2).interrupted()).isTrue();
    }

    @Test
    void theAutomaticMessageHasTheLastSixLinesCut() {
        Instant now = Instant.now();
        List<Transcript.Line> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add(new Transcript.Line(i % 2 == 0 ? "assistant" : "user", "ligne " + i + " " + "x".repeat(150), now, false, null, 1));
        }
        String message = CallRecorder.automaticMessage(lines, AgentMessages.of("fr"));
        assertThat(message.lines().toList()).hasSize(7);
        assertThat(message).startsWith("Appel sans commande ni réservation").doesNotContain("ligne 1 ").contains("Client: ligne 7");
        assertThat(message.lines().skip(1)).allMatch(l -> l.length() <= "Client: ".length() + 100);
    }

    @Test
    void theContinuityConversationKeepsTheLastFortyLinesAndCutsInterruptedOnes() {
        List<ContinuityCue.Spoken> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(new ContinuityCue.Spoken("user", "phrase " + i, 1));
        }
        lines.add(new ContinuityCue.Spoken("assistant", "abcdefghij", 0.3));
        String text = ContinuityCue.conversation(lines, AgentMessages.of("fr"));
        assertThat(text).startsWith("…\n").doesNotContain("phrase 10\n").contains("phrase 49").endsWith("IA: abc…\n");
        assertThat(text.lines().count()).isEqualTo(41);
    }
}
