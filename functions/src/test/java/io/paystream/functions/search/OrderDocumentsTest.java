package io.paystream.functions.search;

import static io.paystream.functions.search.Changes.T0;
import static io.paystream.functions.search.Changes.delete;
import static io.paystream.functions.search.Changes.itemRow;
import static io.paystream.functions.search.Changes.orderRow;
import static io.paystream.functions.search.Changes.paymentRow;
import static io.paystream.functions.search.Changes.refundRow;
import static io.paystream.functions.search.Changes.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.search.OrderDocument;
import io.paystream.state.search.OrderDocumentWrite;
import io.paystream.state.shop.OrderItemRow;
import io.paystream.state.shop.OrderRow;
import io.paystream.state.shop.OrderStatus;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import io.paystream.state.shop.RefundRowStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrderDocumentsTest {
    private static final long TOMBSTONE = 600_000L;
    private static final long ORPHANS = 3_600_000L;

    private KeyedBroadcastOperatorTestHarness<Long, ShopChange, String, OrderDocumentWrite> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.setProcessingTime(T0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldKeepChildrenThatArriveBeforeTheirOrderAndEmitOnceTheOrderExists() throws Exception {
        harness.processElement(upsert(itemRow(1, 7, 2, 1_250), 11), 0);
        harness.processElement(upsert(itemRow(2, 7, 1, 4_600), 12), 0);
        harness.processElement(upsert(paymentRow("P7", 7, PaymentStatus.PAYING, 7_100, T0 + 13_000), 13), 0);
        assertThat(writes()).as("no document without its order").isEmpty();

        harness.processElement(upsert(orderRow(7, OrderStatus.CREATED, T0 + 10_000), 10), 0);
        OrderDocumentWrite w = single();
        assertThat(w.version).as("newest version merged, not the order row's").isEqualTo(13);
        OrderDocument d = w.document;
        assertThat(d.orderId).isEqualTo(7);
        assertThat(d.totalAmount).isEqualTo("71.00");
        assertThat(d.items)
                .extracting(i -> i.itemId + ":" + i.quantity + "x" + i.unitPrice + "=" + i.amount)
                .containsExactly("1:2x12.50=25.00", "2:1x46.00=46.00");
        assertThat(d.itemCount).isEqualTo(2);
        assertThat(d.totalQuantity).isEqualTo(3);
        assertThat(d.payments).extracting(p -> p.paymentId + ":" + p.status).containsExactly("P7:PAYING");
        assertThat(d.paymentStatus).isEqualTo(OrderDocument.PAYMENT_PAYING);
        assertThat(d.paidAt).isNull();
        assertThat(d.paidAmount).isEqualTo("0.00");
        assertThat(d.lastChangeAt).as("commit second of the newest change").isEqualTo(T0 + 13_000);
        assertThat(harness.numProcessingTimeTimers())
                .as("the orphan timer is gone once the order came")
                .isZero();
    }

    @Test
    void shouldDeriveThePaymentStateFromAllPayments() throws Exception {
        harness.processElement(upsert(orderRow(7, OrderStatus.CREATED, T0), 1), 0);
        assertThat(last().paymentStatus).isEqualTo(OrderDocument.PAYMENT_NONE);
        harness.processElement(upsert(paymentRow("A", 7, PaymentStatus.CREATED, 7_100, T0 + 1_000), 2), 0);
        assertThat(last().paymentStatus).isEqualTo(OrderDocument.PAYMENT_PENDING);
        harness.processElement(upsert(paymentRow("A", 7, PaymentStatus.FAILED, 7_100, T0 + 2_000), 3), 0);
        assertThat(last().paymentStatus).isEqualTo(OrderDocument.PAYMENT_FAILED);
        harness.processElement(upsert(paymentRow("B", 7, PaymentStatus.PAYING, 7_100, T0 + 3_000), 4), 0);
        assertThat(last().paymentStatus).isEqualTo(OrderDocument.PAYMENT_PAYING);
        harness.processElement(upsert(paymentRow("B", 7, PaymentStatus.SUCCESS, 5_000, T0 + 5_500), 5), 0);
        harness.processElement(upsert(paymentRow("C", 7, PaymentStatus.SUCCESS, 2_100, T0 + 4_400), 6), 0);
        OrderDocument d = last();
        assertThat(d.paymentStatus).isEqualTo(OrderDocument.PAYMENT_PAID);
        assertThat(d.paidAt).as("the first success").isEqualTo(T0 + 4_400);
        assertThat(d.paidAmount).isEqualTo("71.00");
        assertThat(d.payments).extracting(p -> p.paymentId).containsExactly("A", "B", "C");
    }

    @Test
    void shouldListTheOrdersRefundsAndAddUpTheSuccessfulOnes() throws Exception {
        harness.processElement(upsert(orderRow(7, OrderStatus.PAID, T0), 1), 0);
        harness.processElement(upsert(paymentRow("A", 7, PaymentStatus.SUCCESS, 7_100, T0), 2), 0);
        harness.processElement(upsert(refundRow("R2", "A", 7, RefundRowStatus.REFUNDING, 1_000), 3), 0);
        assertThat(last().refundedAmount).as("nothing refunded yet").isEqualTo("0.00");
        harness.processElement(upsert(refundRow("R2", "A", 7, RefundRowStatus.SUCCESS, 1_000), 4), 0);
        harness.processElement(upsert(refundRow("R1", "A", 7, RefundRowStatus.SUCCESS, 2_550), 5), 0);
        harness.processElement(upsert(refundRow("R3", "A", 7, RefundRowStatus.FAILED, 500), 6), 0);
        OrderDocument d = last();
        assertThat(d.refunds)
                .extracting(r -> r.refundId + " " + r.status + " " + r.amount)
                .containsExactly("R1 SUCCESS 25.50", "R2 SUCCESS 10.00", "R3 FAILED 5.00");
        assertThat(d.refundedAmount).isEqualTo("35.50");
        assertThat(d.paidAmount).as("what was paid stays what was paid").isEqualTo("71.00");

        harness.processElement(delete(refundRow("R1", "A", 7, RefundRowStatus.SUCCESS, 2_550), 7), 0);
        assertThat(last().refunds).extracting(r -> r.refundId).containsExactly("R2", "R3");
        assertThat(last().refundedAmount).isEqualTo("10.00");
    }

    @Test
    void shouldRemoveDeletedItemsAndPaymentsFromTheDocument() throws Exception {
        OrderItemRow item = itemRow(1, 7, 2, 1_000);
        PaymentRow payment = paymentRow("A", 7, PaymentStatus.SUCCESS, 2_000, T0);
        harness.processElement(upsert(orderRow(7, OrderStatus.PAID, T0), 1), 0);
        harness.processElement(upsert(item, 2), 0);
        harness.processElement(upsert(payment, 3), 0);
        harness.processElement(delete(item, 4), 0);
        harness.processElement(delete(payment, 5), 0);
        OrderDocumentWrite w = writes().get(writes().size() - 1);
        assertThat(w.version).isEqualTo(5);
        assertThat(w.document.items).isEmpty();
        assertThat(w.document.payments).isEmpty();
        assertThat(w.document.itemCount).isZero();
        assertThat(w.document.paymentStatus).isEqualTo(OrderDocument.PAYMENT_NONE);
    }

    @Test
    void shouldDeleteTheDocumentAndKeepATombstoneThatLateRowsCannotResurrect() throws Exception {
        OrderRow order = orderRow(7, OrderStatus.CREATED, T0);
        OrderItemRow item = itemRow(1, 7, 1, 500);
        harness.processElement(upsert(order, 1), 0);
        harness.processElement(upsert(item, 2), 0);
        harness.processElement(delete(order, 5), 0);
        OrderDocumentWrite del = writes().get(writes().size() - 1);
        assertThat(del.isDelete()).isTrue();
        assertThat(del.version).isEqualTo(5);
        int before = writes().size();

        // The item's deletion of the same transaction arrives after the order's (another table's
        // stream), an older order row is replayed, a late item shows up: none brings it back.
        harness.processElement(delete(item, 4), 0);
        harness.processElement(upsert(order, 1), 0);
        harness.processElement(upsert(itemRow(3, 7, 1, 100), 6), 0);
        assertThat(writes()).hasSize(before);

        harness.setProcessingTime(T0 + TOMBSTONE);
        assertNothingLeft();
    }

    @Test
    void shouldRebuildAnOrderReinsertedDuringItsTombstoneWithTheChildrenStillThere() throws Exception {
        OrderRow order = orderRow(7, OrderStatus.CREATED, T0);
        harness.processElement(upsert(order, 1), 0);
        harness.processElement(upsert(itemRow(1, 7, 1, 500), 2), 0);
        harness.processElement(delete(order, 3), 0);
        harness.processElement(upsert(orderRow(7, OrderStatus.PAID, T0 + 9_000), 9), 0);
        OrderDocumentWrite w = writes().get(writes().size() - 1);
        assertThat(w.version).isEqualTo(9);
        assertThat(w.document.status).isEqualTo("PAID");
        assertThat(w.document.items).extracting(i -> i.itemId).containsExactly(1L);
        harness.setProcessingTime(T0 + TOMBSTONE * 2);
        assertThat(numKeyedStateEntries()).as("a live order keeps its state").isPositive();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void shouldDropChildrenWhoseOrderNeverComesAfterTheOrphanRetention() throws Exception {
        harness.processElement(upsert(itemRow(1, 8, 1, 500), 2), 0);
        harness.processElement(upsert(paymentRow("X", 8, PaymentStatus.CREATED, 500, T0), 3), 0);
        harness.setProcessingTime(T0 + ORPHANS - 1);
        assertThat(numKeyedStateEntries()).isPositive();
        harness.setProcessingTime(T0 + ORPHANS);
        assertThat(writes()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldKeepNoStateForTheLateDeletionOfAChildOfAForgottenOrder() throws Exception {
        harness.processElement(delete(itemRow(1, 9, 1, 500), 2), 0);
        harness.processElement(delete(paymentRow("X", 9, PaymentStatus.CREATED, 500, T0), 3), 0);
        assertThat(writes()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void shouldIgnoreAReplayedOrderRow() throws Exception {
        ShopChange created = upsert(orderRow(7, OrderStatus.CREATED, T0), 1);
        harness.processElement(created, 0);
        harness.processElement(upsert(orderRow(7, OrderStatus.PAID, T0 + 1_000), 2), 0);
        harness.processElement(created, 0);
        assertThat(writes()).hasSize(2);
        assertThat(last().status).isEqualTo("PAID");
    }

    @Test
    void shouldVersionDocumentsOfSnapshotRowsBelowEveryBinlogChange() throws Exception {
        harness.processElement(upsert(orderRow(7, OrderStatus.CREATED, T0 + 500), 0), 0);
        harness.processElement(upsert(itemRow(1, 7, 1, 500), 0), 0);
        assertThat(writes()).extracting(w -> w.version).containsExactly(0L, 0L);
        assertThat(last().items).hasSize(1);
        assertThat(last().lastChangeAt)
                .as("snapshot rows: the order's own updated_at")
                .isEqualTo(T0 + 500);
        harness.processElement(upsert(itemRow(1, 7, 4, 500), 77), 0);
        assertThat(writes().get(2).version).isEqualTo(77);
    }

    @Test
    void shouldMoveAnItemToItsNewOrder() throws Exception {
        OrderItemRow before = itemRow(1, 7, 1, 500);
        OrderItemRow after = itemRow(1, 8, 1, 500);
        harness.processElement(upsert(orderRow(7, OrderStatus.CREATED, T0), 1), 0);
        harness.processElement(upsert(orderRow(8, OrderStatus.CREATED, T0), 2), 0);
        harness.processElement(upsert(before, 3), 0);
        List<ShopChange> split = new ArrayList<>();
        ByOrder.items()
                .flatMap(new RowChange<>(ChangeOp.UPDATE, before, after, T0 + 4_000, 4), new ListCollector<>(split));
        for (ShopChange c : split) {
            harness.processElement(c, 0);
        }
        Map<Long, OrderDocumentWrite> lastByOrder = new HashMap<>();
        writes().forEach(w -> lastByOrder.put(w.orderId, w));
        assertThat(lastByOrder.get(7L).document.items).isEmpty();
        assertThat(lastByOrder.get(8L).document.items).extracting(i -> i.itemId).containsExactly(1L);
        assertThat(lastByOrder.get(7L).version).isEqualTo(4);
        assertThat(lastByOrder.get(8L).version).isEqualTo(4);
    }

    @Test
    void shouldKeepTheRowsAcrossASnapshotAndRestore() throws Exception {
        harness.processElement(upsert(itemRow(1, 7, 2, 500), 1), 0);
        harness.processElement(upsert(orderRow(7, OrderStatus.CREATED, T0), 2), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0);
        harness.close();

        harness = newHarness();
        harness.setProcessingTime(T0);
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(upsert(paymentRow("A", 7, PaymentStatus.SUCCESS, 1_000, T0 + 3_000), 3), 0);
        OrderDocument d = single().document;
        assertThat(d.items).extracting(i -> i.itemId).containsExactly(1L);
        assertThat(d.paymentStatus).isEqualTo(OrderDocument.PAYMENT_PAID);
    }

    /**
     * Any interleaving of the three tables' changes (each row's own changes in binlog order) leaves
     * an index that applies writes by external version (greater or equal wins) with the same
     * document as the binlog order does.
     */
    @Test
    void shouldLeaveTheSameDocumentWhateverOrderTheTablesArriveIn() throws Exception {
        for (boolean deletedAtTheEnd : new boolean[] {false, true}) {
            List<Deque<ShopChange>> rows = history(deletedAtTheEnd);
            Map<Long, Indexed> expected = indexAfter(inBinlogOrder(rows));
            assertThat(expected.get(7L).deleted).isEqualTo(deletedAtTheEnd);
            Random random = new Random(20261127L);
            for (int run = 0; run < 300; run++) {
                List<ShopChange> shuffled = interleave(rows, random);
                assertThat(indexAfter(shuffled)).as("interleaving %s", shuffled).isEqualTo(expected);
            }
        }
    }

    private static List<Deque<ShopChange>> history(boolean deletedAtTheEnd) {
        OrderRow order = orderRow(7, OrderStatus.CREATED, T0 + 3_000);
        OrderItemRow item1 = itemRow(1, 7, 1, 1_000);
        OrderItemRow item2 = itemRow(2, 7, 5, 200);
        PaymentRow a = paymentRow("A", 7, PaymentStatus.PAYING, 7_100, T0 + 4_000);
        PaymentRow b = paymentRow("B", 7, PaymentStatus.CREATED, 7_100, T0 + 6_000);
        List<Deque<ShopChange>> rows = new ArrayList<>();
        Deque<ShopChange> orderChanges =
                new ArrayDeque<>(List.of(upsert(order, 3), upsert(orderRow(7, OrderStatus.PAID, T0 + 9_000), 9)));
        if (deletedAtTheEnd) {
            orderChanges.add(delete(orderRow(7, OrderStatus.PAID, T0 + 9_000), 11));
            rows.add(new ArrayDeque<>(List.of(upsert(itemRow(3, 7, 1, 100), 12))));
        }
        rows.add(orderChanges);
        rows.add(new ArrayDeque<>(List.of(upsert(item1, 1), upsert(itemRow(1, 7, 3, 1_000), 5))));
        rows.add(new ArrayDeque<>(List.of(upsert(item2, 2), delete(item2, 8))));
        rows.add(new ArrayDeque<>(
                List.of(upsert(a, 4), upsert(paymentRow("A", 7, PaymentStatus.SUCCESS, 7_100, T0 + 7_000), 7))));
        rows.add(new ArrayDeque<>(List.of(upsert(b, 6), delete(b, 10))));
        return rows;
    }

    private static List<ShopChange> inBinlogOrder(List<Deque<ShopChange>> rows) {
        List<ShopChange> all = new ArrayList<>();
        rows.forEach(all::addAll);
        all.sort(java.util.Comparator.comparingLong(OrderDocumentsTest::version));
        return all;
    }

    private static List<ShopChange> interleave(List<Deque<ShopChange>> rows, Random random) {
        List<Deque<ShopChange>> left = new ArrayList<>();
        rows.forEach(r -> left.add(new ArrayDeque<>(r)));
        List<ShopChange> out = new ArrayList<>();
        while (!left.isEmpty()) {
            int i = random.nextInt(left.size());
            out.add(left.get(i).poll());
            if (left.get(i).isEmpty()) {
                left.remove(i);
            }
        }
        return out;
    }

    // --- the initial snapshot: each order's document written once --------------------------------------

    @Test
    void aSnapshotOrderIsWrittenOnceWithAllItsRowsWhenTheSnapshotEnds() throws Exception {
        harness.close();
        harness = newHarness(List.of("shop"));
        harness.setProcessingTime(T0);
        harness.open();
        // Flink CDC reads table after table: items, then orders, then payments (version 0: snapshot).
        harness.processElement(upsert(itemRow(1, 7, 2, 1_250), 0), 0);
        harness.processElement(upsert(itemRow(2, 7, 1, 4_600), 0), 0);
        harness.processElement(upsert(orderRow(7, OrderStatus.CREATED, T0 + 10_000), 0), 0);
        harness.processElement(upsert(orderRow(8, OrderStatus.CREATED, T0 + 11_000), 0), 0);
        harness.processElement(upsert(paymentRow("P7", 7, PaymentStatus.PAYING, 7_100, T0 + 13_000), 0), 0);
        assertThat(writes()).as("nothing written while the snapshot goes on").isEmpty();
        assertThat(harness.numProcessingTimeTimers())
                .as("no orphan timer for items whose order came")
                .isZero();

        harness.processBroadcastElement("shop", 0);

        assertThat(writes()).extracting(w -> w.orderId).containsExactlyInAnyOrder(7L, 8L);
        OrderDocument seven =
                writes().stream().filter(w -> w.orderId == 7).findFirst().orElseThrow().document;
        assertThat(seven.items).hasSize(2);
        assertThat(seven.payments).extracting(p -> p.paymentId).containsExactly("P7");
        assertThat(seven.lastChangeAt).isEqualTo(T0 + 13_000);
    }

    @Test
    void aBinlogChangeAfterTheSnapshotIsWrittenAtOnceAndTheEndAnnouncedAgainWritesNothing() throws Exception {
        harness.close();
        harness = newHarness(List.of("shop"));
        harness.setProcessingTime(T0);
        harness.open();
        harness.processElement(upsert(orderRow(7, OrderStatus.CREATED, T0), 0), 0);
        harness.processBroadcastElement("shop", 0);
        assertThat(writes()).hasSize(1);

        harness.processElement(upsert(orderRow(7, OrderStatus.PAID, T0 + 9_000), 9), 0);
        assertThat(writes()).hasSize(2);
        assertThat(last().status).isEqualTo("PAID");

        // A restarted binlog reader announces the end again: nothing is written twice.
        harness.processBroadcastElement("shop", 0);
        assertThat(writes()).hasSize(2);
    }

    @Test
    void heldDocumentsWaitForEveryServersSnapshotAndSurviveARestore() throws Exception {
        harness.close();
        harness = newHarness(List.of("orders-db", "payment-center"));
        harness.setProcessingTime(T0);
        harness.open();
        harness.processElement(upsert(orderRow(7, OrderStatus.CREATED, T0), 0), 0);
        harness.processBroadcastElement("orders-db", 0);
        assertThat(writes()).as("the payment center is still in its snapshot").isEmpty();

        OperatorSubtaskState snapshot = harness.snapshot(1L, T0);
        harness.close();
        harness = newHarness(List.of("orders-db", "payment-center"));
        harness.setProcessingTime(T0);
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(upsert(paymentRow("P7", 7, PaymentStatus.SUCCESS, 7_100, T0 + 5_000), 0), 0);
        assertThat(writes()).isEmpty();

        harness.processBroadcastElement("payment-center", 0);
        OrderDocumentWrite w = single();
        assertThat(w.document.payments).extracting(p -> p.paymentId).containsExactly("P7");
    }

    @Test
    void aBinlogChangeWhileAnotherServerIsStillInItsSnapshotIsWrittenAndTheDocumentHeldAgainAfter() throws Exception {
        harness.close();
        harness = newHarness(List.of("orders-db", "payment-center"));
        harness.setProcessingTime(T0);
        harness.open();
        harness.processElement(upsert(orderRow(7, OrderStatus.CREATED, T0), 0), 0);
        harness.processBroadcastElement("orders-db", 0);
        harness.processElement(upsert(orderRow(7, OrderStatus.PAID, T0 + 9_000), 9), 0);
        assertThat(writes()).as("a binlog change is never held").hasSize(1);

        harness.processElement(upsert(paymentRow("P7", 7, PaymentStatus.SUCCESS, 7_100, T0 + 5_000), 0), 0);
        assertThat(writes()).hasSize(1);
        harness.processBroadcastElement("payment-center", 0);
        assertThat(writes()).hasSize(2);
        assertThat(last().payments).extracting(p -> p.paymentId).containsExactly("P7");
        assertThat(last().status).isEqualTo("PAID");
    }

    /** Runs the changes through a fresh function and applies its writes as Elasticsearch would (EXTERNAL_GTE). */
    private static Map<Long, Indexed> indexAfter(List<ShopChange> changes) throws Exception {
        try (var h = newHarness()) {
            h.setProcessingTime(T0);
            h.open();
            for (ShopChange c : changes) {
                h.processElement(c, 0);
            }
            Map<Long, Indexed> index = new HashMap<>();
            for (OrderDocumentWrite w : h.extractOutputValues()) {
                Indexed current = index.get(w.orderId);
                if (current == null || w.version >= current.version) {
                    index.put(w.orderId, new Indexed(w.version, w.isDelete(), w.document));
                }
            }
            // What a reader sees: a deleted document has no version to compare.
            index.replaceAll((id, i) -> i.deleted ? new Indexed(-1, true, null) : i);
            return index;
        }
    }

    private record Indexed(long version, boolean deleted, OrderDocument document) {}

    private static long version(ShopChange c) {
        return c.order != null
                ? c.order.version
                : c.item != null ? c.item.version : c.payment != null ? c.payment.version : c.refund.version;
    }

    private void assertNothingLeft() {
        assertThat(numKeyedStateEntries()).as("keyed state entries").isZero();
        assertThat(harness.numProcessingTimeTimers()).as("timers").isZero();
    }

    private List<OrderDocumentWrite> writes() {
        return harness.extractOutputValues();
    }

    private OrderDocumentWrite single() {
        assertThat(writes()).hasSize(1);
        return writes().get(0);
    }

    private OrderDocument last() {
        List<OrderDocumentWrite> w = writes();
        return w.get(w.size() - 1).document;
    }

    private static KeyedBroadcastOperatorTestHarness<Long, ShopChange, String, OrderDocumentWrite> newHarness()
            throws Exception {
        return newHarness(List.of());
    }

    /** The join as the job wires it, holding snapshot documents until each of {@code servers} ended its snapshot. */
    private static KeyedBroadcastOperatorTestHarness<Long, ShopChange, String, OrderDocumentWrite> newHarness(
            List<String> servers) throws Exception {
        OrderDocuments fn = new OrderDocuments(Duration.ofMillis(TOMBSTONE), Duration.ofMillis(ORPHANS), servers);
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(fn, List.of(OrderDocuments.SNAPSHOT_ENDED)),
                ByOrder.KEY,
                Types.LONG,
                1,
                1,
                0);
    }

    private long numKeyedStateEntries() {
        var backend = (org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>)
                harness.getOperator().getKeyedStateBackend();
        return backend.numKeyValueStateEntries();
    }
}
