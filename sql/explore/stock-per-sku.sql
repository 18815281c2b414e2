-- Live stock per SKU, computed from the shop tables the way the stock-ledger job defines it
-- (docs/contract.md, "Redis keys"): a cross-check of the Redis hashes stock:{sku_id}.
--   total      inventory.stock
--   sold       units of paid orders (order PAID, or a payment of it SUCCESS); CANCELLED and
--              CLOSED orders release theirs, also after payment
--   reserved   units of live unpaid orders, where the SKU deducts on order (deduct_mode ORDER);
--              0 where it deducts on payment
--   available  total - reserved - sold (negative when oversold); oversold: max(0, sold - total)
-- A SKU ordered but without an inventory row counts as deduct-on-order with no stock, as in the
-- ledger. Where Redis differs: the ledger releases an unpaid order's reservation when it sends
-- CANCEL_UNPAID (order.pay-timeout after created_at), before the order system cancels the row;
-- and Redis lags the binlog by a second or two.

-- A run ends at what is there now (batch over bounded reads). To watch live instead, open
-- deploy/sql-client without -f, SET 'execution.runtime-mode' = 'streaming' and run the SELECT
-- without its ORDER BY: the tables of sql/catalog.sql read live.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';
ALTER TABLE orders SET ('scan.startup.mode' = 'snapshot', 'scan.read-changelog-as-append-only.enabled' = 'true');
ALTER TABLE order_items SET ('scan.startup.mode' = 'snapshot', 'scan.read-changelog-as-append-only.enabled' = 'true');
ALTER TABLE payments SET ('scan.startup.mode' = 'snapshot', 'scan.read-changelog-as-append-only.enabled' = 'true');
ALTER TABLE inventory SET ('scan.startup.mode' = 'snapshot', 'scan.read-changelog-as-append-only.enabled' = 'true');

SELECT sku_id, name, mode, total, reserved, sold, total - reserved - sold AS available,
       GREATEST(0, sold - total) AS oversold
FROM (
  SELECT
    COALESCE(inv.sku_id, h.sku_id) AS sku_id,
    inv.name,
    COALESCE(inv.deduct_mode, 'ORDER') AS mode,
    COALESCE(inv.stock, 0) AS total,
    CASE WHEN COALESCE(inv.deduct_mode, 'ORDER') = 'ORDER' THEN COALESCE(h.open_units, 0) ELSE 0 END AS reserved,
    COALESCE(h.sold_units, 0) AS sold
  FROM inventory AS inv
  FULL OUTER JOIN (
    -- units per SKU of open (live, unpaid) and of paid orders
    SELECT
      i.sku_id,
      CAST(SUM(CASE WHEN o.phase = 'OPEN' THEN i.quantity ELSE 0 END) AS INT) AS open_units,
      CAST(SUM(CASE WHEN o.phase = 'PAID' THEN i.quantity ELSE 0 END) AS INT) AS sold_units
    FROM order_items AS i
    JOIN (
      SELECT
        o.order_id,
        CASE
          WHEN o.status IN ('CANCELLED', 'CLOSED') THEN 'RELEASED'
          WHEN o.status = 'PAID' OR p.order_id IS NOT NULL THEN 'PAID'
          ELSE 'OPEN'
        END AS phase
      FROM orders AS o
      LEFT JOIN (SELECT DISTINCT order_id FROM payments WHERE status = 'SUCCESS') AS p ON p.order_id = o.order_id
    ) AS o ON o.order_id = i.order_id
    GROUP BY i.sku_id
  ) AS h ON h.sku_id = inv.sku_id
)
ORDER BY sku_id;
