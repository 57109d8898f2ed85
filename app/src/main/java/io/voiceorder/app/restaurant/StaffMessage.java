package io.voiceorder.app.restaurant;

/**
 * A message for staff (§6.4.6 and the automatic message of §6.5).
 *
 * @param callId   call record id, or null
 * @param category {@code callback_request}, {@code complaint}, {@code info_request}, {@code special_request}, {@code other}
 */
public record StaffMessage(String restaurantId, String callId, String callerPhone, String callerName,
                           String content, String category, boolean urgent) {
}
