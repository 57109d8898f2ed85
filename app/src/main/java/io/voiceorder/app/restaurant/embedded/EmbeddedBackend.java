package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.config.BackendSettings;
import io.voiceorder.app.config.ConfigException;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AgentConfig.CustomerContext;
import io.voiceorder.app.restaurant.AvailabilityQuery;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.BackendHealth;
import io.voiceorder.app.restaurant.CallRecord;
import io.voiceorder.app.restaurant.CallStart;
import io.voiceorder.app.restaurant.Customer;
import io.voiceorder.app.restaurant.CustomerUpdate;
import io.voiceorder.app.restaurant.MenuIndex;
import io.voiceorder.app.restaurant.OrderRef;
import io.voiceorder.app.restaurant.OrderSummary;
import io.voiceorder.app.restaurant.PlacedOrder;
import io.voiceorder.app.restaurant.PlacedReservation;
import io.voiceorder.app.restaurant.PricedOrder;
import io.voiceorder.app.restaurant.RecordViews;
import io.voiceorder.app.restaurant.ReservationRequest;
import io.voiceorder.app.restaurant.ReservationSummary;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.restaurant.StaffMessage;
import io.voiceorder.app.restaurant.TokenPricing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code embedded} restaurant backend (serve.md §7.2): restaurants from the restaurant file,
 * everything callers leave behind in H2 or PostgreSQL. serve runs with nothing else.
 */
