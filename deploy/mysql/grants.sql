-- Users. ${CDC_PASSWORD} and ${SHOP_PASSWORD} are filled in by whoever applies this script
-- (the local servers generate them; in production they come from your secret store).

-- paystream's CDC user: the minimal grants of Flink CDC's startup mode 'initial'.
-- (REPLICATION CLIENT is shown as BINLOG MONITOR on MariaDB 10.11.)
CREATE USER IF NOT EXISTS 'paystream'@'%' IDENTIFIED BY '${CDC_PASSWORD}';
GRANT SELECT ON shop.* TO 'paystream'@'%';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'paystream'@'%';

-- The shop application (order system and payment center), and the simulator playing it.
CREATE USER IF NOT EXISTS 'shop_app'@'%' IDENTIFIED BY '${SHOP_PASSWORD}';
GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO 'shop_app'@'%';
FLUSH PRIVILEGES;
