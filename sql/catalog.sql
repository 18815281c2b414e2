-- paystream's catalog for the Flink SQL client: the shop tables (binlog, Flink CDC), every Kafka
-- topic of docs/contract.md and the Elasticsearch index. Run it as the client's init script:
--
--   deploy/sql-client [--endpoints .sandbox/endpoints.json] [-f sql/explore/<query>.sql]
--   envsubst < sql/catalog.sql > /tmp/catalog.sql && sql-client.sh -i /tmp/catalog.sql [-f sql/explore/<query>.sql]
--
-- Where things are and who connects is filled in from the same environment variables the jobs
-- read (README, "Configuration"): PAYSTREAM_MYSQL_HOSTNAME, PAYSTREAM_MYSQL_PORT,
-- PAYSTREAM_MYSQL_DATABASE, PAYSTREAM_MYSQL_USERNAME, PAYSTREAM_MYSQL_PASSWORD,
-- PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS and PAYSTREAM_ELASTICSEARCH_HOSTS (one URL for envsubst;
-- deploy/sql-client turns the jobs' commas into the connector's semicolons). Names the contract
-- fixes (the topics, the index `orders`) are written out: edit them here if your jobs use other
-- `kafka.topic.*` or `search.index` settings.
--
-- The tables read live: the CDC tables their snapshot, then the binlog; the topics from the
-- earliest offset, without end. The scripts in sql/explore/ switch the tables they read to
-- "what is there now" (ALTER TABLE ... SET), so a run with -f ends. sql/order-search.sql runs on
-- this catalog too: the order-search sync as one streaming INSERT into the index table.
--
-- Needs, beside Flink 1.20: flink-sql-connector-mysql-cdc 3.5.0 with a MySQL JDBC driver,
-- flink-sql-connector-kafka 3.4.0-1.20, flink-sql-connector-elasticsearch7 3.0.1-1.17 and
-- flink-json (in a distribution's lib/ already).

SET 'table.local-time-zone' = 'UTC';
SET 'parallelism.default' = '1';

-- ---------------------------------------------------------------------------------------------
-- The shop tables, from the binlog. Each table is its own binlog reader (a MySQL replica) with
-- its own server-id range, four ids (parallelism up to 4) per table. The SQL client's readers
-- take 5430-5459, apart from the jobs' 5400-5429 (docs/contract.md): 5430-5445 the tables here,
-- 5446-5457 the long-running sync of sql/order-search.sql (OPTIONS hints there). Two queries
-- reading the same table at the same time would share ids: run one at a time, or give one of
-- them other ids in 5430-5459 with an OPTIONS hint.
-- op_ts: when the change was committed (binlog event time, whole seconds; 0 for snapshot rows).
-- ---------------------------------------------------------------------------------------------

CREATE TABLE orders (
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
  'hostname' = '${PAYSTREAM_MYSQL_HOSTNAME}',
  'port' = '${PAYSTREAM_MYSQL_PORT}',
  'username' = '${PAYSTREAM_MYSQL_USERNAME}',
  'password' = '${PAYSTREAM_MYSQL_PASSWORD}',
  'database-name' = '${PAYSTREAM_MYSQL_DATABASE}',
  'table-name' = 'orders',
  'server-id' = '5430-5433',
  'server-time-zone' = 'UTC',
  'scan.startup.mode' = 'initial'
);

CREATE TABLE order_items (
  item_id     BIGINT,
  order_id    BIGINT,
  sku_id      BIGINT,
  quantity    INT,
  unit_price  DECIMAL(12, 2),
  op_ts       TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,
  PRIMARY KEY (item_id) NOT ENFORCED
) WITH (
  'connector' = 'mysql-cdc',
  'hostname' = '${PAYSTREAM_MYSQL_HOSTNAME}',
  'port' = '${PAYSTREAM_MYSQL_PORT}',
  'username' = '${PAYSTREAM_MYSQL_USERNAME}',
  'password' = '${PAYSTREAM_MYSQL_PASSWORD}',
  'database-name' = '${PAYSTREAM_MYSQL_DATABASE}',
  'table-name' = 'order_items',
  'server-id' = '5434-5437',
  'server-time-zone' = 'UTC',
  'scan.startup.mode' = 'initial'
);

CREATE TABLE payments (
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
  'hostname' = '${PAYSTREAM_MYSQL_HOSTNAME}',
  'port' = '${PAYSTREAM_MYSQL_PORT}',
  'username' = '${PAYSTREAM_MYSQL_USERNAME}',
  'password' = '${PAYSTREAM_MYSQL_PASSWORD}',
  'database-name' = '${PAYSTREAM_MYSQL_DATABASE}',
  'table-name' = 'payments',
  'server-id' = '5438-5441',
  'server-time-zone' = 'UTC',
  'scan.startup.mode' = 'initial'
);

CREATE TABLE inventory (
  sku_id          BIGINT,
  name            STRING,
  stock           INT,
  deduct_mode     STRING,
  per_user_limit  INT,
  updated_at      TIMESTAMP(3),
  op_ts           TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,
  PRIMARY KEY (sku_id) NOT ENFORCED
) WITH (
  'connector' = 'mysql-cdc',
  'hostname' = '${PAYSTREAM_MYSQL_HOSTNAME}',
  'port' = '${PAYSTREAM_MYSQL_PORT}',
  'username' = '${PAYSTREAM_MYSQL_USERNAME}',
  'password' = '${PAYSTREAM_MYSQL_PASSWORD}',
  'database-name' = '${PAYSTREAM_MYSQL_DATABASE}',
  'table-name' = 'inventory',
  'server-id' = '5442-5445',
  'server-time-zone' = 'UTC',
  'scan.startup.mode' = 'initial'
);

-- ---------------------------------------------------------------------------------------------
-- The Kafka topics, JSON values with the fields of docs/contract.md (times: epoch ms; money:
-- exact decimal strings). Read read_committed, as the contract asks: the exactly-once outputs
-- show what their checkpoints committed. A record that is no JSON object reads as nothing.
-- ---------------------------------------------------------------------------------------------

-- In: channel notifications as the callback gateway received them.
CREATE TABLE payment_callbacks (
  channel        STRING,
  notifyId       STRING,
  sourceAddress  STRING,
  receivedAt     BIGINT,
  headers        MAP<STRING, STRING>,
  body           STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'payment.callbacks',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- In: the query worker's signed answers; payload is the signed JSON text.
CREATE TABLE payment_query_results (
  keyId      STRING,
  signature  STRING,
  payload    STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'payment.query-results',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- Out: each payment's verified outcome, once.
CREATE TABLE payment_results (
  paymentId     STRING,
  orderId       BIGINT,
  channel       STRING,
  channelTxnId  STRING,
  amount        STRING,
  status        STRING,
  paidAt        BIGINT,
  `source`      STRING,
  receivedAt    BIGINT,
  verifiedAt    BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'payment.results',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- Out: commands to query a channel about a payment stuck in PAYING.
CREATE TABLE payment_requery (
  commandId    STRING,
  paymentId    STRING,
  orderId      BIGINT,
  channel      STRING,
  attempt      INT,
  maxAttempts  INT,
  payingSince  BIGINT,
  dueAt        BIGINT,
  emittedAt    BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'payment.requery',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- Out: each refund's verified outcome, once; outcomeId is deterministic.
CREATE TABLE refund_results (
  outcomeId        STRING,
  refundId         STRING,
  paymentId        STRING,
  orderId          BIGINT,
  channel          STRING,
  status           STRING,
  amount           STRING,
  channelRefundId  STRING,
  refundedAt       BIGINT,
  `source`         STRING,
  receivedAt       BIGINT,
  verifiedAt       BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'refund.results',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- Out: each payment's and refund's reconciliation with the channels' bills (the reconciliation
-- job), and bills whose totals do not add up (findingClass SUMMARY_MISMATCH: figure, stated,
-- computed, rejectedLines). A key's findings are in one partition, in order: the last is its word.
CREATE TABLE payment_reconciliation (
  id             STRING,
  findingClass   STRING,
  channel        STRING,
  kind           STRING,
  paymentId      STRING,
  refundId       STRING,
  billDate       STRING,
  billAmountFen  BIGINT,
  shopAmountFen  BIGINT,
  billStatus     STRING,
  shopStatus     STRING,
  channelTxnId   STRING,
  sourceFile     STRING,
  lineNumber     INT,
  alertableAt    BIGINT,
  figure         STRING,
  stated         BIGINT,
  computed       BIGINT,
  rejectedLines  INT,
  `partition`    INT METADATA VIRTUAL,
  `offset`       BIGINT METADATA VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'payment.reconciliation',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- Out: refund re-query commands; commandId is deterministic.
CREATE TABLE refund_requery (
  commandId         STRING,
  refundId          STRING,
  paymentId         STRING,
  orderId           BIGINT,
  channel           STRING,
  channelRefundId   STRING,
  attempt           INT,
  maxAttempts       INT,
  refundingVersion  BIGINT,
  refundingSince    BIGINT,
  dueAt             BIGINT,
  emittedAt         BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'refund.requery',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- Out: alerts for people; alertId is deterministic, dedupe on it.
CREATE TABLE payment_alerts (
  alertId          STRING,
  `type`           STRING,
  paymentId        STRING,
  claimedPaymentId STRING,
  notifyId         STRING,
  refundId         STRING,
  orderId          BIGINT,
  skuId            BIGINT,
  userId           BIGINT,
  clientIp         STRING,
  channel          STRING,
  amount           STRING,
  reason           STRING,
  raisedAt         BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'payment.alerts',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- Out: commands to the order system (re-notify, cancel).
CREATE TABLE order_commands (
  commandId     STRING,
  `type`        STRING,
  orderId       BIGINT,
  paymentId     STRING,
  channel       STRING,
  channelTxnId  STRING,
  amount        STRING,
  paidAt        BIGINT,
  attempt       INT,
  maxAttempts   INT,
  reason        STRING,
  emittedAt     BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'order.commands',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- Out: records paystream could not use, with the reason (at least once).
CREATE TABLE paystream_dlq (
  `source`  STRING,
  reason    STRING,
  `raw`     STRING,
  timeMs    BIGINT,
  job       STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'paystream.dlq',
  'properties.bootstrap.servers' = '${PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS}',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- ---------------------------------------------------------------------------------------------
-- The Elasticsearch index `orders`: one document per order (docs/contract.md; mapping in
-- deploy/elasticsearch/orders-template.json). Flink's Elasticsearch connector only writes, so
-- this table is a sink: read the index with Elasticsearch itself (Kibana, _search). The
-- order-search job owns the index: do not INSERT into `orders` itself; to build a copy, insert
-- with an OPTIONS('index' = 'orders-copy') hint.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE order_documents (
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
  -- the order's number when a table mapping names one (docs/mapping.md); NULL (left out) otherwise
  orderNo        STRING,
  -- the order's refunds (the payment center's refunds table) and the sum of the successful ones
  refunds        ARRAY<ROW<refundId STRING, paymentId STRING, channel STRING, amount STRING, status STRING,
                           channelRefundId STRING, createdAt BIGINT, updatedAt BIGINT>>,
  refundedAmount STRING,
  PRIMARY KEY (orderId) NOT ENFORCED
) WITH (
  'connector' = 'elasticsearch-7',
  'hosts' = '${PAYSTREAM_ELASTICSEARCH_HOSTS}',
  'index' = 'orders',
  'sink.bulk-flush.max-actions' = '1000',
  'sink.bulk-flush.interval' = '200ms',
  'sink.bulk-flush.backoff.strategy' = 'EXPONENTIAL',
  'sink.bulk-flush.backoff.max-retries' = '8',
  'sink.bulk-flush.backoff.delay' = '100ms',
  'json.encode.ignore-null-fields' = 'true'
);
