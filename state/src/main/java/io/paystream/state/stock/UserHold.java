package io.paystream.state.stock;

/**
 * One user's live units of one SKU, and the orders holding them (a user has few live orders of
 * one SKU, so a small array beats a map): what a purchase limit is checked against.
 */
public class UserHold {
    public long units;
    public long[] orderIds = new long[0];

    public UserHold() {}
}
