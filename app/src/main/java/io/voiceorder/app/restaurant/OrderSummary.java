package io.voiceorder.app.restaurant;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * One of a caller's recent orders (§6.4.7).
 *
 * @param orderNumber null when the back office has none (serve then numbers by position)
 * @param status      {@code pending}, {@code confirmed}, {@code preparing}, {@code ready}, {@code delivering}, {@code completed}, {@code cancelled}
 * @param itemsSummary e.g. {@code "2x Margherita, 1x Coca-Cola 33 cl"}
 */
public record OrderSummary(String id, Integer orderNumber, String status, String orderType, BigDecimal total,
                           OffsetDateTime estimatedReadyAt, OffsetDateTime createdAt, int itemCount,
                           String itemsSummary) {
}
