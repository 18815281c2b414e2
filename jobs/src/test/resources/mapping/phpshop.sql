-- A shop in the style of the PHP shop systems: one database, "sp_" tables. Order ids as BIGINT
-- UNSIGNED, order states as lower-case words (several of them paid), order and line amounts in fen,
-- creation times as INT epoch seconds and update times as TIMESTAMP(3) under other names, the
-- client IP and the submitted form's token (the submit hash) under other names; a pay log with
-- channel codes, an ENUM state, yuan and DATETIME(3) in Europe/Berlin (daylight saving time);
-- stock with a deduct-mode code (TINYINT(1): 1 on order, 2 on payment) and a per-user limit.
CREATE DATABASE IF NOT EXISTS `phpshop` DEFAULT CHARACTER SET utf8mb4;
USE `phpshop`;
CREATE TABLE `sp_order` (
  `id` bigint(20) unsigned NOT NULL,
  `uid` int(10) unsigned NOT NULL,
  `state` varchar(12) NOT NULL DEFAULT 'unpaid' COMMENT 'unpaid paid shipped done cancelled closed',
  `order_amount_fen` int(10) unsigned NOT NULL,
  `form_token` char(64) DEFAULT NULL COMMENT 'sha-256 of the submitted form',
  `ip_addr` varchar(45) DEFAULT NULL,
  `add_time` int(10) unsigned NOT NULL COMMENT 'epoch seconds',
  `mtime` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `idx_uid` (`uid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE `sp_order_goods` (
  `rec_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `order_id` bigint(20) unsigned NOT NULL,
  `goods_sku` int(10) unsigned NOT NULL,
  `buy_num` smallint(5) unsigned NOT NULL,
  `price_fen` int(10) unsigned NOT NULL,
  PRIMARY KEY (`rec_id`),
  KEY `idx_order` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE `sp_pay_log` (
  `trade_no` varchar(32) NOT NULL,
  `order_id` bigint(20) unsigned NOT NULL,
  `pay_code` varchar(20) NOT NULL COMMENT 'weixin alipay unionpay',
  `money` decimal(10,2) NOT NULL,
  `pay_status` enum('wait','paying','success','fail','closed','refund') NOT NULL DEFAULT 'wait',
  `out_trade_id` varchar(64) DEFAULT NULL,
  `create_dt` datetime(3) NOT NULL COMMENT 'Europe/Berlin',
  `update_dt` datetime(3) NOT NULL COMMENT 'Europe/Berlin',
  PRIMARY KEY (`trade_no`),
  KEY `idx_order` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE `sp_goods_stock` (
  `sku` int(10) unsigned NOT NULL,
  `title` varchar(120) NOT NULL,
  `qty` int(11) NOT NULL,
  `reduce_type` tinyint(1) NOT NULL DEFAULT '1' COMMENT '1 on order, 2 on payment',
  `limit_buy` smallint(5) unsigned DEFAULT NULL COMMENT 'per user; NULL: none',
  `edit_time` int(10) unsigned NOT NULL COMMENT 'epoch seconds',
  PRIMARY KEY (`sku`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
