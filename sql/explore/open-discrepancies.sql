-- Open discrepancies of the reconciliation with the channels' daily bills (payment.reconciliation):
-- each payment or refund whose last finding is not MATCHED (a later MATCHED resolves an earlier
-- CHANNEL_ONLY: the business applied the payment), oldest bill day first, and every bill whose
-- stated totals its lines do not add up to. Amounts in yuan; the bill line is file:line.

-- A run ends at what is there now (batch over bounded reads). To watch live instead, open
-- deploy/sql-client without -f, SET 'execution.runtime-mode' = 'streaming' and run the SELECT
-- without its ORDER BY: the tables of sql/catalog.sql read live.
SET 'execution.runtime-mode' = 'batch';
SET 'sql-client.execution.result-mode' = 'tableau';
ALTER TABLE payment_reconciliation SET ('scan.bounded.mode' = 'latest-offset');

SELECT finding, channel, subject, bill_date, bill, shop, bill_line
FROM (
  SELECT
    findingClass AS finding,
    channel,
    CASE WHEN kind = 'REFUND' THEN 'refund ' || refundId || ' of ' || paymentId ELSE 'payment ' || paymentId END AS subject,
    billDate AS bill_date,
    CASE WHEN billAmountFen IS NULL THEN 'not on the bill'
         ELSE CAST(CAST(CAST(billAmountFen AS DECIMAL(16, 0)) / 100 AS DECIMAL(14, 2)) AS STRING) || ' ' || billStatus END AS bill,
    CASE WHEN shopStatus IS NULL THEN 'no record'
         ELSE CAST(CAST(CAST(shopAmountFen AS DECIMAL(16, 0)) / 100 AS DECIMAL(14, 2)) AS STRING) || ' ' || shopStatus END AS shop,
    CASE WHEN sourceFile IS NULL THEN '' ELSE sourceFile || ':' || CAST(lineNumber AS STRING) END AS bill_line
  FROM (
    -- a key's findings share a partition (keyed by payment): the highest offset is its last word
    SELECT *, ROW_NUMBER() OVER (
        PARTITION BY channel, kind, paymentId, COALESCE(refundId, '') ORDER BY `offset` DESC) AS nth
    FROM payment_reconciliation
    WHERE findingClass IN ('MATCHED', 'CHANNEL_ONLY', 'LOCAL_ONLY', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH')
  )
  WHERE nth = 1 AND findingClass <> 'MATCHED'
  UNION ALL
  SELECT
    'SUMMARY_MISMATCH' AS finding,
    channel,
    'total ' || figure AS subject,
    billDate AS bill_date,
    CASE WHEN MIN(stated) IS NULL THEN 'states no totals' ELSE 'states ' || CAST(MIN(stated) AS STRING) END AS bill,
    'lines add up to ' || CAST(MIN(computed) AS STRING) AS shop,
    MIN(sourceFile) AS bill_line
  FROM payment_reconciliation
  WHERE findingClass = 'SUMMARY_MISMATCH'
  GROUP BY id, channel, figure, billDate
)
ORDER BY bill_date NULLS LAST, finding, channel, subject;
