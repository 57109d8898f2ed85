package io.voiceorder.app.restaurant;

/**
 * A stored order.
 *
 * @param orderNumber sequential number per restaurant (embedded); null when the back office assigns none (§6.4.7)
 */
public record PlacedOrder(String id, Integer orderNumber) {
}
