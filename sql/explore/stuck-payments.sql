-- Payments stuck in PAYING right now: in PAYING for more than five minutes (long past a shopper's
-- time at the cashier, and past the payments job's whole re-query schedule: 10 s, 20 s, 30 s and
-- 10 s for the last answer by default), oldest first, with how long they have been paying, how many re-queries paystream sent for them and
-- whether it raised LOST_PAYMENT_EXTERNAL. A payment here with no re-query means the payments job
-- is not seeing it (is it running? is its binlog reader behind?).
-- Change the INTERVAL below for another threshold.

-- A run ends at what is there now (batch over bounded reads). To watch live instead, open
-- deploy/sql-client without -f, SET 'execution.runtime-mode' = 'streaming' and run the SELECT
-- without its ORDER BY: the tables of sql/catalog.sql read live.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';
ALTER TABLE payments SET ('scan.startup.mode' = 'snapshot', 'scan.read-changelog-as-append-only.enabled' = 'true');
ALTER TABLE payment_requery SET ('scan.bounded.mode' = 'latest-offset');
ALTER TABLE payment_alerts SET ('scan.bounded.mode' = 'latest-offset');

SELECT
  p.payment_id,
  p.order_id,
  p.channel,
  p.amount,
  p.updated_at AS paying_since,
  TIMESTAMPDIFF(SECOND, p.updated_at, LOCALTIMESTAMP) AS paying_for_s,
  COALESCE(r.requeries, 0) AS requeries,
  a.paymentId IS NOT NULL AS lost_alert
FROM payments AS p
LEFT JOIN (
  SELECT paymentId, COUNT(DISTINCT commandId) AS requeries
  FROM payment_requery
  GROUP BY paymentId
) AS r ON r.paymentId = p.payment_id
LEFT JOIN (
  SELECT DISTINCT paymentId
  FROM payment_alerts
  WHERE `type` = 'LOST_PAYMENT_EXTERNAL'
) AS a ON a.paymentId = p.payment_id
WHERE p.status = 'PAYING'
  AND p.updated_at < LOCALTIMESTAMP - INTERVAL '5' MINUTE
ORDER BY p.updated_at, p.payment_id;
