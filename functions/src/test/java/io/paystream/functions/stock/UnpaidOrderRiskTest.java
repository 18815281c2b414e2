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
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
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
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(T0);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AccountOrder, Alert> newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new UnpaidOrderRisk(Duration.ofMillis(WINDOW), 3, 5)),
                a -> a.subject,
                Types.STRING);
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

    /**
     * StockLedgerIT's intermittent failure (issue 12), deterministically. User 500 creates orders
     * 500..503, one after the other, unpaid (limit 3). Usually the job has finished its snapshot
     * of {@code orders} before they exist and reads them live from the binlog, in commit order:
     * 503 crosses the limit. Sometimes the injected failure fires during the snapshot (the trigger
     * line is already in the snapshot of {@code order_items}, read before {@code orders}): the job
     * restores from a checkpoint taken before the snapshot of {@code orders} and, after the
     * restart, reads that table with the four orders in it, as snapshot rows. Flink CDC emits a
     * snapshot chunk's rows in the iteration order of a HashMap keyed by the primary key's Struct
     * (SnapshotSplitReader#pollWithBuffer), whose hash varies with the JVM (the identity hash of
     * Kafka Connect's Schema.Type): here 501, 500, 503, 502, an order seen for the IT's very rows.
     * The alert must be the one the live read gives.
     */
    @Test
    void shouldNameTheSameOrderWhenARestoreReadsTheOrdersInTheSnapshotInsteadOfTheBinlog() throws Exception {
        long user = 500;
        OrderFixture first = order(500).ofUser(user).at(T0 + 1).fromIp("10.5.0.1");
        OrderFixture second = order(501).ofUser(user).at(T0 + 2).fromIp("10.5.0.2");
        OrderFixture third = order(502).ofUser(user).at(T0 + 3).fromIp("10.5.0.3");
        OrderFixture fourth = order(503).ofUser(user).at(T0 + 4).fromIp("10.5.0.4");
        OrderFixture earlierCustomer = order(1).ofUser(1).at(T0 - 60_000).fromIp("10.1.0.1");

        // The usual run: the snapshot read before the orders existed, the orders live from the binlog.
        send(earlierCustomer.version(0));
        send(first.version(101));
        send(second.version(102));
        send(third.version(103));
        send(fourth.version(104));
        assertThat(alerts()).extracting(a -> a.alertId).containsExactly("SUSPICIOUS_ACCOUNT:user:500:503");

        // The other run: a checkpoint during the snapshot, a failure, the restore, and the orders
        // read after it, in the snapshot's order.
        harness.close();
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(T0);
        send(earlierCustomer.version(0));
        OperatorSubtaskState checkpointDuringTheSnapshot = harness.snapshot(1L, T0);
        harness.close();
        harness = newHarness();
        harness.setProcessingTime(T0 + 5);
        harness.initializeState(checkpointDuringTheSnapshot);
        harness.open();
        for (OrderFixture snapshotRow : List.of(second, first, fourth, third)) {
            send(snapshotRow.version(0));
        }
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.alertId).isEqualTo("SUSPICIOUS_ACCOUNT:user:500:503");
            assertThat(a.orderId).isEqualTo(503L);
            assertThat(a.userId).isEqualTo(user);
            assertThat(a.reason).contains("4 unpaid orders", "limit 3");
        });
        harness.setProcessingTime(T0 + 4 + WINDOW);
        Harnesses.assertNothingLeft(harness);
    }

    /** Whatever order a snapshot gives four unpaid orders in, the alert names the one created last. */
    @Test
    void shouldNameTheOrderThatCrossedTheLimitByCreationTimeInEveryArrivalOrder() throws Exception {
        List<OrderFixture> byCreation = List.of(
                order(14).ofUser(7).at(T0 + 1).fromIp("10.7.0.1"), // the lowest id created first
                order(11).ofUser(7).at(T0 + 2).fromIp("10.7.0.2"),
                order(13).ofUser(7).at(T0 + 3).fromIp("10.7.0.3"),
                order(12).ofUser(7).at(T0 + 3).fromIp("10.7.0.4")); // same millisecond as 13: the id decides
        for (List<OrderFixture> arrival : permutations(byCreation)) {
            harness.close();
            harness = newHarness();
            harness.open();
            harness.setProcessingTime(T0 + 4);
            for (OrderFixture snapshotRow : arrival) {
                send(snapshotRow.version(0));
            }
            assertThat(alerts())
                    .as(
                            "arrival order %s",
                            arrival.stream().map(f -> f.change().after.orderId).toList())
                    .extracting(a -> a.alertId)
                    .containsExactly("SUSPICIOUS_ACCOUNT:user:7:13");
        }
    }

    /**
     * Ranking by creation could name, in a later episode, an order an earlier alert named already
     * (an older order arriving late): the arriving order is named then, so no alert id repeats.
     */
    @Test
    void shouldNeverNameAnOrderTwiceWhenAnOlderOrderArrivesInALaterEpisode() throws Exception {
        for (int i = 2; i <= 5; i++) {
            send(order(i).ofUser(7).at(T0 + i).version(i).fromIp("10.0.0." + i));
        }
        send(order(3).ofUser(7).paid().at(T0 + 3).version(6).fromIp("10.0.0.3")); // back to the limit
        send(order(1).ofUser(7).at(T0 + 1).version(7).fromIp("10.0.0.1")); // created first, read last
        assertThat(alerts())
                .extracting(a -> a.alertId)
                .containsExactly("SUSPICIOUS_ACCOUNT:user:7:5", "SUSPICIOUS_ACCOUNT:user:7:1");
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> out = new ArrayList<>();
        for (T head : items) {
            List<T> rest = new ArrayList<>(items);
            rest.remove(head);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>(List.of(head));
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
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
