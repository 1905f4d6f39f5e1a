-- Question: How many voters did the paid canvass reach per dollar, state by state?
-- Method: efficiency_daily summed over the days: canvass spend = Schedule E `canvassing` (the
--   counted filings) + first-party `canvasser_pay`; attempts and contacted (outcome `contacted`)
--   from contacts paid by the committee. Ratios of the sums, never averages of daily ratios.
-- Views: efficiency_daily
-- param: committee=C00879510
-- Run: npx influence sql --file docs/sql/canvass-contacts-per-dollar-by-state.sql --param committee=C00879510
-- On the bundled sample (expected.json, contacts.by_state):
--   state  attempts  contacted  canvass_spend_usd  contacted_per_million_usd  spend_per_contacted_usd
--   AZ     73        17         2,392,473.62       7.106                      140,733.74
--   GA     98        32         2,665,115.82       12.007                     83,284.87
--   MI     95        26         3,050,722.97       8.523                      117,335.50
--   NV     61        15         1,767,893.55       8.485                      117,859.57
--   NC     115       39         2,507,468.82       15.554                     64,294.07
--   PA     199       73         5,618,444.49       12.993                     76,964.99
--   WI     92        30         2,643,420.46       11.349                     88,114.02
--   (733 attempts, 232 contacted in all)
SELECT
    toString(state) AS state,
    sum(contact_attempts) AS attempts,
    sum(contacted) AS contacted,
    sum(canvass_spend_usd) AS canvass_spend_usd,
    round(toDecimal128(contacted, 6) * 1000000 / nullIf(canvass_spend_usd, 0), 3) AS contacted_per_million_usd,
    round(toDecimal128(canvass_spend_usd, 6) / nullIf(contacted, 0), 2) AS spend_per_contacted_usd
FROM efficiency_daily
WHERE sponsor_id = {committee:String}
GROUP BY state
HAVING attempts > 0 OR canvass_spend_usd != 0
ORDER BY state;
