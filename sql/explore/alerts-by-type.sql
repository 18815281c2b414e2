-- Alerts by type: how many alerts of each type paystream raised (payment.alerts, each alertId
-- once), the money they concern (the amounts of the alerts that carry one) and when the first and
-- the last were raised (UTC). The types are listed in docs/contract.md.

-- A run ends at what is there now (batch over bounded reads). To watch live instead, open
-- deploy/sql-client without -f, SET 'execution.runtime-mode' = 'streaming' and run the SELECT
-- without its ORDER BY: the tables of sql/catalog.sql read live.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';
ALTER TABLE payment_alerts SET ('scan.bounded.mode' = 'latest-offset');

SELECT
  `type`,
  COUNT(*) AS alerts,
  SUM(CAST(amount AS DECIMAL(14, 2))) AS amount,
  TO_TIMESTAMP_LTZ(MIN(raisedAt), 3) AS first_raised,
  TO_TIMESTAMP_LTZ(MAX(raisedAt), 3) AS last_raised
FROM (
  -- ids are deterministic: a repeated alert (a consumer reading read_uncommitted, a replay) counts once
  SELECT alertId, MIN(`type`) AS `type`, MIN(amount) AS amount, MIN(raisedAt) AS raisedAt
  FROM payment_alerts
  GROUP BY alertId
)
GROUP BY `type`
ORDER BY alerts DESC, `type`;
