package io.paystream.state.reconcile;

/**
 * The state of one reconciliation key (one payment or refund of one channel): both sides as last
 * seen, what was last published about it, and whether a discrepancy is waiting for the shop's rows
 * to catch up before it is published.
 */
public class ReconcileKeyState {
    /** The bill's line; null until a bill carried it. */
    public BillLine bill;
    /** The shop's record; null until its row came (or after it was deleted). */
    public ShopSide shop;
    /** The class last published; null while nothing was. */
    public ReconcileClass published;
    /** A discrepancy seen, to be confirmed (and published) at {@link #confirmAt} if it still stands. */
    public boolean awaitingShop;
    /** Processing time of the confirmation; meaningful while {@link #awaitingShop}. */
    public long confirmAt;
    /** Bill time at which the key is forgotten, as last registered (a timer is registered only when it moves). */
    public long forgetAt;

    public ReconcileKeyState() {}

    @Override
    public String toString() {
        return "ReconcileKeyState{bill=" + bill + ", shop=" + shop + ", published=" + published + ", awaitingShop="
                + awaitingShop + ", confirmAt=" + confirmAt + ", forgetAt=" + forgetAt + '}';
    }
}
