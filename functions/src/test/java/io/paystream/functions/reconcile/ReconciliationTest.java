package io.paystream.functions.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.state.reconcile.BillLine;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.reconcile.BillOutcome;
import io.paystream.state.reconcile.ReconcileClass;
import io.paystream.state.reconcile.ReconcileFinding;
import io.paystream.state.reconcile.ShopSide;
import io.paystream.state.reconcile.ShopStatus;
import io.paystream.state.shop.PaymentChannel;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
    private static final long PAID_AT =
            OffsetDateTime.parse("2026-11-30T10:06:33+08:00").toInstant().toEpochMilli();

    private final Reconciliation rules = new Reconciliation(new LocalOnlyHold(LocalOnlyHold.DEFAULT_PENDING_DAYS));

    private static BillLine paid(String paymentId, long fen) {
        BillLine l = new BillLine();
        l.channel = PaymentChannel.WECHAT;
        l.billDate = "2026-11-30";
        l.kind = BillLineKind.PAYMENT;
        l.paymentId = paymentId;
        l.channelTxnId = "4200002166202611300000000002";
        l.amountFen = fen;
        l.settledFen = fen;
        l.tradeStatus = "SUCCESS";
        l.outcome = BillOutcome.SUCCESS;
        l.tradeTimeMs = PAID_AT;
        l.sourceFile = "wechat-all-2026-11-30.csv";
        l.lineNumber = 3;
        return l;
    }

    private static BillLine refunded(String paymentId, String refundId, long fen, BillOutcome outcome) {
        BillLine l = paid(paymentId, fen);
        l.kind = BillLineKind.REFUND;
        l.refundId = refundId;
        l.tradeStatus = "REFUND/" + outcome;
        l.outcome = outcome;
        return l;
    }

    private static ShopSide shop(String paymentId, long fen, ShopStatus status) {
        return ShopSide.payment(PaymentChannel.WECHAT, paymentId, fen, status, PAID_AT);
    }

    private ReconcileFinding classify(BillLine bill, ShopSide shop) {
        return rules.classify(bill, shop).orElseThrow();
    }

    @Test
    void billAndShopAgreeSoTheyMatch() {
        ReconcileFinding f = classify(paid("P-1", 12_345), shop("P-1", 12_345, ShopStatus.SUCCESS));

        assertThat(f.findingClass).isEqualTo(ReconcileClass.MATCHED);
        assertThat(f.id).isEqualTo("recon:WECHAT:PAYMENT:P-1:MATCHED");
        assertThat(f.billAmountFen).isEqualTo(12_345);
        assertThat(f.shopAmountFen).isEqualTo(12_345);
        assertThat(f.sourceFile + ":" + f.lineNumber).isEqualTo("wechat-all-2026-11-30.csv:3");
    }

    @Test
    void channelChargedWhatTheShopNeverSaw() {
        ReconcileFinding f = classify(paid("P-404", 500), null);

        assertThat(f.findingClass).isEqualTo(ReconcileClass.CHANNEL_ONLY);
        assertThat(f.shopRowExists()).isFalse();
        assertThat(f.shopAmountFen).isNull();
        assertThat(f.billStatus).isEqualTo("SUCCESS");
        assertThat(f.channelTxnId).isEqualTo("4200002166202611300000000002");
    }

    @Test
    void channelChargedWhileTheShopStillWaitsSoTheBusinessCanBeRenotified() {
        ReconcileFinding f = classify(paid("P-2", 500), shop("P-2", 500, ShopStatus.IN_PROGRESS));

        assertThat(f.findingClass).isEqualTo(ReconcileClass.CHANNEL_ONLY);
        assertThat(f.shopRowExists()).isTrue();
        assertThat(f.shopStatus).isEqualTo(ShopStatus.IN_PROGRESS);
        assertThat(classify(paid("P-2", 500), shop("P-2", 500, ShopStatus.CREATED)).findingClass)
                .isEqualTo(ReconcileClass.CHANNEL_ONLY);
    }

    @Test
    void billSaysPaidWhereTheShopClosedOrFailedIt() {
        assertThat(classify(paid("P-3", 500), shop("P-3", 500, ShopStatus.CLOSED)).findingClass)
                .isEqualTo(ReconcileClass.STATUS_MISMATCH);
        assertThat(classify(paid("P-3", 500), shop("P-3", 500, ShopStatus.FAILED)).findingClass)
                .isEqualTo(ReconcileClass.STATUS_MISMATCH);
    }

    @Test
    void paymentRevokedOnTheBillButSuccessfulInTheShop() {
        BillLine revoked = paid("P-4", 500);
        revoked.outcome = BillOutcome.NOT_SUCCESS;
        revoked.tradeStatus = "REVOKED";

        assertThat(classify(revoked, shop("P-4", 500, ShopStatus.SUCCESS)).findingClass)
                .isEqualTo(ReconcileClass.STATUS_MISMATCH);
        assertThat(classify(revoked, shop("P-4", 500, ShopStatus.CLOSED)).findingClass)
                .as("both say the money did not stay")
                .isEqualTo(ReconcileClass.MATCHED);
    }

    @Test
    void amountsThatDifferByOneFenAreAMismatch() {
        ReconcileFinding f = classify(paid("P-5", 10_000), shop("P-5", 9_999, ShopStatus.SUCCESS));

        assertThat(f.findingClass).isEqualTo(ReconcileClass.AMOUNT_MISMATCH);
        assertThat(f.id).isEqualTo("recon:WECHAT:PAYMENT:P-5:AMOUNT_MISMATCH");
    }

    @Test
    void successMissingFromTheBillIsLocalOnlyAndPending() {
        ReconcileFinding f = classify(null, shop("P-6", 700, ShopStatus.SUCCESS));

        assertThat(f.findingClass).isEqualTo(ReconcileClass.LOCAL_ONLY);
        assertThat(f.id).isEqualTo("recon:WECHAT:PAYMENT:P-6:LOCAL_ONLY");
        assertThat(f.billAmountFen).isNull();
        assertThat(f.billDate).isNull();
        assertThat(f.alertableAt)
                .isEqualTo(OffsetDateTime.parse("2026-12-04T00:00+08:00")
                        .toInstant()
                        .toEpochMilli());
    }

    @Test
    void aShopRecordThatNeverSucceededAndIsNotOnTheBillIsNothingToReconcile() {
        assertThat(rules.classify(null, shop("P-7", 700, ShopStatus.CLOSED))).isEmpty();
        assertThat(rules.classify(null, shop("P-7", 700, ShopStatus.IN_PROGRESS)))
                .isEmpty();
        assertThatThrownBy(() -> rules.classify(null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refundAcceptedButUnfinishedOnTheBillMatchesTheShopsRefund() {
        BillLine accepted = refunded("P-8", "R-8", 100, BillOutcome.IN_PROGRESS);
        ShopSide success = ShopSide.refund(PaymentChannel.WECHAT, "P-8", "R-8", 100, ShopStatus.SUCCESS, PAID_AT);
        ShopSide refunding = ShopSide.refund(PaymentChannel.WECHAT, "P-8", "R-8", 100, ShopStatus.IN_PROGRESS, 0);

        ReconcileFinding f = classify(accepted, success);
        assertThat(f.findingClass).isEqualTo(ReconcileClass.MATCHED);
        assertThat(f.id).isEqualTo("recon:WECHAT:REFUND:R-8:MATCHED");
        assertThat(classify(accepted, refunding).findingClass).isEqualTo(ReconcileClass.MATCHED);
        assertThat(classify(refunded("P-8", "R-8", 100, BillOutcome.SUCCESS), refunding).findingClass)
                .as("refunded by the channel, still refunding in the shop")
                .isEqualTo(ReconcileClass.CHANNEL_ONLY);
    }

    @Test
    void channelRefundedWhatTheShopNeverAskedFor() {
        ReconcileFinding f = classify(refunded("P-9", "R-9", 100, BillOutcome.SUCCESS), null);

        assertThat(f.findingClass).isEqualTo(ReconcileClass.CHANNEL_ONLY);
        assertThat(f.refundId).isEqualTo("R-9");
        assertThat(f.paymentId).isEqualTo("P-9");
    }

    @Test
    void rereadingTheSameLineGivesTheSameFinding() {
        ShopSide shop = shop("P-10", 100, ShopStatus.SUCCESS);
        assertThat(classify(paid("P-10", 99), shop))
                .usingRecursiveComparison()
                .isEqualTo(classify(paid("P-10", 99), shop));
    }

    @Test
    void aPaymentAndItsRefundNamedAlikeDoNotShareAKey() {
        // Alipay: a refund requested without out_request_no is named by the payment's out_trade_no.
        assertThat(Reconciliation.key(PaymentChannel.ALIPAY, BillLineKind.PAYMENT, "P-11"))
                .isNotEqualTo(Reconciliation.key(PaymentChannel.ALIPAY, BillLineKind.REFUND, "P-11"));
        assertThat(Reconciliation.findingId(PaymentChannel.ALIPAY, BillLineKind.REFUND, "P-11", ReconcileClass.MATCHED))
                .isEqualTo("recon:ALIPAY:REFUND:P-11:MATCHED");
    }
}
