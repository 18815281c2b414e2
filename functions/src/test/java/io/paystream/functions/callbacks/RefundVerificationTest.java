package io.paystream.functions.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.RefundFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.state.contract.Alert;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.shop.PaymentChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Refund notifications of every channel, verified by the same rules as payment notifications. */
class RefundVerificationTest {
    private static final SimulatedChannels CHANNELS = SimulatedChannels.generate();
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Instant REFUNDED = NOW.minusSeconds(4);
    private final ChannelVerifiers verifiers = new ChannelVerifiers(Credentials.of(CHANNELS));

    private static RefundFacts refund(String refundId, String paymentId, long cents, long total) {
        return RefundFacts.succeeded(refundId, paymentId, "TXN-" + paymentId, cents, total, REFUNDED);
    }

    private Verdict verify(CallbackEnvelope e) {
        return verifiers.verifyCallback(e.toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGenuineWechatRefundVerifiesWithExactAmounts() {
        Verdict v = verify(CHANNELS.wechat()
                .refundNotification(refund("R-WX", "P-WX", 1234, 3550), NOW, "101.226.103.7", Forgery.NONE));

        assertThat(v.kind).as(v.toString()).isEqualTo(Verdict.Kind.ACCEPTED);
        assertThat(v.notification).as("not a payment outcome").isNull();
        RefundNotification r = v.refund;
        assertThat(r.refundId).isEqualTo("R-WX");
        assertThat(r.paymentId).isEqualTo("P-WX");
        assertThat(r.channel).isEqualTo(PaymentChannel.WECHAT);
        assertThat(r.channelRefundId).isEqualTo("RFR-WX");
        assertThat(r.paymentChannelTxnId).isEqualTo("TXN-P-WX");
        assertThat(r.refundAmountCents).isEqualTo(1234L);
        assertThat(r.paymentTotalCents).isEqualTo(3550L);
        assertThat(r.refundedTotalCents).isNull();
        assertThat(r.status).isEqualTo(RefundStatus.SUCCESS);
        assertThat(r.refundedAt).isEqualTo(REFUNDED.toEpochMilli());
        assertThat(r.source).isEqualTo(RefundNotification.CALLBACK);
        assertThat(r.notifyId).startsWith("EV-");
        assertThat(r.receivedAt).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void aWechatAbnormalRefundIsFailedAndAClosedOneClosed() {
        Verdict abnormal = verify(CHANNELS.wechat()
                .refundNotification(
                        refund("R-AB", "P-AB", 100, 100).withStatus("ABNORMAL"), NOW, "101.226.103.7", Forgery.NONE));
        assertThat(abnormal.refund.status).isEqualTo(RefundStatus.FAILED);
        assertThat(abnormal.refund.refundedAt).isZero();

        Verdict closed = verify(CHANNELS.wechat()
                .refundNotification(
                        refund("R-CL", "P-CL", 100, 100).withStatus("CLOSED"), NOW, "101.226.103.7", Forgery.NONE));
        assertThat(closed.refund.status).isEqualTo(RefundStatus.CLOSED);
    }

    @Test
    void anAlipayPartialRefundOnTheTradeNotifyIsARefundNotASecondPaymentOutcome() {
        RefundFacts second = refund("R-ALI-2", "P-ALI", 1000, 10_000).withRefundedTotal(2550);
        Verdict v = verify(CHANNELS.alipay().refundNotification(second, NOW, "110.75.130.9", Forgery.NONE));

        assertThat(v.kind).as(v.toString()).isEqualTo(Verdict.Kind.ACCEPTED);
        assertThat(v.notification).as("no second payment outcome").isNull();
        RefundNotification r = v.refund;
        assertThat(r.refundId).isEqualTo("R-ALI-2");
        assertThat(r.paymentId).isEqualTo("P-ALI");
        assertThat(r.channel).isEqualTo(PaymentChannel.ALIPAY);
        assertThat(r.paymentChannelTxnId).isEqualTo("TXN-P-ALI");
        assertThat(r.refundAmountCents)
                .as("Alipay states only the cumulative refund_fee")
                .isNull();
        assertThat(r.refundedTotalCents).isEqualTo(2550L);
        assertThat(r.paymentTotalCents).isEqualTo(10_000L);
        assertThat(r.status).isEqualTo(RefundStatus.SUCCESS);
        assertThat(r.refundedAt).isEqualTo(REFUNDED.toEpochMilli());
    }

    @Test
    void anAlipayFullRefundClosingTheTradeIsARefundNotAClosedPayment() {
        CallbackEnvelope e = CHANNELS.alipay()
                .refundNotification(refund("R-ALI-F", "P-ALI-F", 1234, 1234), NOW, "110.75.130.9", Forgery.NONE);
        assertThat(e.body).contains("trade_status=TRADE_CLOSED");
        Verdict v = verify(e);
        assertThat(v.notification).as("not a CLOSED payment").isNull();
        assertThat(v.refund.refundedTotalCents).isEqualTo(1234L);
    }

    @Test
    void anAlipayPaymentNotifyIsStillAPayment() {
        Verdict v = verify(CHANNELS.alipay()
                .notification(
                        new PaymentFacts("P-ALI-P", "T", 1234, "SUCCESS", NOW.minusSeconds(3)),
                        NOW,
                        "110.75.130.9",
                        Forgery.NONE));
        assertThat(v.refund).isNull();
        assertThat(v.notification.amountCents).isEqualTo(1234);
    }

    @Test
    void aGenuineUnionPayRefundVerifiesByRsaAndByHmac() {
        for (boolean hmac : new boolean[] {false, true}) {
            RefundFacts f = refund("RUP1", "PUP1", 99, 500);
            Verdict v = verify(CHANNELS.unionpay().refundNotification(f, NOW, "101.231.204.1", Forgery.NONE, hmac));
            assertThat(v.kind).as(v.toString()).isEqualTo(Verdict.Kind.ACCEPTED);
            assertThat(v.notification).isNull();
            RefundNotification r = v.refund;
            assertThat(r.refundId).isEqualTo("RUP1");
            assertThat(r.paymentId)
                    .as("UnionPay names the payment by its queryId only")
                    .isNull();
            assertThat(r.paymentChannelTxnId).isEqualTo("TXN-PUP1");
            assertThat(r.channelRefundId).isEqualTo("RFRUP1");
            assertThat(r.refundAmountCents).isEqualTo(99L);
            assertThat(r.paymentTotalCents).isNull();
            assertThat(r.status).isEqualTo(RefundStatus.SUCCESS);
            assertThat(r.refundedAt).isEqualTo(REFUNDED.toEpochMilli());
        }
        Verdict failed = verify(CHANNELS.unionpay()
                .refundNotification(
                        refund("RUP2", "PUP2", 99, 500).withStatus("ABNORMAL"), NOW, "101.231.204.1", Forgery.NONE));
        assertThat(failed.refund.status).isEqualTo(RefundStatus.FAILED);
    }

    @Test
    void forgedRefundsAreRejectedWithTheRefundNamed() {
        for (String channel : new String[] {"WECHAT", "ALIPAY", "UNIONPAY"}) {
            String address = SimulatedChannels.genuineAddress(channel, 1);
            for (Forgery f : new Forgery[] {Forgery.BAD_SIGNATURE, Forgery.UNKNOWN_KEY, Forgery.TAMPERED_BODY}) {
                assertForgedRefund(verify(notify(channel, f, address)), channel, channel + " " + f);
            }
            Verdict outside = verify(notify(channel, Forgery.NONE, "203.0.113.9"));
            assertForgedRefund(outside, channel, channel + " outside the allowlist");
            assertThat(outside.reason).contains("not allowed");
        }
    }

    @Test
    void staleRefundsAreRejectedWithTheRefundAndPaymentAsSigned() {
        for (String channel : new String[] {"WECHAT", "ALIPAY"}) {
            Verdict v = verify(notify(channel, Forgery.STALE, SimulatedChannels.genuineAddress(channel, 1)));
            assertThat(v.kind).isEqualTo(Verdict.Kind.REJECTED);
            assertThat(v.alertType).isEqualTo(Alert.STALE_CALLBACK);
            assertThat(v.reason).contains("from its receipt");
            assertThat(v.refundId).isEqualTo("R-1");
            assertThat(v.paymentId).isEqualTo("P-1");
            assertThat(v.refund).isNull();
        }
    }

    @Test
    void genuinelySignedRefundsLackingTheirIdsAreMalformed() {
        // Signed by the channel's own key, so only the missing field is wrong: unreadable, not forged.
        RefundFacts noRefundId = new RefundFacts("", "P-M", "TXN-P-M", "RF-M", 100, 100, 100, "SUCCESS", REFUNDED);
        Verdict wx = verify(CHANNELS.wechat()
                .refundNotification(
                        new RefundFacts(null, "P-M", "TXN-P-M", "RF-M", 100, 100, 100, "SUCCESS", REFUNDED),
                        NOW,
                        "101.226.103.7",
                        Forgery.NONE));
        assertThat(wx.kind).as(wx.toString()).isEqualTo(Verdict.Kind.MALFORMED);
        assertThat(wx.reason).contains("out_refund_no");

        Verdict ali = verify(CHANNELS.alipay().refundNotification(noRefundId, NOW, "110.75.130.9", Forgery.NONE));
        assertThat(ali.kind).as(ali.toString()).isEqualTo(Verdict.Kind.MALFORMED);
        assertThat(ali.reason).contains("out_biz_no");

        RefundFacts noPayment = new RefundFacts("RUP-M", "P-M", "", "RF-M", 100, 100, 100, "SUCCESS", REFUNDED);
        Verdict up = verify(CHANNELS.unionpay().refundNotification(noPayment, NOW, "101.231.204.1", Forgery.NONE));
        assertThat(up.kind).as(up.toString()).isEqualTo(Verdict.Kind.MALFORMED);
        assertThat(up.reason).contains("origQryId");
    }

    @Test
    void anUnsignedAlipayRefundIsMalformed() {
        assertThat(verifiers.verifyCallback(
                                ("{\"channel\":\"ALIPAY\",\"sourceAddress\":\"110.75.130.9\",\"receivedAt\":1,"
                                                + "\"headers\":{},\"body\":\"out_trade_no=P-1&out_biz_no=R-1&refund_fee=1.00\"}")
                                        .getBytes(StandardCharsets.UTF_8))
                        .kind)
                .as("no signature at all: unreadable")
                .isEqualTo(Verdict.Kind.MALFORMED);
    }

    private static void assertForgedRefund(Verdict v, String channel, String what) {
        assertThat(v.kind).as(what).isEqualTo(Verdict.Kind.REJECTED);
        assertThat(v.alertType).as(what).isEqualTo(Alert.FORGED_CALLBACK);
        assertThat(v.refund).as(what).isNull();
        assertThat(v.paymentId).as(what + ": nothing verified").isNull();
        assertThat(v.refundId).as(what + ": nothing verified").isNull();
        assertThat(v.claimedRefundId).as(what).isEqualTo("R-1");
        // UnionPay's refund form names the payment only by origQryId.
        assertThat(v.claimedPaymentId).as(what).isEqualTo(channel.equals("UNIONPAY") ? null : "P-1");
    }

    private CallbackEnvelope notify(String channel, Forgery f, String address) {
        RefundFacts facts = refund("R-1", "P-1", 100, 300);
        switch (channel) {
            case "WECHAT":
                return CHANNELS.wechat().refundNotification(facts, NOW, address, f);
            case "ALIPAY":
                return CHANNELS.alipay().refundNotification(facts, NOW, address, f);
            default:
                return CHANNELS.unionpay().refundNotification(facts, NOW, address, f);
        }
    }
}
