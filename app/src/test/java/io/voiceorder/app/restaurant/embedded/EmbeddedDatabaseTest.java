package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.config.BackendSettings;
import io.voiceorder.app.restaurant.CallStart;
import io.voiceorder.app.restaurant.OrderType;
import io.voiceorder.app.restaurant.PlacedOrder;
import io.voiceorder.app.restaurant.PricedOrder;
import io.voiceorder.app.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What the embedded adapter writes, read back with plain SQL from an H2 file database. */
class EmbeddedDatabaseTest {
    @TempDir
    Path dir;

    private final List<EmbeddedBackend> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(EmbeddedBackend::close);
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("data").resolve("voiceorder") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0";
    }

    private EmbeddedBackend open() throws Exception {
        EmbeddedBackend b = EmbeddedBackend.open(BackendSettings.parse(Map.of("DATABASE_URL", url())), Optional.empty(),
                new MutableClock(EmbeddedH2BackendTest.TUESDAY_MORNING));
        opened.add(b);
        return b;
    }

    /** Each row as its columns joined by " | " (timestamps as UTC instants). */
    private List<String> rows(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    cols.add(v instanceof java.time.OffsetDateTime t ? t.toInstant().toString() : String.valueOf(v));
                }
                out.add(String.join(" | ", cols));
            }
            return out;
        }
    }

    private static PricedOrder margheritaGrande(String phone) {
        BigDecimal unit = new BigDecimal("12.50");
        return new PricedOrder("da-marco", "call-1", null, "Marie", phone, OrderType.DELIVERY,
                List.of(new PricedOrder.PricedLine("1", "Margherita", 2, unit, new BigDecimal("25.00"),
                        List.of(new PricedOrder.SelectedOption("Taille", "Grande", new BigDecimal("3.00"))), "bien cuite")),
                new BigDecimal("25.00"), new BigDecimal("2.50"), new BigDecimal("27.50"), "EUR", "3 rue Oberkampf", "Paris", "75011",
                null, null, null, java.time.OffsetDateTime.parse("2026-11-24T19:45+01:00"), "card", "code 1234");
    }

    @Test
    void theDatabaseFileIsCreatedUnderItsDirectory() throws Exception {
        open();
        assertThat(dir.resolve("data").resolve("voiceorder.mv.db")).exists();
    }

    @Test
    void anOrderIsStoredWithItsPricedLinesNumberAndCustomerStats() throws Exception {
        EmbeddedBackend b = open();
        PlacedOrder placed = b.placeOrder(margheritaGrande("+33611111111"));
        assertThat(placed.orderNumber()).isEqualTo(1);
        assertThat(rows("SELECT order_number, status, source, order_type, subtotal, delivery_fee, total, payment_method, "
                + "delivery_address, estimated_ready_at, call_id FROM orders")).containsExactly(
                "1 | pending | phone_ai | delivery | 25.00 | 2.50 | 27.50 | card | 3 rue Oberkampf | 2026-11-24T18:45:00Z | call-1");
        assertThat(rows("SELECT line_no, menu_item_id, name, quantity, unit_price, total_price, selected_options, notes FROM order_items"))
                .containsExactly("1 | 1 | Margherita | 2 | 12.50 | 25.00 | "
                        + "[{\"name\":\"Taille\",\"choice\":\"Grande\",\"extra_price\":3.00}] | bien cuite");
        assertThat(rows("SELECT total_orders, total_spent, first_name FROM customers WHERE phone = '+33611111111'"))
                .containsExactly("1 | 27.50 | Marie");
        assertThat(rows("SELECT last_number FROM order_counters WHERE restaurant_id = 'da-marco'")).containsExactly("1");
    }

    @Test
    void concurrentOrdersGetDistinctSequentialNumbers() throws Exception {
        EmbeddedBackend b = open();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<PlacedOrder>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String phone = "+3362000" + String.format("%04d", i);
                futures.add(pool.submit(() -> b.placeOrder(margheritaGrande(phone))));
            }
            Set<Integer> numbers = new HashSet<>();
            for (Future<PlacedOrder> f : futures) {
                numbers.add(f.get(30, TimeUnit.SECONDS).orderNumber());
            }
            assertThat(numbers).hasSize(30).allMatch(n -> n >= 1 && n <= 30);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameQuestionIsCountedNotStoredTwice() throws Exception {
        EmbeddedBackend b = open();
        b.logFaq("da-marco", "Livrez-vous à Montreuil ?", "livraison", "+33611111111");
        b.logFaq("da-marco", "  livrez vous a MONTREUIL  ", "livraison", "+33622222222");
        b.logFaq("da-marco", "Avez-vous une terrasse ?", "pas-une-categorie", "+33622222222");
        assertThat(rows("SELECT question, ask_count, last_caller_phone, status, category FROM faq_questions")).containsExactlyInAnyOrder(
                "Livrez-vous à Montreuil ? | 2 | +33622222222 | pending | livraison",
                "Avez-vous une terrasse ? | 1 | +33622222222 | pending | other");
    }

    @Test
    void answeredQuestionsJoinTheFaqOfThePrompt() throws Exception {
        EmbeddedBackend b = open();
        b.logFaq("da-marco", "Livrez-vous à Montreuil ?", "livraison", "+33611111111");
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE faq_questions SET status = 'answered', answer = 'Non, seulement Paris 11e, 12e et 20e.'");
        }
        assertThat(b.loadAgent("da-marco", null).orElseThrow().instructions().forCall(false))
                .contains("Livrez-vous à Montreuil ? → Non, seulement Paris 11e, 12e et 20e.");
    }

    @Test
    void numbersAreBlockedFromTheFileAndFromTheTable() throws Exception {
        EmbeddedBackend b = open();
        assertThat(b.isBlocked("da-marco", "+33699999999")).isTrue();
        assertThat(b.isBlocked("da-marco", "+33688888888")).isFalse();
        b.block("da-marco", "+33688888888", "insultes");
        b.block("da-marco", "+33688888888", "insultes");
        assertThat(b.isBlocked("da-marco", "+33688888888")).isTrue();
        assertThat(b.isBlocked("autre-restaurant", "+33688888888")).isFalse();
        assertThat(b.isBlocked("da-marco", "")).isFalse();
    }

    @Test
    void recordsLeftInProgressByACrashAreClosedAtTheNextStart() throws Exception {
        EmbeddedBackend first = open();
        first.startCall(new CallStart("da-marco", "CA1", "MZ1", "twilio", "inbound", "+33611111111", "+33972360682", null,
                Instant.parse("2026-11-24T08:59:00Z")));
        first.close();
        opened.remove(first);
        open();
        assertThat(rows("SELECT outcome, end_reason, ended_at FROM calls WHERE call_sid = 'CA1'"))
                .containsExactly("error | process_restart | " + EmbeddedH2BackendTest.TUESDAY_MORNING);
    }

    @Test
    void anOrderSurvivesSigkillRightAfterItWasStored() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OrderThenWait.class.getName(), url(), "+33633333333").redirectErrorStream(false).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("placed "));
            assertThat(line).as("the child stored its order").isNotNull();
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        String id = line.substring("placed ".length());
        assertThat(rows("SELECT customer_phone, total FROM orders WHERE id = '" + id + "'")).containsExactly("+33633333333 | 9.50");
        assertThat(rows("SELECT name FROM order_items WHERE order_id = '" + id + "'")).containsExactly("Margherita");
    }
}
