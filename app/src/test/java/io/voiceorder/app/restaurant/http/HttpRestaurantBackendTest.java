package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AvailabilityQuery;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.BackendException.Kind;
import io.voiceorder.app.restaurant.CallRecord;
import io.voiceorder.app.restaurant.CallStart;
import io.voiceorder.app.restaurant.Customer;
import io.voiceorder.app.restaurant.CustomerUpdate;
import io.voiceorder.app.restaurant.MenuIndex;
import io.voiceorder.app.restaurant.OrderRef;
import io.voiceorder.app.restaurant.OrderSummary;
import io.voiceorder.app.restaurant.OrderType;
import io.voiceorder.app.restaurant.PlacedOrder;
import io.voiceorder.app.restaurant.PricedOrder;
import io.voiceorder.app.restaurant.ReservationRequest;
import io.voiceorder.app.restaurant.ReservationSummary;
import io.voiceorder.app.restaurant.ServiceMode;
import io.voiceorder.app.restaurant.StaffMessage;
import io.voiceorder.app.restaurant.TokenPricing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every row of serve.md §7.3 against WireMock playing the back office: fields, timeouts, failure rules. */
class HttpRestaurantBackendTest {
    private static final String TOKEN = "next-token-91c2";
    private static final String R = "rest-42";
    private static final String PHONE = "+33611223344";
    // Long enough for WireMock to answer on a busy machine; the slow answers exceed it by far.
    private static final Duration SHORT = Duration.ofMillis(2500);
    private static final int SLOW_MS = 6000;

    private WireMockServer office;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T17:30:00Z"));
    private HttpRestaurantBackend backend;

    @BeforeEach
    void start() {
        office = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        office.start();
        backend = backend(Secret.of(TOKEN));
    }

    @AfterEach
    void stop() {
        office.stop();
    }

    private HttpRestaurantBackend backend(Secret token) {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return Clock.fixed(now.get(), zone);
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        HttpBackendTimings timings = new HttpBackendTimings(SHORT, SHORT, SHORT,
                List.of(Duration.ofMillis(20), Duration.ofMillis(40)), Duration.ofHours(24));
        return new HttpRestaurantBackend(OutboundHttpFactory.create(), new ObjectMapper(),
                URI.create(office.baseUrl() + "/"), token, R, timings, clock);
    }

    private void stub(MappingBuilder m) {
        office.stubFor(m);
    }

    private static ResponseDefinitionBuilder slow() {
        return okJson("{}").withFixedDelay(SLOW_MS);
    }

