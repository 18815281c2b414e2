package io.paystream.functions.stock;

import static io.paystream.functions.testing.Fixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.functions.testing.Harnesses;
import io.paystream.functions.testing.OrderFixture;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.stock.AccountOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnpaidOrderRiskTest {
    private static final long T0 = 10_000_000L;
    private static final long WINDOW = Duration.ofMinutes(30).toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, AccountOrder, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new UnpaidOrderRisk(Duration.ofMillis(WINDOW), 3, 5)),
                a -> a.subject,
                Types.STRING);
        harness.open();
        harness.setProcessingTime(T0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldFlagAnAccountOnceWhenItsUnpaidOrdersGoAboveTheLimit() throws Exception {
        for (int i = 1; i <= 3; i++) {
            send(order(i).ofUser(7).at(T0 + i).version(i).fromIp("10.0.0." + i));
        }
        assertThat(alerts()).isEmpty();
        send(order(4).ofUser(7).at(T0 + 4).version(4).fromIp("10.0.0.4"));
        send(order(5).ofUser(7).at(T0 + 5).version(5).fromIp("10.0.0.5"));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.type).isEqualTo(Alert.SUSPICIOUS_ACCOUNT);
            assertThat(a.alertId).isEqualTo("SUSPICIOUS_ACCOUNT:user:7:4");
            assertThat(a.userId).isEqualTo(7L);
            assertThat(a.orderId).isEqualTo(4L);
            assertThat(a.reason).contains("4 unpaid orders", "limit 3");
        });
        // Two get paid (back to 3, the limit), then another unpaid one: a new episode.
        send(order(1).ofUser(7).paid().at(T0 + 1).version(6).fromIp("10.0.0.1"));
        send(order(2).ofUser(7).paid().at(T0 + 2).version(7).fromIp("10.0.0.2"));
        send(order(2).ofUser(7).paid().at(T0 + 2).version(7).fromIp("10.0.0.2")); // replayed
        send(order(6).ofUser(7).at(T0 + 6).version(8).fromIp("10.0.0.6"));
        assertThat(alerts())
                .extracting(a -> a.alertId)
                .containsExactly("SUSPICIOUS_ACCOUNT:user:7:4", "SUSPICIOUS_ACCOUNT:user:7:6");
    }

    @Test
    void shouldFlagAClientIpAcrossAccountsWithItsOwnLimit() throws Exception {
        for (int user = 1; user <= 6; user++) {
            send(order(user).ofUser(user).at(T0).version(user).fromIp("192.168.1.1"));
        }
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.alertId).isEqualTo("SUSPICIOUS_ACCOUNT:ip:192.168.1.1:6");
            assertThat(a.clientIp).isEqualTo("192.168.1.1");
            assertThat(a.userId).isNull();
        });
    }

    @Test
    void shouldCountOnlyOrdersCreatedWithinTheWindowAndForgetThemAfterIt() throws Exception {
        send(order(1).ofUser(7).at(T0 - WINDOW).version(1).fromIp("10.0.0.1")); // too old to count
        for (int i = 2; i <= 4; i++) {
            send(order(i).ofUser(7).at(T0 + i * 60_000L).version(i).fromIp("10.0.0." + i));
        }
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 2 * 60_000L + WINDOW); // order 2 leaves the window
        send(order(5).ofUser(7).at(T0 + 2 * 60_000L + WINDOW).version(5).fromIp("10.0.0.5"));
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(T0 + 3 * WINDOW);
        Harnesses.assertNothingLeft(harness);
    }

    private void send(OrderFixture order) throws Exception {
        RowChange<OrderRow> c = order.change();
        List<AccountOrder> subjects = new ArrayList<>();
        new AccountOrders().flatMap(c, new Collector<>() {
            @Override
            public void collect(AccountOrder record) {
                subjects.add(record);
            }

            @Override
            public void close() {}
        });
        for (AccountOrder a : subjects) {
            harness.processElement(a, T0);
        }
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }
}
