-- The shop's tables that paystream reads (docs/contract.md, "Shop tables").
-- MySQL 5.7/8.0 or MariaDB 10.11 with the binlog settings of my.cnf beside this file.
CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE TABLE IF NOT EXISTS shop.orders (
  order_id      BIGINT        NOT NULL PRIMARY KEY,
  user_id       BIGINT        NOT NULL,
  status        VARCHAR(16)   NOT NULL COMMENT 'CREATED|PAID|CANCELLED|CLOSED',
  total_amount  DECIMAL(12,2) NOT NULL,
  submit_hash   CHAR(64)      NULL COMMENT 'sha-256 hex of user, items, amount and address',
  client_ip     VARCHAR(45)   NULL,
  created_at    TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at    TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY idx_orders_submit_hash (submit_hash),
  KEY idx_orders_user (user_id, created_at)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS shop.order_items (
  item_id     BIGINT        NOT NULL PRIMARY KEY,
  order_id    BIGINT        NOT NULL,
  sku_id      BIGINT        NOT NULL,
  quantity    INT           NOT NULL,
  unit_price  DECIMAL(12,2) NOT NULL,
  KEY idx_items_order (order_id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS shop.payments (
  payment_id      VARCHAR(64)   NOT NULL PRIMARY KEY COMMENT 'out_trade_no sent to the channel',
  order_id        BIGINT        NOT NULL,
  channel         VARCHAR(16)   NOT NULL COMMENT 'WECHAT|ALIPAY|UNIONPAY',
  amount          DECIMAL(12,2) NOT NULL,
  status          VARCHAR(16)   NOT NULL COMMENT 'CREATED|PAYING|SUCCESS|FAILED|CLOSED',
  channel_txn_id  VARCHAR(64)   NULL,
  created_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY idx_payments_order (order_id),
  KEY idx_payments_status (status, updated_at)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS shop.inventory (
  sku_id          BIGINT       NOT NULL PRIMARY KEY,
  name            VARCHAR(200) NOT NULL,
  stock           INT          NOT NULL,
  deduct_mode     VARCHAR(16)  NOT NULL COMMENT 'ORDER|PAYMENT',
  per_user_limit  INT          NULL COMMENT 'NULL: no limit',
  updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;

-- The payment center's refunds (optional in a table mapping; the refund watch is off without them).
CREATE TABLE IF NOT EXISTS shop.refunds (
  refund_id          VARCHAR(64)   NOT NULL PRIMARY KEY COMMENT 'out_refund_no / out_request_no sent to the channel',
  payment_id         VARCHAR(64)   NOT NULL COMMENT 'the refunded payment (payments.payment_id)',
  order_id           BIGINT        NOT NULL,
  channel            VARCHAR(16)   NOT NULL COMMENT 'WECHAT|ALIPAY|UNIONPAY',
  amount             DECIMAL(12,2) NOT NULL COMMENT 'this refund, not the payment',
  status             VARCHAR(16)   NOT NULL COMMENT 'CREATED|REFUNDING|SUCCESS|FAILED|CLOSED',
  channel_refund_id  VARCHAR(64)   NULL,
  created_at         TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY idx_refunds_payment (payment_id),
  KEY idx_refunds_status (status, updated_at)
) ENGINE=InnoDB;
