-- A separate payment center on a server of its own: pay orders sharded over two databases and two
-- tables each, amounts in fen, channel codes, integer states, DATETIME(3) in Asia/Shanghai.
CREATE DATABASE IF NOT EXISTS `pay_0`;
CREATE DATABASE IF NOT EXISTS `pay_1`;
CREATE TABLE `pay_0`.`t_pay_order_0` (
  `pay_order_id` varchar(30) NOT NULL,
  `mch_order_no` varchar(64) NOT NULL,
  `if_code` varchar(20) NOT NULL,
  `amount` bigint(20) NOT NULL COMMENT 'fen',
  `state` tinyint(6) NOT NULL DEFAULT '0' COMMENT '0 created 1 paying 2 success 3 failed 4 cancelled 5 refunded 6 closed',
  `channel_order_no` varchar(64) DEFAULT NULL,
  `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`pay_order_id`)
) ENGINE=InnoDB;
CREATE TABLE `pay_0`.`t_pay_order_1` LIKE `pay_0`.`t_pay_order_0`;
CREATE TABLE `pay_1`.`t_pay_order_0` LIKE `pay_0`.`t_pay_order_0`;
CREATE TABLE `pay_1`.`t_pay_order_1` LIKE `pay_0`.`t_pay_order_0`;
