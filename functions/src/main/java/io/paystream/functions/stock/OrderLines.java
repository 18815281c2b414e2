package io.paystream.functions.stock;

import io.paystream.state.stock.OrderLine;
import io.paystream.state.stock.OrderStockState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * An order's lines, kept in its {@link OrderStockState} (one state access reads the order and its
 * lines). Savepoints written before that kept them in the stage's "order-lines" map state, keyed by
 * item: an order restored from one has {@code lines} null, and its lines move into its state the
 * first time the order is touched (a row or a timer), leaving that map state empty for it. The
 * map state stays registered for as long as such savepoints may be restored.
 */
final class OrderLines {
    private final ValueState<OrderStockState> order;
    private final MapState<Long, OrderLine> olderSavepointLines;

    OrderLines(ValueState<OrderStockState> order, MapState<Long, OrderLine> olderSavepointLines) {
        this.order = order;
        this.olderSavepointLines = olderSavepointLines;
    }

    /**
     * The order's lines. After a move {@code s} is written as the caller holds it (a caller that
     * goes on changing it writes it again).
     */
    OrderLine[] of(OrderStockState s) throws Exception {
        if (s.lines == null) {
            s.lines = movedFromOlderSavepoint();
            // Written at once, not left to the caller: a caller that changes nothing (a replayed
            // row) does not write the state back, and the map state is already cleared.
            order.update(s);
        }
        return s.lines;
    }

    /** The line of this item, or null. */
    OrderLine find(OrderStockState s, long itemId) throws Exception {
        for (OrderLine l : of(s)) {
            if (l.itemId == itemId) {
                return l;
            }
        }
        return null;
    }

    /** Sets the line of its item: replaces the one there, else appends it. */
    void put(OrderStockState s, OrderLine line) throws Exception {
        OrderLine[] lines = of(s);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].itemId == line.itemId) {
                lines[i] = line;
                return;
            }
        }
        OrderLine[] more = Arrays.copyOf(lines, lines.length + 1);
        more[lines.length] = line;
        s.lines = more;
    }

    /** Whether the order has any line, a deleted one included. */
    boolean any(OrderStockState s) throws Exception {
        return of(s).length > 0;
    }

    /** The order is forgotten: with its state, whatever an older savepoint left of it in the map state. */
    void clear(OrderStockState s) throws Exception {
        if (s.lines == null) {
            olderSavepointLines.clear();
        }
        s.lines = OrderLine.NONE;
    }

    private OrderLine[] movedFromOlderSavepoint() throws Exception {
        Iterator<Map.Entry<Long, OrderLine>> entries = olderSavepointLines.iterator();
        if (!entries.hasNext()) {
            return OrderLine.NONE;
        }
        List<OrderLine> lines = new ArrayList<>();
        while (entries.hasNext()) {
            Map.Entry<Long, OrderLine> e = entries.next();
            OrderLine l = e.getValue();
            l.itemId = e.getKey(); // the map's key; the value did not carry it then
            lines.add(l);
        }
        olderSavepointLines.clear();
        return lines.toArray(OrderLine.NONE);
    }
}
