-- Order search as Flink SQL: the same sync as the order-search DataStream job, for people who
-- explore with the SQL client. README, "The same sync in Flink SQL", says where it differs from
-- the job (no external versions, retractions, three binlog readers, dead letters).
--
-- It runs on the catalog (sql/catalog.sql: the shop tables, the index table `order_documents`),
-- which is filled from the jobs' environment (PAYSTREAM_MYSQL_*, PAYSTREAM_ELASTICSEARCH_HOSTS):
--
--   deploy/sql-client [--endpoints .sandbox/endpoints.json] -f sql/order-search.sql
--   envsubst < sql/catalog.sql > /tmp/catalog.sql && sql-client.sh -i /tmp/catalog.sql -f sql/order-search.sql
--
-- It writes the index `orders-sql`, not the job's `orders` (the job owns that one, with external
-- versions a plain upsert would break). Create it from the template first
-- (deploy/elasticsearch/orders-template.json matches orders-*): the sink would otherwise let
-- Elasticsearch guess the mapping. On a cluster the INSERT is submitted and the client ends;
-- deploy/sql-client runs it on the Flink inside its own JVM and waits for it (Ctrl-C stops both).
--
-- The catalog's tables read live (snapshot, then binlog), which is what the sync wants; but the
-- sync runs for good, and two readers of a table with the same server ids push each other off
-- the binlog. So each read below names its own ids with an OPTIONS hint, within the catalog's
-- 5430-5459 and apart from the ids of the catalog's tables (5430-5445), which stay free for
-- exploring while the sync runs: orders 5446-5449, order_items 5450-5453, payments 5454-5457
-- (four each: parallelism up to 4). The hints also pin the startup mode and the changelog: the
-- explore scripts switch the tables to bounded, append-only reads with ALTER TABLE, and in a
-- session where one of them ran first the sync would otherwise inherit that.

SET 'pipeline.name' = 'order-search-sql';
SET 'execution.runtime-mode' = 'streaming';
SET 'execution.checkpointing.interval' = '2s';
SET 'parallelism.default' = '2';

-- Items and payments per order, with the derived fields. Epoch milliseconds from TIMESTAMP(3)
-- in UTC: whole seconds from UNIX_TIMESTAMP, plus the milliseconds.
CREATE TEMPORARY VIEW items_by_order AS
SELECT
  order_id,
  ARRAY_AGG(CAST(ROW(item_id, sku_id, quantity, CAST(unit_price AS STRING), CAST(CAST(quantity * unit_price AS DECIMAL(14, 2)) AS STRING))
                 AS ROW<itemId BIGINT, skuId BIGINT, quantity INT, unitPrice STRING, amount STRING>)) AS items,
  CAST(COUNT(*) AS INT) AS item_count,
  CAST(SUM(quantity) AS BIGINT) AS total_quantity,
  MAX(op_ts) AS op_ts
FROM order_items /*+ OPTIONS('server-id' = '5450-5453', 'scan.startup.mode' = 'initial', 'scan.read-changelog-as-append-only.enabled' = 'false') */
GROUP BY order_id;

CREATE TEMPORARY VIEW payments_by_order AS
SELECT
  order_id,
  ARRAY_AGG(CAST(ROW(payment_id, channel, CAST(amount AS STRING), status, channel_txn_id,
                     UNIX_TIMESTAMP(DATE_FORMAT(created_at, 'yyyy-MM-dd HH:mm:ss')) * 1000 + EXTRACT(MILLISECOND FROM created_at),
                     UNIX_TIMESTAMP(DATE_FORMAT(updated_at, 'yyyy-MM-dd HH:mm:ss')) * 1000 + EXTRACT(MILLISECOND FROM updated_at))
                 AS ROW<paymentId STRING, channel STRING, amount STRING, status STRING, channelTxnId STRING,
                        createdAt BIGINT, updatedAt BIGINT>)) AS payments,
  CASE
    WHEN SUM(CASE WHEN status = 'SUCCESS' THEN 1 ELSE 0 END) > 0 THEN 'PAID'
    WHEN SUM(CASE WHEN status = 'PAYING' THEN 1 ELSE 0 END) > 0 THEN 'PAYING'
    WHEN SUM(CASE WHEN status = 'CREATED' THEN 1 ELSE 0 END) > 0 THEN 'PENDING'
    ELSE 'FAILED'
  END AS payment_status,
  MIN(CASE WHEN status = 'SUCCESS' THEN updated_at END) AS paid_at,
  CAST(CAST(SUM(CASE WHEN status = 'SUCCESS' THEN amount ELSE 0 END) AS DECIMAL(14, 2)) AS STRING) AS paid_amount,
  MAX(op_ts) AS op_ts
FROM payments /*+ OPTIONS('server-id' = '5454-5457', 'scan.startup.mode' = 'initial', 'scan.read-changelog-as-append-only.enabled' = 'false') */
GROUP BY order_id;

INSERT INTO order_documents /*+ OPTIONS('index' = 'orders-sql') */
SELECT
  o.order_id,
  o.user_id,
  o.status,
  CAST(o.total_amount AS STRING),
  o.submit_hash,
  o.client_ip,
  UNIX_TIMESTAMP(DATE_FORMAT(o.created_at, 'yyyy-MM-dd HH:mm:ss')) * 1000 + EXTRACT(MILLISECOND FROM o.created_at),
  UNIX_TIMESTAMP(DATE_FORMAT(o.updated_at, 'yyyy-MM-dd HH:mm:ss')) * 1000 + EXTRACT(MILLISECOND FROM o.updated_at),
  i.items,
  p.payments,
  COALESCE(p.payment_status, 'NONE'),
  UNIX_TIMESTAMP(DATE_FORMAT(p.paid_at, 'yyyy-MM-dd HH:mm:ss')) * 1000 + EXTRACT(MILLISECOND FROM p.paid_at),
  COALESCE(p.paid_amount, '0.00'),
  COALESCE(i.item_count, 0),
  COALESCE(i.total_quantity, CAST(0 AS BIGINT)),
  -- The binlog time of the newest change of the three tables (0 for snapshot rows).
  UNIX_TIMESTAMP(CAST(GREATEST(o.op_ts, COALESCE(i.op_ts, o.op_ts), COALESCE(p.op_ts, o.op_ts)) AS STRING)) * 1000,
  -- the contract's orders have no number apart from their id
  CAST(NULL AS STRING),
  -- Refunds are the order-search job's alone (README, "The same sync in Flink SQL"): left out here.
  CAST(NULL AS ARRAY<ROW<refundId STRING, paymentId STRING, channel STRING, amount STRING, status STRING,
                         channelRefundId STRING, createdAt BIGINT, updatedAt BIGINT>>),
  CAST(NULL AS STRING)
FROM orders /*+ OPTIONS('server-id' = '5446-5449', 'scan.startup.mode' = 'initial', 'scan.read-changelog-as-append-only.enabled' = 'false') */ AS o
LEFT JOIN items_by_order AS i ON i.order_id = o.order_id
LEFT JOIN payments_by_order AS p ON p.order_id = o.order_id;
