/**
 * The restaurant backend port ({@link io.voiceorder.app.restaurant.RestaurantBackend}, serve.md §7.1)
 * and its records. Adapters live in subpackages: {@code embedded} (restaurant file + database) and
 * {@code http} (the existing back office).
 */
package io.voiceorder.app.restaurant;
