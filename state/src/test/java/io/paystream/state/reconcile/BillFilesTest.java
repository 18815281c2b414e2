package io.paystream.state.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.state.shop.PaymentChannel;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The bill files' names: as the channels write them and as the reconciliation job reads them. */
class BillFilesTest {
    @Test
    void namesAreTheChannelsEnumNameAndTheDate() {
        LocalDate day = LocalDate.of(2026, 12, 2);
        assertThat(BillFiles.name(PaymentChannel.WECHAT, day)).isEqualTo("WECHAT_2026-12-02.csv");
        assertThat(BillFiles.name(PaymentChannel.ALIPAY, day)).isEqualTo("ALIPAY_2026-12-02.zip");
        assertThat(BillFiles.hasBill(PaymentChannel.UNIONPAY)).isFalse();
        assertThatThrownBy(() -> BillFiles.name(PaymentChannel.UNIONPAY, day))
                .hasMessageContaining("UNIONPAY writes no bill");
    }

    @Test
    void aNameSaysItsChannelAndDayAsWritten() {
        LocalDate day = LocalDate.of(2026, 12, 2);
        for (PaymentChannel c : new PaymentChannel[] {PaymentChannel.WECHAT, PaymentChannel.ALIPAY}) {
            assertThat(BillFiles.parse(BillFiles.name(c, day)))
                    .contains(new BillFiles.BillFile(c, "2026-12-02", false));
            assertThat(BillFiles.parse(BillFiles.name(c, day) + ".gz"))
                    .contains(new BillFiles.BillFile(c, "2026-12-02", true));
        }
    }

    @Test
    void otherNamesAreNoBills() {
        assertThat(BillFiles.parse("UNIONPAY_2026-12-02.zip"))
                .as("no bill format")
                .isEmpty();
        assertThat(BillFiles.parse("PAYPAL_2026-12-02.csv")).as("no channel").isEmpty();
        assertThat(BillFiles.parse("WECHAT_2026-13-45.csv")).as("no date").isEmpty();
        assertThat(BillFiles.parse("WECHAT_2026-12-02.txt")).isEmpty();
        assertThat(BillFiles.parse("wechat_2026-12-02.csv")).isEmpty();
    }

    @Test
    void aChannelsSourceListsItsOwnCompleteBillsAndWhatLooksLikeThem() {
        assertThat(BillFiles.isBillOf(PaymentChannel.WECHAT, "WECHAT_2026-12-02.csv"))
                .isTrue();
        assertThat(BillFiles.isBillOf(PaymentChannel.WECHAT, "WECHAT_2026-12-02.csv.gz"))
                .isTrue();
        assertThat(BillFiles.isBillOf(PaymentChannel.ALIPAY, "WECHAT_2026-12-02.csv"))
                .isFalse();
        assertThat(BillFiles.isBillOf(PaymentChannel.WECHAT, ".WECHAT_2026-12-02.csv.tmp-1f"))
                .isFalse();
        assertThat(BillFiles.isBillOf(PaymentChannel.WECHAT, "_SUCCESS")).isFalse();
        assertThat(BillFiles.isBillOf(PaymentChannel.WECHAT, "WECHAT_2026-13-45.csv"))
                .as("listed, so that the reader rejects it as no bill's name")
                .isTrue();
    }
}
