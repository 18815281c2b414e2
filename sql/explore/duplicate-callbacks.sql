-- Duplicate callbacks per channel per hour: how many notifications each channel sent in each hour
-- (UTC, by the gateway's receivedAt) and how many of them repeated one already received (the same
-- channel and notifyId, at any earlier time: WeChat Pay resends for 24 h until it is answered).
-- The payments job drops these repeats (its duplicatesDropped metric); many of them mean the
-- shop's callback endpoint answers late or not at all. Hours without a repeat are left out.

-- A run ends at what is there now (batch over bounded reads). To watch live instead, open
-- deploy/sql-client without -f, SET 'execution.runtime-mode' = 'streaming' and run the SELECT
-- without its ORDER BY: the tables of sql/catalog.sql read live.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';
ALTER TABLE payment_callbacks SET ('scan.bounded.mode' = 'latest-offset');

SELECT
  r.channel,
  DATE_FORMAT(TO_TIMESTAMP_LTZ(r.receivedAt, 3), 'yyyy-MM-dd HH:00') AS hour_utc,
  COUNT(*) AS received,
  COUNT(DISTINCT r.notifyId) AS notifications,
  -- every receipt but each notification's first one
  COUNT(*) - COUNT(DISTINCT CASE WHEN r.receivedAt = f.first_received_at THEN r.notifyId END) AS duplicates
FROM payment_callbacks AS r
JOIN (
  SELECT channel, notifyId, MIN(receivedAt) AS first_received_at
  FROM payment_callbacks
  GROUP BY channel, notifyId
) AS f ON f.channel = r.channel AND f.notifyId = r.notifyId
GROUP BY r.channel, DATE_FORMAT(TO_TIMESTAMP_LTZ(r.receivedAt, 3), 'yyyy-MM-dd HH:00')
HAVING COUNT(*) > COUNT(DISTINCT CASE WHEN r.receivedAt = f.first_received_at THEN r.notifyId END)
ORDER BY hour_utc, r.channel;
