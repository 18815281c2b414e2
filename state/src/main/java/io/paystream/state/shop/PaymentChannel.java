package io.paystream.state.shop;

/** The payment channels the shop accepts. Append-only. */
public enum PaymentChannel {
    WECHAT,
    ALIPAY,
    UNIONPAY
}
