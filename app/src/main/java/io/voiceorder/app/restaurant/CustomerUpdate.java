package io.voiceorder.app.restaurant;

/**
 * What {@code save_customer_info} changes (§6.4.4): null or blank fields leave stored values unchanged;
 * a new address clears stored coordinates.
 */
public record CustomerUpdate(String firstName, String deliveryAddress, String deliveryCity,
                             String deliveryPostalCode, String deliveryNotes) {

    public boolean isEmpty() {
        return blank(firstName) && blank(deliveryAddress) && blank(deliveryCity)
                && blank(deliveryPostalCode) && blank(deliveryNotes);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
