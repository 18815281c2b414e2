package io.paystream.state.stock;

/** A subject's unpaid orders within the window, and whether it is flagged right now. */
public class RiskWindow {
    public int unpaid;
    /** SUSPICIOUS_ACCOUNT raised; raised again only after the count fell back to the limit. */
    public boolean flagged;

    public RiskWindow() {}
}