    private static ResponseDefinitionBuilder garbage() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("<html>oops");
    }

    // #1 blocked check: open -------------------------------------------------------------------

    @Test
    void blockedCheckReadsBlockedAndFailsOpen() {
        stub(get(urlPathEqualTo("/api/blocked-phones/check")).willReturn(okJson("{\"blocked\":true}")));
        assertThat(backend.isBlocked(R, PHONE)).isTrue();
        office.verify(getRequestedFor(urlPathEqualTo("/api/blocked-phones/check"))
                .withQueryParam("restaurantId", equalTo(R)).withQueryParam("phone", equalTo(PHONE))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/json")));

        for (ResponseDefinitionBuilder failure : List.of(aResponse().withStatus(500), slow(), garbage())) {
            office.resetAll();
            stub(get(urlPathEqualTo("/api/blocked-phones/check")).willReturn(failure));
            assertThat(backend.isBlocked(R, PHONE)).as("a failed check is not a block").isFalse();
        }
    }

    // #2 agent + #3 prices ----------------------------------------------------------------------

    private static final String AI = """
            {"systemPrompt":"Tu es l'agent de Chez Lulu.","tools":[{"type":"function","name":"confirm_order","parameters":{}}],
             "voice":"coral","customerContext":{"id":"cust-1","firstName":"Léa","totalOrders":3,"deliveryAddress":"1 rue A",
             "deliveryCity":"Paris","deliveryPostalCode":"75011","deliveryLat":48.85,"deliveryLng":2.38},
             "avgPrepTimeMin":25,"deliveryEnabled":true,"reservationEnabled":false,
             "itemMap":{"1":{"id":"it-marg","name":"Margherita"},"2":{"id":"it-coca","name":"Coca"},"3":{"id":"it-menu","name":"Menu midi"},"4":{"id":"it-gone","name":"Ghost"}},
             "transferEnabled":true,"transferPhoneNumber":"+33612345678","transferAutomatic":false,
             "timezone":"Europe/Paris","currency":"EUR","aiCostMarginPct":20,"exchangeRateToLocal":"0.92",
             "sipCredentials":{"username":"u","password":"secret-sip"}}""";

    private static final String MENU = """
            {"items":[
             {"id":"it-marg","categoryId":"cat-pizza","name":"Margherita","price":"9.50","isAvailable":true,
              "options":[{"name":"Taille","type":"single_choice","required":true,"choices":[{"label":"Normale","price_modifier":0},{"label":"Grande","price_modifier":"3.00"}]},
                         {"name":"Suppléments","type":"multi_choice","maxChoices":2,"choices":[{"label":"Olives","price_modifier":1}]}]},
             {"id":"it-coca","categoryId":"cat-drinks","name":"Coca","price":3,"isAvailable":false,"options":[]},
             {"id":"it-menu","categoryId":"cat-menus","name":"Menu midi","price":13.5,"isAvailable":true,
              "options":[{"name":"Pizza","source":"category","categoryId":"cat-pizza","maxPrice":11},
                         {"name":"Boisson","source":"items","itemIds":["it-coca"]}]}]}""";

    @Test
    void callsShareAnUnchangedPromptToolsAndMenuAndGetAChangedOneAtOnce() throws Exception {
        stub(get(urlPathEqualTo("/api/ai")).willReturn(okJson(AI)));
        stub(get(urlPathEqualTo("/api/menu")).willReturn(okJson(MENU)));
        AgentConfig first = backend.loadAgent(R, PHONE).orElseThrow();
        AgentConfig second = backend.loadAgent(R, PHONE).orElseThrow();

        office.verify(2, getRequestedFor(urlPathEqualTo("/api/ai")));
        assertThat(second.instructions()).isSameAs(first.instructions());
        assertThat(second.tools()).isSameAs(first.tools());
        assertThat(second.menu()).isSameAs(first.menu());

        office.resetAll();
        stub(get(urlPathEqualTo("/api/ai")).willReturn(okJson(AI.replace("Tu es l'agent de Chez Lulu.", "Tu es l'agent de Chez Lulu, ouvert."))));
        stub(get(urlPathEqualTo("/api/menu")).willReturn(okJson(MENU.replace("\"9.50\"", "\"10.00\""))));
        AgentConfig changed = backend.loadAgent(R, PHONE).orElseThrow();

        assertThat(changed.instructions().forCall(false)).isEqualTo("Tu es l'agent de Chez Lulu, ouvert.");
        assertThat(changed.menu().byNumber(1).orElseThrow().price()).isEqualByComparingTo("10.00");
        assertThat(changed.tools()).as("unchanged schemas stay shared").isSameAs(first.tools());
        assertThat(first.instructions().forCall(false)).as("a call in progress keeps its prompt").isEqualTo("Tu es l'agent de Chez Lulu.");
        assertThat(first.menu().byNumber(1).orElseThrow().price()).isEqualByComparingTo("9.50");
        assertThat(backend.loadAgent(R, PHONE).orElseThrow().menu()).isSameAs(changed.menu());
    }

    @Test
    void agentComesFromApiAiWithPricesFromApiMenu() throws Exception {
        stub(get(urlPathEqualTo("/api/ai")).willReturn(okJson(AI)));
        stub(get(urlPathEqualTo("/api/menu")).willReturn(okJson(MENU)));

        AgentConfig agent = backend.loadAgent(R, PHONE).orElseThrow();

        office.verify(getRequestedFor(urlPathEqualTo("/api/ai")).withQueryParam("restaurantId", equalTo(R))
                .withQueryParam("callerPhone", equalTo(PHONE)).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        office.verify(getRequestedFor(urlPathEqualTo("/api/menu")).withQueryParam("restaurantId", equalTo(R)));
        assertThat(agent.source()).isEqualTo(AgentConfig.Source.BACK_OFFICE);
        assertThat(agent.instructions().forCall(true)).isEqualTo("Tu es l'agent de Chez Lulu.");
        assertThat(agent.tools()).hasSize(1);
        assertThat(agent.tools().get(0).path("name").asText()).isEqualTo("confirm_order");
        assertThat(agent.voice()).isEqualTo("coral");
        assertThat(agent.timeZone().getId()).isEqualTo("Europe/Paris");
        assertThat(agent.currency()).isEqualTo("EUR");
        assertThat(agent.avgPrepTimeMin()).isEqualTo(25);
        assertThat(agent.services().delivery()).isTrue();
        assertThat(agent.services().reservation()).isFalse();
        assertThat(agent.transfer().usable()).isTrue();
        assertThat(agent.transfer().phoneNumber()).isEqualTo("+33612345678");
        assertThat(agent.transfer().automatic()).isFalse();
        assertThat(agent.customer().id()).isEqualTo("cust-1");
        assertThat(agent.customer().firstName()).isEqualTo("Léa");
        assertThat(agent.customer().totalOrders()).isEqualTo(3);
        assertThat(agent.customer().deliveryLat()).isEqualTo(48.85);
        assertThat(agent.costs().marginPct()).isEqualByComparingTo("20");
        assertThat(agent.costs().exchangeRate()).isEqualByComparingTo("0.92");
        assertThat(agent.toString()).doesNotContain("secret-sip");

        MenuIndex menu = agent.menu();
        assertThat(menu.pricesKnown()).isTrue();
        assertThat(menu.validRange()).isEqualTo("1-4");
        MenuIndex.MenuEntry marg = menu.byNumber(1).orElseThrow();
        assertThat(marg.id()).isEqualTo("it-marg");
        assertThat(marg.price()).as("a numeric string").isEqualByComparingTo("9.50");
        assertThat(marg.available()).isTrue();
        assertThat(marg.options()).extracting(MenuIndex.MenuOption::name).containsExactly("Taille", "Suppléments");
        assertThat(marg.options().get(0).type()).isEqualTo(MenuIndex.OptionType.SINGLE_CHOICE);
        assertThat(marg.options().get(0).required()).isTrue();
        assertThat(marg.options().get(0).choices().get(1).priceModifier()).isEqualByComparingTo("3");
        assertThat(marg.options().get(1).type()).isEqualTo(MenuIndex.OptionType.MULTI_CHOICE);
        assertThat(marg.options().get(1).maxChoices()).isEqualTo(2);
        assertThat(menu.byNumber(2).orElseThrow().available()).isFalse();
        MenuIndex.MenuEntry formula = menu.byNumber(3).orElseThrow();
        assertThat(formula.kind()).isEqualTo(MenuIndex.Kind.FORMULA);
        assertThat(formula.slots()).hasSize(2);
        assertThat(formula.slots().get(0).allowedEntryIds()).containsExactly("it-marg");
        assertThat(formula.slots().get(0).maxPrice()).isEqualByComparingTo("11");
        assertThat(formula.slots().get(1).allowedEntryIds()).containsExactly("it-coca");
        assertThat(menu.byNumber(4).orElseThrow().available()).as("numbered but not on the menu: cannot be priced").isFalse();
    }

    @Test
    void anonymousCallersAreNotSentAndAnUnknownRestaurantIsEmpty() throws Exception {
        stub(get(urlPathEqualTo("/api/ai")).willReturn(okJson(AI)));
        stub(get(urlPathEqualTo("/api/menu")).willReturn(okJson(MENU)));
        backend.loadAgent(R, null);
        office.verify(getRequestedFor(urlPathEqualTo("/api/ai")).withQueryParam("callerPhone", absent()));

        office.resetAll();
        stub(get(urlPathEqualTo("/api/ai")).willReturn(aResponse().withStatus(404)));
        stub(get(urlPathEqualTo("/api/menu")).willReturn(aResponse().withStatus(404)));
        assertThat(backend.loadAgent("nobody", PHONE)).isEmpty();
    }

    @Test
    void agentFailureIsSoftAndAMissingMenuMeansPricingUnavailable() throws Exception {
        for (ResponseDefinitionBuilder failure : List.of(aResponse().withStatus(500), slow(), garbage())) {
            office.resetAll();
            stub(get(urlPathEqualTo("/api/ai")).willReturn(failure));
            stub(get(urlPathEqualTo("/api/menu")).willReturn(okJson(MENU)));
            assertThatThrownBy(() -> backend.loadAgent(R, PHONE)).isInstanceOf(BackendException.class);
        }
        for (ResponseDefinitionBuilder failure : List.of(aResponse().withStatus(503), slow(), garbage())) {
            office.resetAll();
            stub(get(urlPathEqualTo("/api/ai")).willReturn(okJson(AI)));
            stub(get(urlPathEqualTo("/api/menu")).willReturn(failure));
            AgentConfig agent = backend.loadAgent(R, PHONE).orElseThrow();
            assertThat(agent.menu().pricesKnown()).isFalse();
            assertThat(agent.menu().byNumber(1).orElseThrow().id()).isEqualTo("it-marg");
            assertThat(agent.menu().byNumber(1).orElseThrow().price()).isNull();
        }
    }

    // #4 create, #5 finalize --------------------------------------------------------------------

    private static CallRecord record(String id) {
        return new CallRecord(id, R, "CA1", "MZ1", "twilio", "inbound", PHONE, "+33972360682", "cust-1",
                Instant.parse("2026-11-24T17:30:00Z"), Instant.parse("2026-11-24T17:32:05Z"), 125, "order_placed",
                "agent_end_call",
                List.of(new CallRecord.TranscriptLine("assistant", "Bonjour", Instant.parse("2026-11-24T17:30:01Z"), true, 840),
                        new CallRecord.TranscriptLine("user", "Une margherita", Instant.parse("2026-11-24T17:30:04Z"), null, null)),
                1200, 800, 900, 700, 100, new BigDecimal("0.0712"), new BigDecimal("0.0167"), new BigDecimal("0.0050"),
                "EUR", "gpt-realtime", 0, 1, null, null);
    }

    @Test
    void recordIsCreatedThenFinalizedWithEveryField() throws Exception {
        stub(post(urlPathEqualTo("/api/calls")).willReturn(okJson("{\"id\":\"call-9\"}")));
        stub(patch(urlPathEqualTo("/api/calls")).willReturn(okJson("{\"ok\":true}")));

        String id = backend.startCall(new CallStart(R, "CA1", "MZ1", "twilio", "inbound", PHONE, "+33972360682", "cust-1",
                Instant.parse("2026-11-24T17:30:00Z")));
        assertThat(id).isEqualTo("call-9");
        office.verify(postRequestedFor(urlPathEqualTo("/api/calls"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"restaurantId\":\"rest-42\",\"callerNumber\":\"+33611223344\","
                        + "\"customerId\":\"cust-1\",\"startedAt\":\"2026-11-24T17:30:00Z\"}")));

        backend.finishCall(record(id));
        office.verify(1, patchRequestedFor(urlPathEqualTo("/api/calls")).withRequestBody(equalToJson("""
                {"id":"call-9","endedAt":"2026-11-24T17:32:05Z","durationSec":125,"outcome":"order_placed",
                 "transcript":[{"role":"assistant","content":"Bonjour","timestamp":"2026-11-24T17:30:01Z","interrupted":true,"heardMs":840},
                               {"role":"user","content":"Une margherita","timestamp":"2026-11-24T17:30:04Z"}],
                 "inputTokens":1200,"outputTokens":800,"inputAudioTokens":900,"outputAudioTokens":700,
                 "costAi":0.0712,"costTelecom":0.0167,"costGoogle":0.0050,"aiModel":"gpt-realtime","costCurrency":"EUR"}""")));
    }

    @Test
    void createFailureIsReportedAndRetriedOnceAtFinalize() throws Exception {
        stub(post(urlPathEqualTo("/api/calls")).willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> backend.startCall(new CallStart(R, "CA1", "MZ1", "twilio", "inbound", PHONE, "", null,
                Instant.now()))).isInstanceOf(BackendException.class);

        assertFailsClosed(post(urlPathEqualTo("/api/calls")), () -> backend.startCall(new CallStart(R, "CA1", "MZ1", "twilio",
                "inbound", PHONE, "", null, Instant.now())));

        office.resetAll();
        stub(post(urlPathEqualTo("/api/calls")).willReturn(okJson("{\"id\":\"late-1\"}")));
        stub(patch(urlPathEqualTo("/api/calls")).willReturn(okJson("{}")));
        backend.finishCall(record(null));
        office.verify(1, postRequestedFor(urlPathEqualTo("/api/calls")));
        office.verify(1, patchRequestedFor(urlPathEqualTo("/api/calls")).withRequestBody(matchingJsonPath("$.id", equalTo("late-1"))));
    }

    @Test
    void finalizeFallsBackToTheReducedBodyOnAnHttpError() throws Exception {
        stub(patch(urlPathEqualTo("/api/calls")).withRequestBody(matchingJsonPath("$.costAi"))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown field costAi\"}")));
        stub(patch(urlPathEqualTo("/api/calls")).withRequestBody(matchingJsonPath("$.costAi", absent()))
                .willReturn(okJson("{}")));

        backend.finishCall(record("call-9"));

        office.verify(1, patchRequestedFor(urlPathEqualTo("/api/calls")).withRequestBody(matchingJsonPath("$.costAi")));
        office.verify(1, patchRequestedFor(urlPathEqualTo("/api/calls")).withRequestBody(equalToJson("""
                {"id":"call-9","endedAt":"2026-11-24T17:32:05Z","durationSec":125,"outcome":"order_placed",
                 "transcript":[{"role":"assistant","content":"Bonjour","timestamp":"2026-11-24T17:30:01Z","interrupted":true,"heardMs":840},
                               {"role":"user","content":"Une margherita","timestamp":"2026-11-24T17:30:04Z"}]}""")));
    }

    @Test
    void finalizeTriesThreeTimesThenFails() {
        stub(patch(urlPathEqualTo("/api/calls")).willReturn(slow()));
        assertThatThrownBy(() -> backend.finishCall(record("call-9")))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
        office.verify(3, patchRequestedFor(urlPathEqualTo("/api/calls")));

        office.resetAll();
        stub(patch(urlPathEqualTo("/api/calls")).willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> backend.finishCall(record("call-9"))).isInstanceOf(BackendException.class);
        office.verify(3, patchRequestedFor(urlPathEqualTo("/api/calls")).withRequestBody(matchingJsonPath("$.costAi")));
        office.verify(1, patchRequestedFor(urlPathEqualTo("/api/calls")).withRequestBody(matchingJsonPath("$.costAi", absent())));
    }

    @Test
    void finalizeSucceedsOnALaterAttempt() throws Exception {
        stub(patch(urlPathEqualTo("/api/calls")).inScenario("flaky").whenScenarioStateIs("Started")
                .willReturn(slow()).willSetStateTo("up"));
        stub(patch(urlPathEqualTo("/api/calls")).inScenario("flaky").whenScenarioStateIs("up").willReturn(okJson("{}")));
        backend.finishCall(record("call-9"));
        office.verify(2, patchRequestedFor(urlPathEqualTo("/api/calls")));
    }

    @Test
    void transferStatusPatchesTheRecordOfThatCallSid() throws Exception {
        stub(post(urlPathEqualTo("/api/calls")).willReturn(okJson("{\"id\":\"call-9\"}")));
        stub(patch(urlPathEqualTo("/api/calls")).willReturn(okJson("{}")));
        assertThatThrownBy(() -> backend.updateTransferStatus("CA1", "completed"))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        backend.startCall(new CallStart(R, "CA1", "MZ1", "twilio", "inbound", PHONE, "", null, Instant.now()));
        backend.updateTransferStatus("CA1", "no-answer");
        office.verify(patchRequestedFor(urlPathEqualTo("/api/calls"))
                .withRequestBody(equalToJson("{\"id\":\"call-9\",\"transferStatus\":\"no-answer\"}")));
    }

    // #6 / #12 messages --------------------------------------------------------------------------

    @Test
    void messagesArePostedAndFailClosed() throws Exception {
        stub(post(urlPathEqualTo("/api/messages")).willReturn(okJson("{\"id\":\"msg-1\"}")));
        assertThat(backend.leaveMessage(new StaffMessage(R, "call-9", PHONE, "Léa", "Rappelez-moi", "callback_request", true)))
                .isEqualTo("msg-1");
        office.verify(postRequestedFor(urlPathEqualTo("/api/messages")).withRequestBody(equalToJson(
                "{\"restaurantId\":\"rest-42\",\"callId\":\"call-9\",\"callerPhone\":\"+33611223344\",\"callerName\":\"Léa\","
                        + "\"content\":\"Rappelez-moi\",\"category\":\"callback_request\",\"isUrgent\":true}")));

        backend.leaveMessage(new StaffMessage(R, "call-9", PHONE, null, "Appel sans commande", "info_request", false));
        office.verify(postRequestedFor(urlPathEqualTo("/api/messages")).withRequestBody(equalToJson(
                "{\"restaurantId\":\"rest-42\",\"callId\":\"call-9\",\"callerPhone\":\"+33611223344\","
                        + "\"content\":\"Appel sans commande\",\"category\":\"info_request\",\"isUrgent\":false}")));

        assertFailsClosed(post(urlPathEqualTo("/api/messages")),
                () -> backend.leaveMessage(new StaffMessage(R, null, PHONE, null, "x", "other", false)));
    }

    // #7 availability -----------------------------------------------------------------------------

    @Test
    void availabilitySendsTheQueryAndPassesEveryField() throws Exception {
        stub(post(urlPathEqualTo("/api/availability/check")).willReturn(okJson("""
                {"available":true,"mode":"delivery","estimatedTime":"19:45","estimatedTimeISO":"2026-11-24T19:45:00+01:00",
                 "deliveryDistanceKm":1.8,"deliveryDurationMin":12,"deliveryFee":"2.50","customerAddressFormatted":"1 rue A, 75011 Paris",
                 "customerLat":48.85,"customerLng":2.38,"googleApiCalls":2,"zoneName":"Zone 1"}""")));

        AvailabilityResult r = backend.checkAvailability(R, new AvailabilityQuery(ServiceMode.DELIVERY, LocalTime.of(19, 30),
                "1 rue A", "Paris", "75011", null, null, 48.85, 2.38));

        office.verify(postRequestedFor(urlPathEqualTo("/api/availability/check")).withRequestBody(equalToJson(
                "{\"restaurantId\":\"rest-42\",\"mode\":\"delivery\",\"requestedTime\":\"19:30\",\"customerAddress\":\"1 rue A\","
                        + "\"customerCity\":\"Paris\",\"customerPostalCode\":\"75011\",\"customerLat\":48.85,\"customerLng\":2.38}")));
        assertThat(r.available()).isTrue();
        assertThat(r.mode()).isEqualTo(ServiceMode.DELIVERY);
        assertThat(r.estimatedTime()).isEqualTo("19:45");
        assertThat(r.estimatedTimeIso()).isEqualTo(OffsetDateTime.parse("2026-11-24T19:45:00+01:00"));
        assertThat(r.deliveryFee()).isEqualByComparingTo("2.5");
        assertThat(r.deliveryDistanceKm()).isEqualTo(1.8);
        assertThat(r.deliveryDurationMin()).isEqualTo(12);
        assertThat(r.customerAddressFormatted()).isEqualTo("1 rue A, 75011 Paris");
        assertThat(r.googleApiCalls()).isEqualTo(2);
        assertThat(r.extra()).containsEntry("zoneName", "Zone 1");

        office.resetAll();
        stub(post(urlPathEqualTo("/api/availability/check")).willReturn(okJson(
                "{\"available\":false,\"mode\":\"reservation\",\"reason\":\"not_enough_seats_available_2_requested_6\",\"seatsAvailable\":2}")));
        AvailabilityResult no = backend.checkAvailability(R, new AvailabilityQuery(ServiceMode.RESERVATION, LocalTime.of(20, 0),
                null, null, null, 6, "window", null, null));
        office.verify(postRequestedFor(urlPathEqualTo("/api/availability/check")).withRequestBody(equalToJson(
                "{\"restaurantId\":\"rest-42\",\"mode\":\"reservation\",\"requestedTime\":\"20:00\",\"partySize\":6,"
                        + "\"seatingPreference\":\"window\"}")));
        assertThat(no.available()).isFalse();
        assertThat(no.reason()).isEqualTo("not_enough_seats_available_2_requested_6");
        assertThat(no.seatsAvailable()).isEqualTo(2);

        assertFailsClosed(post(urlPathEqualTo("/api/availability/check")),
                () -> backend.checkAvailability(R, AvailabilityQuery.of(ServiceMode.PICKUP, null)));
        office.resetAll();
        stub(post(urlPathEqualTo("/api/availability/check")).willReturn(okJson("{\"mode\":\"pickup\"}")));
        assertThatThrownBy(() -> backend.checkAvailability(R, AvailabilityQuery.of(ServiceMode.PICKUP, null)))
                .as("a reply without 'available'").isInstanceOf(BackendException.class);
    }

    // #8 order --------------------------------------------------------------------------------------

    private static PricedOrder order(OrderType type) {
        boolean delivery = type == OrderType.DELIVERY;
        return new PricedOrder(R, "call-9", "cust-1", "Léa", PHONE, type,
                List.of(new PricedOrder.PricedLine("it-marg", "Margherita", 2, new BigDecimal("12.50"), new BigDecimal("25.00"),
                        List.of(new PricedOrder.SelectedOption("Taille", "Grande", new BigDecimal("3.00"))), "bien cuite")),
                new BigDecimal("25.00"), delivery ? new BigDecimal("2.50") : BigDecimal.ZERO,
                delivery ? new BigDecimal("27.50") : new BigDecimal("25.00"), "EUR",
                delivery ? "1 rue A" : null, delivery ? "Paris" : null, delivery ? "75011" : null,
                delivery ? 1.8 : null, delivery ? 48.85 : null, delivery ? 2.38 : null,
                OffsetDateTime.parse("2026-11-24T19:45:00+01:00"), "card", "sonner deux fois");
    }

    @Test
    void orderIsPostedWithServerPricesAndItsIdAndNumberReturned() throws Exception {
        stub(post(urlPathEqualTo("/api/orders")).willReturn(okJson("{\"id\":\"ord-7\",\"orderNumber\":null}")));

        PlacedOrder placed = backend.placeOrder(order(OrderType.DELIVERY));

        assertThat(placed).isEqualTo(new PlacedOrder("ord-7", null));
        office.verify(postRequestedFor(urlPathEqualTo("/api/orders")).withRequestBody(equalToJson("""
                {"restaurantId":"rest-42","callId":"call-9","customerId":"cust-1","customerName":"Léa","customerPhone":"+33611223344",
                 "orderType":"delivery","total":27.50,"deliveryAddress":"1 rue A, 75011 Paris","deliveryDistanceKm":1.8,
                 "deliveryLat":48.85,"deliveryLng":2.38,"deliveryFee":2.50,"estimatedReadyAt":"2026-11-24T19:45+01:00",
                 "notes":"sonner deux fois","paymentMethod":"card",
                 "items":[{"menuItemId":"it-marg","name":"Margherita","quantity":2,"unitPrice":12.50,"totalPrice":25.00,
                           "selectedOptions":[{"name":"Taille","choice":"Grande","extra_price":3.00}],"notes":"bien cuite"}]}""")));

        office.resetAll();
        stub(post(urlPathEqualTo("/api/orders")).willReturn(okJson("{\"id\":\"ord-8\",\"orderNumber\":12}")));
        assertThat(backend.placeOrder(order(OrderType.PICKUP))).isEqualTo(new PlacedOrder("ord-8", 12));
        office.verify(postRequestedFor(urlPathEqualTo("/api/orders"))
                .withRequestBody(equalToJson("{\"orderType\":\"pickup\",\"deliveryAddress\":null,\"deliveryDistanceKm\":null,"
                        + "\"deliveryLat\":null,\"deliveryLng\":null,\"deliveryFee\":null,\"total\":25.00}", false, true)));
    }

    @Test
    void orderIsNeverRetriedAndATimeoutMeansTheOutcomeIsUnknown() {
        stub(post(urlPathEqualTo("/api/orders")).willReturn(slow()));
        assertThatThrownBy(() -> backend.placeOrder(order(OrderType.PICKUP)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_OUTCOME));
        office.verify(1, postRequestedFor(urlPathEqualTo("/api/orders")));

        office.resetAll();
        stub(post(urlPathEqualTo("/api/orders")).willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> backend.placeOrder(order(OrderType.PICKUP)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
        office.verify(1, postRequestedFor(urlPathEqualTo("/api/orders")));

        office.resetAll();
        stub(post(urlPathEqualTo("/api/orders")).willReturn(aResponse().withStatus(422).withBody("{\"error\":\"bad\"}")));
        assertThatThrownBy(() -> backend.placeOrder(order(OrderType.PICKUP)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.REFUSED));

        office.resetAll();
        stub(post(urlPathEqualTo("/api/orders")).willReturn(garbage()));
        assertThatThrownBy(() -> backend.placeOrder(order(OrderType.PICKUP))).isInstanceOf(BackendException.class);
        office.verify(1, postRequestedFor(urlPathEqualTo("/api/orders")));
    }

    @Test
    void anUnreachableBackOfficeIsUnavailableNotUnknown() {
        office.stop();
        assertThatThrownBy(() -> backend.placeOrder(order(OrderType.PICKUP)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
        assertThat(backend.health().ok()).isFalse();
    }

    // #9 reservation -----------------------------------------------------------------------------

    @Test
    void reservationIsPostedConfirmedWithServiceAndOffer() throws Exception {
        stub(post(urlPathEqualTo("/api/reservations")).willReturn(okJson("{\"id\":\"res-3\"}")));
        OffsetDateTime at = OffsetDateTime.parse("2026-11-24T20:00:00+01:00");
        assertThat(backend.placeReservation(new ReservationRequest(R, "call-9", "cust-1", "Durand", PHONE, 4, at, "window",
                "anniversaire", "svc-1", "offer-2")).id()).isEqualTo("res-3");
        office.verify(postRequestedFor(urlPathEqualTo("/api/reservations")).withRequestBody(equalToJson("""
                {"restaurantId":"rest-42","callId":"call-9","customerId":"cust-1","customerName":"Durand","customerPhone":"+33611223344",
                 "partySize":4,"reservationTime":"2026-11-24T20:00+01:00","status":"confirmed","seatingPreference":"window",
                 "notes":"anniversaire","serviceId":"svc-1","offerId":"offer-2"}""")));
        assertFailsClosed(post(urlPathEqualTo("/api/reservations")), () -> backend.placeReservation(
                new ReservationRequest(R, null, null, "Durand", PHONE, 2, at, null, null, null, null)));
    }

    // #10 customer, #11 faq -------------------------------------------------------------------------

    @Test
    void customerUpsertSendsOnlyGivenFields() throws Exception {
        stub(post(urlPathEqualTo("/api/customers")).willReturn(okJson("{\"id\":\"cust-5\",\"firstName\":\"Paul\"}")));
        Customer c = backend.saveCustomer(R, PHONE, new CustomerUpdate("Paul", "", null, "75011", null));
        assertThat(c.id()).isEqualTo("cust-5");
        assertThat(c.firstName()).isEqualTo("Paul");
        office.verify(postRequestedFor(urlPathEqualTo("/api/customers")).withRequestBody(equalToJson(
                "{\"restaurantId\":\"rest-42\",\"phone\":\"+33611223344\",\"firstName\":\"Paul\",\"deliveryPostalCode\":\"75011\"}")));
        assertFailsClosed(post(urlPathEqualTo("/api/customers")),
                () -> backend.saveCustomer(R, PHONE, new CustomerUpdate("Paul", null, null, null, null)));
    }

    @Test
    void faqIsPostedAndFailsClosed() throws Exception {
        stub(post(urlPathEqualTo("/api/faq")).willReturn(okJson("{\"ok\":true}")));
        backend.logFaq(R, "Avez-vous des options vegan ?", "ingredients", PHONE);
        office.verify(postRequestedFor(urlPathEqualTo("/api/faq")).withRequestBody(equalToJson(
                "{\"restaurantId\":\"rest-42\",\"question\":\"Avez-vous des options vegan ?\",\"category\":\"ingredients\","
                        + "\"callerPhone\":\"+33611223344\"}")));
        assertFailsClosed(post(urlPathEqualTo("/api/faq")), () -> {
            backend.logFaq(R, "q", "other", PHONE);
            return null;
        });
    }

    // #13 + #14 orders status and cancel ------------------------------------------------------------

    private static final String STATUS = """
            {"found":true,"orders":[
             {"id":"ord-2","orderNumber":null,"status":"preparing","orderType":"delivery","total":"23.50",
              "estimatedReadyAt":"2026-11-24T19:45:00+01:00","createdAt":"2026-11-24T18:58:00+01:00","itemCount":3,
              "itemsSummary":"2x Margherita, 1x Coca"},
             {"id":"ord-1","orderNumber":null,"status":"pending","orderType":"pickup","total":9.5,
              "estimatedReadyAt":null,"createdAt":"2026-11-24T18:10:00+01:00","itemCount":1,"itemsSummary":"1x Regina"}]}""";

    @Test
    void statusListsTheCallersOrdersNewestFirst() throws Exception {
        stub(get(urlPathEqualTo("/api/orders/status")).willReturn(okJson(STATUS)));
        List<OrderSummary> orders = backend.recentOrders(R, PHONE);
        office.verify(getRequestedFor(urlPathEqualTo("/api/orders/status"))
                .withQueryParam("restaurantId", equalTo(R)).withQueryParam("phone", equalTo(PHONE)));
        assertThat(orders).extracting(OrderSummary::id).containsExactly("ord-2", "ord-1");
        assertThat(orders.get(0).total()).isEqualByComparingTo("23.50");
        assertThat(orders.get(0).status()).isEqualTo("preparing");
        assertThat(orders.get(0).itemCount()).isEqualTo(3);
        assertThat(orders.get(0).itemsSummary()).isEqualTo("2x Margherita, 1x Coca");
        assertThat(orders.get(0).orderNumber()).isNull();

        office.resetAll();
        stub(get(urlPathEqualTo("/api/orders/status")).willReturn(okJson("{\"found\":false,\"orders\":[]}")));
        assertThat(backend.recentOrders(R, PHONE)).isEmpty();

        assertFailsClosed(get(urlPathEqualTo("/api/orders/status")), () -> backend.recentOrders(R, PHONE));
    }

    @Test
    void cancelOrderChecksOwnershipAndStatusAfresh() throws Exception {
        stub(get(urlPathEqualTo("/api/orders/status")).willReturn(okJson(STATUS)));
        stub(patch(urlPathEqualTo("/api/orders")).willReturn(okJson("{\"id\":\"ord-1\",\"status\":\"cancelled\"}")));

        assertThatThrownBy(() -> backend.cancelOrder(R, PHONE, new OrderRef("someone-elses", 7)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> backend.cancelOrder(R, PHONE, new OrderRef(null, 9)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> backend.cancelOrder(R, PHONE, new OrderRef("ord-2", 1)))
                .isInstanceOfSatisfying(BackendException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.NOT_ALLOWED);
                    assertThat(e.details()).containsEntry("status", "preparing");
                });
        office.verify(0, patchRequestedFor(urlPathEqualTo("/api/orders")));

        backend.cancelOrder(R, PHONE, new OrderRef(null, 2));
        office.verify(1, patchRequestedFor(urlPathEqualTo("/api/orders"))
                .withRequestBody(equalToJson("{\"id\":\"ord-1\",\"status\":\"cancelled\"}")));

        office.resetAll();
        stub(get(urlPathEqualTo("/api/orders/status")).willReturn(okJson(STATUS)));
        stub(patch(urlPathEqualTo("/api/orders")).willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> backend.cancelOrder(R, PHONE, new OrderRef("ord-1", 2)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
        office.resetAll();
        stub(get(urlPathEqualTo("/api/orders/status")).willReturn(slow()));
        assertThatThrownBy(() -> backend.cancelOrder(R, PHONE, new OrderRef("ord-1", 2)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
    }

    // #15 + #16 reservations lookup and cancel ------------------------------------------------------

    private static final String LOOKUP = """
            {"found":true,"reservations":[
             {"id":"res-9","customerName":"Durand","partySize":4,"reservationTime":"2026-11-25T20:00:00+01:00","status":"confirmed",
              "seatingPreference":"window","notes":""},
             {"id":"res-8","customerName":"Durand","partySize":2,"reservationTime":"2026-11-24T21:00:00+01:00","status":"pending",
              "seatingPreference":null,"notes":"x"},
             {"id":"res-old","customerName":"Durand","partySize":2,"reservationTime":"2026-11-20T21:00:00+01:00","status":"confirmed"},
             {"id":"res-c","customerName":"Durand","partySize":2,"reservationTime":"2026-11-26T21:00:00+01:00","status":"cancelled"}]}""";

    @Test
    void lookupListsUpcomingReservationsSoonestFirst() throws Exception {
        stub(get(urlPathEqualTo("/api/reservations/lookup")).willReturn(okJson(LOOKUP)));
        List<ReservationSummary> list = backend.upcomingReservations(R, PHONE);
        office.verify(getRequestedFor(urlPathEqualTo("/api/reservations/lookup"))
                .withQueryParam("restaurantId", equalTo(R)).withQueryParam("phone", equalTo(PHONE)));
        assertThat(list).extracting(ReservationSummary::id).containsExactly("res-8", "res-9");
        assertThat(list.get(1).partySize()).isEqualTo(4);
        assertThat(list.get(1).seatingPreference()).isEqualTo("window");
        assertFailsClosed(get(urlPathEqualTo("/api/reservations/lookup")), () -> backend.upcomingReservations(R, PHONE));
    }

    @Test
    void cancelReservationOnlyForTheCallersOwn() throws Exception {
        stub(get(urlPathEqualTo("/api/reservations/lookup")).willReturn(okJson(LOOKUP)));
        stub(patch(urlPathEqualTo("/api/reservations")).willReturn(okJson("{\"id\":\"res-9\",\"status\":\"cancelled\"}")));

        assertThatThrownBy(() -> backend.cancelReservation(R, PHONE, "res-of-someone-else"))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> backend.cancelReservation(R, PHONE, "res-c"))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        office.verify(0, patchRequestedFor(urlPathEqualTo("/api/reservations")));

        backend.cancelReservation(R, PHONE, "res-9");
        office.verify(patchRequestedFor(urlPathEqualTo("/api/reservations"))
                .withRequestBody(equalToJson("{\"id\":\"res-9\",\"status\":\"cancelled\"}")));

        office.resetAll();
        stub(get(urlPathEqualTo("/api/reservations/lookup")).willReturn(okJson(LOOKUP)));
        stub(patch(urlPathEqualTo("/api/reservations")).willReturn(okJson("null")));
        assertThatThrownBy(() -> backend.cancelReservation(R, PHONE, "res-9"))
                .as("a 200 with null means unknown id")
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));

        office.resetAll();
        stub(get(urlPathEqualTo("/api/reservations/lookup")).willReturn(okJson(LOOKUP)));
        stub(patch(urlPathEqualTo("/api/reservations")).willReturn(aResponse().withStatus(502)));
        assertThatThrownBy(() -> backend.cancelReservation(R, PHONE, "res-9")).isInstanceOf(BackendException.class);
    }

    // #17 pricing ---------------------------------------------------------------------------------

    private static final String PRICING = """
            {"models":{"gpt-realtime":{"textInput":"4","textOutput":16,"audioInput":32,"audioOutput":64},
                       "gpt-4o-realtime":{"textInput":5,"textOutput":20,"audioInput":40,"audioOutput":80},
                       "gpt-4o":{"textInput":1,"textOutput":1,"audioInput":1,"audioOutput":1}},
             "telecomCostPerMin":0.0085,"baseCurrency":"USD"}""";

    @Test
    void pricingMatchesExactThenPrefixPricesCachedLikeUncachedAndIsCachedForADay() {
        stub(get(urlPathEqualTo("/api/ai-pricing")).willReturn(okJson(PRICING)));

        TokenPricing exact = backend.pricing("gpt-realtime").orElseThrow();
        assertThat(exact.textIn()).isEqualByComparingTo("4");
        assertThat(exact.textInCached()).isEqualByComparingTo("4");
        assertThat(exact.audioInCached()).isEqualByComparingTo("32");
        assertThat(exact.audioOut()).isEqualByComparingTo("64");
        assertThat(exact.cachedLikeUncached()).isTrue();
        assertThat(exact.telecomCostPerMin()).isEqualByComparingTo("0.0085");
        assertThat(exact.baseCurrency()).isEqualTo("USD");
        assertThat(backend.pricing("gpt-4o-realtime-preview-2024-12-17").orElseThrow().textIn())
                .as("longest prefix").isEqualByComparingTo("5");
        assertThat(backend.pricing("whisper-1")).isEmpty();
        office.verify(1, getRequestedFor(urlPathEqualTo("/api/ai-pricing")));

        now.set(now.get().plus(Duration.ofHours(25)));
        backend.pricing("gpt-realtime");
        office.verify(2, getRequestedFor(urlPathEqualTo("/api/ai-pricing")));
    }

    @Test
    void pricingFailsOpen() {
        for (ResponseDefinitionBuilder failure : List.of(aResponse().withStatus(500), slow(), garbage(), okJson("{}"))) {
            office.resetAll();
            stub(get(urlPathEqualTo("/api/ai-pricing")).willReturn(failure));
            assertThat(backend.pricing("gpt-realtime")).isEqualTo(Optional.empty());
        }
    }

    // common ------------------------------------------------------------------------------------------

    @Test
    void noAuthorizationHeaderWithoutAToken() {
        HttpRestaurantBackend anonymous = backend(Secret.unset());
        stub(get(urlPathEqualTo("/api/blocked-phones/check")).willReturn(okJson("{\"blocked\":false}")));
        anonymous.isBlocked(R, PHONE);
        office.verify(getRequestedFor(urlPathEqualTo("/api/blocked-phones/check")).withHeader("Authorization", absent()));
    }

    @Test
    void healthIsDegradedForFiveMinutesAfterAFailedRequest() {
        assertThat(backend.health().kind()).isEqualTo("http");
        assertThat(backend.health().ok()).isTrue();
        assertThat(backend.health().defaultRestaurant()).isEqualTo(R);
        stub(get(urlPathEqualTo("/api/blocked-phones/check")).willReturn(aResponse().withStatus(500)));
        backend.isBlocked(R, PHONE);
        assertThat(backend.health().ok()).isFalse();
        assertThat(backend.health().databaseDown()).isFalse();
        now.set(now.get().plus(Duration.ofMinutes(6)));
        assertThat(backend.health().ok()).isTrue();
    }

    @Test
    void failureMessagesNeverCarryPhoneNumbersOrTokens() {
        stub(get(urlPathEqualTo("/api/orders/status")).willReturn(aResponse().withStatus(500).withBody("secret " + TOKEN)));
        assertThatThrownBy(() -> backend.recentOrders(R, PHONE))
                .hasMessageNotContaining(PHONE).hasMessageNotContaining(TOKEN).hasMessageContaining("500");
        office.verify(anyRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @FunctionalInterface
    private interface BackendCall {
        Object run() throws BackendException;
    }

    /** 500, 4xx, timeout and an unparsable body each make the operation throw. */
    private void assertFailsClosed(MappingBuilder request, BackendCall call) {
        for (ResponseDefinitionBuilder failure : List.of(aResponse().withStatus(500), aResponse().withStatus(400), slow(), garbage())) {
            office.resetAll();
            stub(request.willReturn(failure));
            assertThatThrownBy(call::run).isInstanceOf(BackendException.class);
        }
    }
}
