-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: paycenter-db.internal    Database: pay_0
-- ------------------------------------------------------
-- Server version	8.0.36
--
-- A payment center on a server of its own, as MySQL 8's `mysqldump --no-data --databases pay_0 pay_1`
-- writes it: pay orders sharded over two databases and two tables each, amounts in fen, channel
-- codes, integer states, DATETIME(3) in Asia/Shanghai. (MySQL 8's utf8mb4_0900_ai_ci and
-- DEFAULT ENCRYPTION, unknown to MariaDB 10.11, are what the sandbox rewrites.)

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Current Database: `pay_0`
--

CREATE DATABASE /*!32312 IF NOT EXISTS*/ `pay_0` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */;

USE `pay_0`;

--
-- Table structure for table `t_pay_order_0`
--

DROP TABLE IF EXISTS `t_pay_order_0`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `t_pay_order_0` (
  `pay_order_id` varchar(30) NOT NULL COMMENT 'pay order id',
  `mch_order_no` varchar(64) NOT NULL COMMENT 'the merchant''s order number',
  `if_code` varchar(20) NOT NULL COMMENT 'channel: wxpay, alipay, ysfpay',
  `amount` bigint NOT NULL COMMENT 'fen',
  `state` tinyint NOT NULL DEFAULT '0' COMMENT '0 created 1 paying 2 success 3 failed 4 cancelled 5 refunded 6 closed',
  `channel_order_no` varchar(64) DEFAULT NULL,
  `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`pay_order_id`),
  KEY `idx_mch_order_no` (`mch_order_no`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='pay orders';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Table structure for table `t_pay_order_1`
--

DROP TABLE IF EXISTS `t_pay_order_1`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `t_pay_order_1` (
  `pay_order_id` varchar(30) NOT NULL COMMENT 'pay order id',
  `mch_order_no` varchar(64) NOT NULL COMMENT 'the merchant''s order number',
  `if_code` varchar(20) NOT NULL COMMENT 'channel: wxpay, alipay, ysfpay',
  `amount` bigint NOT NULL COMMENT 'fen',
  `state` tinyint NOT NULL DEFAULT '0' COMMENT '0 created 1 paying 2 success 3 failed 4 cancelled 5 refunded 6 closed',
  `channel_order_no` varchar(64) DEFAULT NULL,
  `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`pay_order_id`),
  KEY `idx_mch_order_no` (`mch_order_no`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='pay orders';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Current Database: `pay_1`
--

CREATE DATABASE /*!32312 IF NOT EXISTS*/ `pay_1` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */;

USE `pay_1`;

--
-- Table structure for table `t_pay_order_0`
--

DROP TABLE IF EXISTS `t_pay_order_0`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `t_pay_order_0` (
  `pay_order_id` varchar(30) NOT NULL COMMENT 'pay order id',
  `mch_order_no` varchar(64) NOT NULL COMMENT 'the merchant''s order number',
  `if_code` varchar(20) NOT NULL COMMENT 'channel: wxpay, alipay, ysfpay',
  `amount` bigint NOT NULL COMMENT 'fen',
  `state` tinyint NOT NULL DEFAULT '0' COMMENT '0 created 1 paying 2 success 3 failed 4 cancelled 5 refunded 6 closed',
  `channel_order_no` varchar(64) DEFAULT NULL,
  `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`pay_order_id`),
  KEY `idx_mch_order_no` (`mch_order_no`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='pay orders';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Table structure for table `t_pay_order_1`
--

DROP TABLE IF EXISTS `t_pay_order_1`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `t_pay_order_1` (
  `pay_order_id` varchar(30) NOT NULL COMMENT 'pay order id',
  `mch_order_no` varchar(64) NOT NULL COMMENT 'the merchant''s order number',
  `if_code` varchar(20) NOT NULL COMMENT 'channel: wxpay, alipay, ysfpay',
  `amount` bigint NOT NULL COMMENT 'fen',
  `state` tinyint NOT NULL DEFAULT '0' COMMENT '0 created 1 paying 2 success 3 failed 4 cancelled 5 refunded 6 closed',
  `channel_order_no` varchar(64) DEFAULT NULL,
  `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`pay_order_id`),
  KEY `idx_mch_order_no` (`mch_order_no`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='pay orders';
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2026-11-27 10:00:00
