package io.paystream.sandbox.bills;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.RefundFacts;
import io.paystream.channels.bills.BillEntry;
import io.paystream.state.reconcile.BillCalendar;
import io.paystream.state.reconcile.BillLineKind;
import io.paystream.state.shop.PaymentChannel;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which bill day a channel's decision lands on. */
class ChannelBookTest {
    private static final Instant START = Instant.parse("2026-12-02T01:00:00Z");
    private final ChannelBook book = new ChannelBook(new BillCalendar(START, Duration.ofSeconds(60)));

    @Test
    void aPaymentBelongsToTheDayItWasPaidOn() {
        book.paid("WECHAT", "P1", "T1", 100, START);
        book.paid("WECHAT", "P2", "T2", 200, START.plusMillis(59_999));
        book.paid("WECHAT", "P3", "T3", 300, START.plusSeconds(60));
        book.paid("ALIPAY", "P4", "T4", 400, START.plusSeconds(130));

        assertThat(book.take(0, PaymentChannel.WECHAT))
                .extracting(BillEntry::paymentId)
                .containsExactly("P1", "P2");
        assertThat(book.take(1, PaymentChannel.WECHAT))
                .extracting(BillEntry::paymentId)
                .containsExactly("P3");
        assertThat(book.take(1, PaymentChannel.ALIPAY)).isEmpty();
        assertThat(book.take(2, PaymentChannel.ALIPAY)).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(BillLineKind.PAYMENT);
            assertThat(e.status()).isEqualTo("SUCCESS");
            assertThat(e.amountFen()).isEqualTo(400);
        });
    }

    @Test
    void aRefundBelongsToTheDayTheChannelDecidedItNotItsPaymentsDay() {
        book.paid("WECHAT", "P1", "T1", 100, START.plusSeconds(59));
        RefundFacts refund = new RefundFacts("R1-1", "P1", "T1", "RFR1-1", 40, 100, 40, "ABNORMAL", null);
        book.refundDecided("WECHAT", refund, START.plusSeconds(61));
        book.refundDecided(
                "ALIPAY",
                RefundFacts.succeeded("R2-1", "P2", "T2", 10, 10, START.plusSeconds(5)),
                START.plusSeconds(5));
        book.refundDecided(
                "ALIPAY",
                RefundFacts.succeeded("R3-1", "P3", "T3", 10, 10, null).withStatus("CLOSED"),
                START.plusSeconds(6));

        assertThat(book.take(0, PaymentChannel.WECHAT))
                .extracting(BillEntry::shopId)
                .containsExactly("P1");
        assertThat(book.take(1, PaymentChannel.WECHAT)).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(BillLineKind.REFUND);
            assertThat(e.refundId()).isEqualTo("R1-1");
            assertThat(e.paymentId()).isEqualTo("P1");
            assertThat(e.status()).as("as accepted, whatever came of it").isEqualTo("ABNORMAL");
            assertThat(e.channelRefundId()).isEqualTo("RFR1-1");
        });
        assertThat(book.take(0, PaymentChannel.ALIPAY))
                .as("Alipay's bill has completed refunds only")
                .extracting(BillEntry::shopId)
                .containsExactly("R2-1");
    }

    @Test
    void unionPayWritesNoBillAndADayIsTakenOnce() {
        book.paid("UNIONPAY", "P1", "T1", 100, START);
        book.closedUnpaid("UNIONPAY", "P2", null, 100, START);
        book.paid("WECHAT", "P3", "T3", 100, START);

        assertThat(book.take(0, PaymentChannel.UNIONPAY)).isEmpty();
        assertThat(book.takeUnpaid(PaymentChannel.UNIONPAY)).isNull();
        assertThat(book.take(0, PaymentChannel.WECHAT)).hasSize(1);
        book.dayTaken(0);
        assertThat(book.take(0, PaymentChannel.WECHAT)).isEmpty();

        book.paid("WECHAT", "P4", "T4", 100, START.plusSeconds(1));
        assertThat(book.late()).as("a decision for a day already written").isEqualTo(1);
        assertThat(book.take(0, PaymentChannel.WECHAT)).isEmpty();
    }

    @Test
    void unpaidPaymentsClosedOrFailedForGoodAreTakenOldestFirst() {
        book.closedUnpaid("ALIPAY", "P1", null, 100, START);
        book.failedForGood("ALIPAY", "P2", "T2", 200, START.plusSeconds(1));

        assertThat(book.takeUnpaid(PaymentChannel.ALIPAY))
                .isEqualTo(
                        new ChannelBook.Unpaid("P1", null, 100, START, io.paystream.state.shop.PaymentStatus.CLOSED));
        assertThat(book.takeUnpaid(PaymentChannel.ALIPAY))
                .isEqualTo(new ChannelBook.Unpaid(
                        "P2", "T2", 200, START.plusSeconds(1), io.paystream.state.shop.PaymentStatus.FAILED));
        assertThat(book.takeUnpaid(PaymentChannel.ALIPAY)).isNull();
    }
}