public final class EmbeddedBackend implements RestaurantBackend, RecordViews, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBackend.class);
    public static final Duration RELOAD_PERIOD = Duration.ofSeconds(10);

    private final RestaurantCatalog catalog;
    private final Database db;
    private final Clock clock;
    private final String defaultRestaurantId;
    private final AvailabilityRules rules;
    private final OrderStore orders;
    private final ReservationStore reservations;
    private final CustomerStore customers;
    private final MessageStore messages;
    private final FaqStore faq;
    private final BlockedNumberStore blocked;
    private final CallStore calls;
    private final ViewStore views;
    private final RestaurantAgentParts agentParts = new RestaurantAgentParts();
    private ScheduledExecutorService reloader;

    public EmbeddedBackend(RestaurantCatalog catalog, Database db, Clock clock, String defaultRestaurantId) {
        this.catalog = catalog;
        this.db = db;
        this.clock = clock;
        this.defaultRestaurantId = defaultRestaurantId;
        this.rules = new AvailabilityRules(clock);
        this.orders = new OrderStore(db, clock);
        this.reservations = new ReservationStore(db, clock);
        this.customers = new CustomerStore(db, clock);
        this.messages = new MessageStore(db, clock);
        this.faq = new FaqStore(db, clock);
        this.blocked = new BlockedNumberStore(db, clock);
        this.calls = new CallStore(db, clock);
        this.views = new ViewStore(db);
    }

    /**
     * Start-up: reads the restaurant file (a problem → {@link ConfigException}, exit 2), opens and
     * migrates the database ({@link Database.OpenException}, exit 1), closes the records a crash
     * left {@code in_progress}, and checks the file every {@link #RELOAD_PERIOD}.
     *
     * @param restaurantId {@code RESTAURANT_ID}, if set
     */
    public static EmbeddedBackend open(BackendSettings settings, Optional<String> restaurantId, Clock clock)
            throws Database.OpenException {
        return open(settings, restaurantId, clock, RELOAD_PERIOD);
    }

    /** As {@link #open(BackendSettings, Optional, Clock)}, checking the restaurant file every {@code reloadPeriod}. */
    static EmbeddedBackend open(BackendSettings settings, Optional<String> restaurantId, Clock clock, Duration reloadPeriod)
            throws Database.OpenException {
        RestaurantCatalog catalog;
        try {
            catalog = RestaurantCatalog.open(settings.restaurantFile());
        } catch (InvalidRestaurantFileException e) {
            throw new ConfigException(e.getMessage());
        }
        String defaultId = defaultRestaurant(catalog, restaurantId);
        Database db = Database.open(settings);
        EmbeddedBackend backend = new EmbeddedBackend(catalog, db, clock, defaultId);
        try {
            int closed = backend.calls.closeInterrupted();
            if (closed > 0) {
                LOG.warn("{} call record(s) left in progress by a previous run marked error / process_restart", closed);
            }
        } catch (SQLException e) {
            db.close();
            throw new Database.OpenException("cannot open the database (DATABASE_URL="
                    + io.voiceorder.app.config.DatabaseUrls.maskPassword(settings.databaseUrl()) + "): "
                    + e.getClass().getSimpleName() + ". Check DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD.", e);
        }
        backend.watch(reloadPeriod);
        return backend;
    }

    private static String defaultRestaurant(RestaurantCatalog catalog, Optional<String> restaurantId) {
        List<String> ids = catalog.ids();
        if (restaurantId.isPresent()) {
            if (!ids.contains(restaurantId.get())) {
                LOG.warn("RESTAURANT_ID {} is not in {}: calls for it get the fallback agent.", restaurantId.get(), catalog.source());
            }
            return restaurantId.get();
        }
        if (ids.size() != 1) {
            throw new ConfigException("RESTAURANT_ID is not set and " + catalog.source() + " holds " + ids.size()
                    + " restaurants (" + String.join(", ", ids) + "). Set RESTAURANT_ID (flag --restaurant-id).");
        }
        return ids.get(0);
    }

    /** Checks the restaurant file every {@code period} on a daemon thread. */
    void watch(Duration period) {
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "restaurant-file-reload");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(() -> {
            try {
                catalog.reload();
            } catch (RuntimeException e) {
                LOG.error("restaurant file check failed: {}", e.getClass().getSimpleName());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public RestaurantCatalog catalog() {
        return catalog;
    }

    public Database database() {
        return db;
    }

    /** Blocks a number in the database (added to the file's list). */
    public void block(String restaurantId, String phone, String reason) throws BackendException {
        run(() -> {
            blocked.add(restaurantId, phone, reason);
            return null;
        });
    }

    @Override
    public Optional<AgentConfig> loadAgent(String restaurantId, String callerPhone) {
        Optional<RestaurantDefinition> found = catalog.get(restaurantId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RestaurantDefinition r = found.get();
        CustomerContext customer = null;
        List<RestaurantDefinition.Faq> answers = new ArrayList<>(r.faq());
        // The agent still works without the database's part (customer, answered questions): tools report its failures.
        try {
            if (callerPhone != null && !callerPhone.isBlank()) {
                customer = customers.context(restaurantId, callerPhone).orElse(null);
            }
            answers.addAll(faq.answered(restaurantId));
        } catch (SQLException e) {
            LOG.warn("restaurant {}: customer and FAQ not loaded from the database ({})", restaurantId, e.getClass().getSimpleName());
        }
        RestaurantAgentParts.Parts shared = agentParts.of(r);
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(r.timeZone()));
        AgentConfig.Instructions instructions = shared.prompt().instructions(now, customer, answers);
        return Optional.of(new AgentConfig(r.id(), r.name(), AgentConfig.Source.EMBEDDED, instructions, List.of(),
                r.language(), r.ai().voice(), r.timeZone(), r.currency(), r.country(), shared.greeting(), shared.menu(),
                shared.services(), r.paymentMethods(), r.avgPrepTimeMin(), shared.delivery(), shared.reservations(),
                shared.transfer(), customer, null));
    }

    @Override
    public boolean isBlocked(String restaurantId, String phone) throws BackendException {
        if (phone == null || phone.isBlank()) {
            return false;
        }
        Optional<RestaurantDefinition> r = catalog.get(restaurantId);
        if (r.isPresent() && r.get().blockedNumbers().contains(phone)) {
            return true;
        }
        return run(() -> blocked.contains(restaurantId, phone));
    }

    @Override
    public AvailabilityResult checkAvailability(String restaurantId, AvailabilityQuery query) throws BackendException {
        RestaurantDefinition r = restaurant(restaurantId);
        return rules.check(r, query, (id, start, end) -> run(() -> reservations.seatsTaken(id, start, end)));
    }

    @Override
    public PlacedOrder placeOrder(PricedOrder order) throws BackendException {
        return run(() -> orders.place(order));
    }

    @Override
    public PlacedReservation placeReservation(ReservationRequest reservation) throws BackendException {
        RestaurantDefinition r = restaurant(reservation.restaurantId());
        if (!r.services().reservation() || r.reservations() == null) {
            throw new BackendException(BackendException.Kind.REFUSED, "reservations are not offered");
        }
        try {
            return reservations.place(reservation, r.reservations(), reservation.customerId());
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Customer saveCustomer(String restaurantId, String phone, CustomerUpdate update) throws BackendException {
        if (phone == null || phone.isBlank()) {
            throw new BackendException(BackendException.Kind.INVALID, "no phone number");
        }
        return run(() -> customers.save(restaurantId, phone, update));
    }

    @Override
    public void logFaq(String restaurantId, String question, String category, String callerPhone) throws BackendException {
        if (question == null || question.isBlank()) {
            throw new BackendException(BackendException.Kind.INVALID, "empty question");
        }
        run(() -> {
            faq.log(restaurantId, question, category, callerPhone);
            return null;
        });
    }

    @Override
    public String leaveMessage(StaffMessage message) throws BackendException {
        if (message.content() == null || message.content().isBlank()) {
            throw new BackendException(BackendException.Kind.INVALID, "empty message");
        }
        return run(() -> messages.leave(message));
    }

    @Override
    public List<OrderSummary> recentOrders(String restaurantId, String phone) throws BackendException {
        return run(() -> orders.recent(restaurantId, phone));
    }

    @Override
    public void cancelOrder(String restaurantId, String phone, OrderRef order) throws BackendException {
        try {
            orders.cancel(restaurantId, phone, order);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public List<ReservationSummary> upcomingReservations(String restaurantId, String phone) throws BackendException {
        ZoneId zone = restaurant(restaurantId).timeZone();
        return run(() -> reservations.upcoming(restaurantId, phone, zone));
    }

    @Override
    public void cancelReservation(String restaurantId, String phone, String reservationId) throws BackendException {
        ZoneId zone = restaurant(restaurantId).timeZone();
        try {
            reservations.cancel(restaurantId, phone, reservationId, zone);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public String startCall(CallStart call) throws BackendException {
        return run(() -> calls.start(call));
    }

    @Override
    public void finishCall(CallRecord record) throws BackendException {
        run(() -> calls.finish(record));
    }

    @Override
    public void updateTransferStatus(String callSid, String status) throws BackendException {
        if (!run(() -> calls.updateTransferStatus(callSid, status))) {
            throw new BackendException(BackendException.Kind.NOT_FOUND, "no call record for that call sid");
        }
    }

    @Override
    public List<OrderView> orders(Query query) throws BackendException {
        return run(() -> views.orders(query));
    }

    @Override
    public Optional<OrderView> order(String id) throws BackendException {
        return run(() -> views.order(id));
    }

    @Override
    public List<CallView> calls(Query query) throws BackendException {
        return run(() -> views.calls(query));
    }

    @Override
    public Optional<CallView> call(String id) throws BackendException {
        return run(() -> views.call(id));
    }

    @Override
    public Optional<TokenPricing> pricing(String model) {
        return Optional.empty();
    }

    @Override
    public Optional<String> defaultRestaurantId() {
        return Optional.ofNullable(defaultRestaurantId);
    }

    @Override
    public BackendHealth health() {
        boolean usable = db.usable();
        return new BackendHealth("embedded", usable, db.kind(), catalog.ids(), defaultRestaurantId, !usable);
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.shutdownNow();
        }
        db.close();
    }

    private RestaurantDefinition restaurant(String id) throws BackendException {
        return catalog.get(id).orElseThrow(() -> new BackendException(BackendException.Kind.NOT_FOUND, "unknown restaurant"));
    }

    /** A database step whose SQL failure becomes a {@link BackendException}. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws SQLException;
    }

    private static <T> T run(Step<T> step) throws BackendException {
        try {
            return step.run();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static BackendException failure(SQLException e) {
        LOG.error("embedded backend: database operation failed ({}, SQL state {})", e.getClass().getSimpleName(), e.getSQLState());
        BackendException.Kind kind = e instanceof SQLTimeoutException ? BackendException.Kind.TIMEOUT
                : e.getSQLState() != null && e.getSQLState().startsWith("23") ? BackendException.Kind.REFUSED
                : BackendException.Kind.UNAVAILABLE;
        return new BackendException(kind, "database operation failed (" + e.getClass().getSimpleName() + ")", e);
    }
}
