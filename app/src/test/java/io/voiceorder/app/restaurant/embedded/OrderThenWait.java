package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.config.BackendSettings;
import io.voiceorder.app.restaurant.OrderType;
import io.voiceorder.app.restaurant.PlacedOrder;
import io.voiceorder.app.restaurant.PricedOrder;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Run in a child JVM by {@link EmbeddedDatabaseTest}: stores one order, says so on stdout, then
 * waits to be killed with SIGKILL — as serve would be right after the caller heard the confirmation.
 */
public final class OrderThenWait {
    private OrderThenWait() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedBackend backend = EmbeddedBackend.open(BackendSettings.parse(Map.of("DATABASE_URL", args[0])),
                Optional.empty(), Clock.systemUTC());
        BigDecimal price = new BigDecimal("9.50");
        PlacedOrder placed = backend.placeOrder(new PricedOrder("da-marco", null, null, "Kill", args[1], OrderType.PICKUP,
                List.of(new PricedOrder.PricedLine("1", "Margherita", 1, price, price, List.of(), null)),
                price, BigDecimal.ZERO.setScale(2), price, "EUR", null, null, null, null, null, null, null, "cash", null));
        System.out.println("placed " + placed.id());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
