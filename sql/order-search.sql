-- Order search as Flink SQL: the same sync as the order-search DataStream job, for people who
-- explore with the SQL client. README, "order-search", says how to run it and where it differs
-- from the job (no external versions, retractions, three binlog readers, dead letters).
--
-- Placeholders are filled from the environment before the client sees the file, so no secret is
-- written in it:
--   envsubst < sql/order-search.sql > /tmp/order-search.sql && sql-client.sh -f /tmp/order-search.sql
-- with MYSQL_HOSTNAME, MYSQL_PORT, MYSQL_DATABASE, MYSQL_USERNAME, PAYSTREAM_MYSQL_PASSWORD,
-- ELASTICSEARCH_HOSTS (e.g. http://localhost:9200) and SEARCH_INDEX (e.g. orders_sql) set.
-- Needs flink-sql-connector-mysql-cdc 3.5.0, flink-sql-connector-elasticsearch7 3.0.1-1.17 and
-- the MySQL JDBC driver in the client's lib/ (or ADD JAR).

SET 'pipeline.name' = 'order-search-sql';
SET 'execution.checkpointing.interval' = '2s';
SET 'table.local-time-zone' = 'UTC';
SET 'parallelism.default' = '2';

-- One binlog reader per table (the SQL connector reads one table per source): three replicas,
-- each with its own server-id range, within order-search's 5420-5429.
CREATE TEMPORARY TABLE orders (
  order_id      BIGINT,
  user_id       BIGINT,
  status        STRING,
  total_amount  DECIMAL(12, 2),
  submit_hash   STRING,
  client_ip     STRING,
  created_at    TIMESTAMP(3),
  updated_at    TIMESTAMP(3),
  op_ts         TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,
  PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
  'connector' = 'mysql-cdc',
  'hostname' = '${MYSQL_HOSTNAME}',
  'port' = '${MYSQL_PORT}',
  'username' = '${MYSQL_USERNAME}',
  'password' = '${PAYSTREAM_MYSQL_PASSWORD}',
  'database-name' = '${MYSQL_DATABASE}',
  'table-name' = 'orders',
  'server-id' = '5423-5424',
  'server-time-zone' = 'UTC'
);

CREATE TEMPORARY TABLE order_items (
  item_id     BIGINT,
  order_id    BIGINT,
  sku_id      BIGINT,
  quantity    INT,
  unit_price  DECIMAL(12, 2),
  op_ts       TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,
  PRIMARY KEY (item_id) NOT ENFORCED
) WITH (
  'connector' = 'mysql-cdc',
  'hostname' = '${MYSQL_HOSTNAME}',
  'port' = '${MYSQL_PORT}',
  'username' = '${MYSQL_USERNAME}',
  'password' = '${PAYSTREAM_MYSQL_PASSWORD}',
  'database-name' = '${MYSQL_DATABASE}',
  'table-name' = 'order_items',
  'server-id' = '5425-5426',
  'server-time-zone' = 'UTC'
);

CREATE TEMPORARY TABLE payments (
  payment_id      STRING,
  order_id        BIGINT,
  channel         STRING,
  amount          DECIMAL(12, 2),
  status          STRING,
  channel_txn_id  STRING,
  created_at      TIMESTAMP(3),
  updated_at      TIMESTAMP(3),
  op_ts           TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,
  PRIMARY KEY (payment_id) NOT ENFORCED
) WITH (
  'connector' = 'mysql-cdc',
  'hostname' = '${MYSQL_HOSTNAME}',
  'port' = '${MYSQL_PORT}',
  'username' = '${MYSQL_USERNAME}',
  'password' = '${PAYSTREAM_MYSQL_PASSWORD}',
  'database-name' = '${MYSQL_DATABASE}',
  'table-name' = 'payments',
  'server-id' = '5427-5428',
  'server-time-zone' = 'UTC'
);

-- The index of deploy/elasticsearch/orders-template.json (create it from the template first:
-- the SQL sink would otherwise let Elasticsearch guess the mapping). Upserts by order id.
CREATE TEMPORARY TABLE order_search (
  orderId        BIGINT,
  userId         BIGINT,
  status         STRING,
  totalAmount    STRING,
  submitHash     STRING,
  clientIp       STRING,
  createdAt      BIGINT,
  updatedAt      BIGINT,
  items          ARRAY<ROW<itemId BIGINT, skuId BIGINT, quantity INT, unitPrice STRING, amount STRING>>,
  payments       ARRAY<ROW<paymentId STRING, channel STRING, amount STRING, status STRING, channelTxnId STRING,
                           createdAt BIGINT, updatedAt BIGINT>>,
  paymentStatus  STRING,
  paidAt         BIGINT,
  paidAmount     STRING,
  itemCount      INT,
  totalQuantity  BIGINT,
  lastChangeAt   BIGINT,
  PRIMARY KEY (orderId) NOT ENFORCED
) WITH (
  'connector' = 'elasticsearch-7',
  'hosts' = '${ELASTICSEARCH_HOSTS}',
  'index' = '${SEARCH_INDEX}',
  'sink.bulk-flush.max-actions' = '1000',
  'sink.bulk-flush.interval' = '200ms',
  'sink.bulk-flush.backoff.strategy' = 'EXPONENTIAL',
  'sink.bulk-flush.backoff.max-retries' = '8',
  'sink.bulk-flush.backoff.delay' = '100ms',
  'json.encode.ignore-null-fields' = 'true'
);

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
FROM order_items
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
FROM payments
GROUP BY order_id;

INSERT INTO order_search
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
  UNIX_TIMESTAMP(CAST(GREATEST(o.op_ts, COALESCE(i.op_ts, o.op_ts), COALESCE(p.op_ts, o.op_ts)) AS STRING)) * 1000
FROM orders AS o
LEFT JOIN items_by_order AS i ON i.order_id = o.order_id
LEFT JOIN payments_by_order AS p ON p.order_id = o.order_id;
