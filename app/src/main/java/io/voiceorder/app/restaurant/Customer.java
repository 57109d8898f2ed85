package io.voiceorder.app.restaurant;

/** A customer after an upsert, as far as the backend returns it (http returns only id and first name). */
public record Customer(String id, String phone, String firstName, String deliveryAddress, String deliveryCity,
                       String deliveryPostalCode, int totalOrders) {
}
