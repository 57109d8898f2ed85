package io.voiceorder.app.restaurant;

/**
 * Which order to cancel: the backend id from {@link OrderSummary#id()} when known, plus the number
 * the caller said. Embedded matches the id (else the number) among the phone's orders; http matches
 * the id in its fresh status list (where numbers may be positions, §6.4.7).
 */
public record OrderRef(String orderId, Integer orderNumber) {
}
