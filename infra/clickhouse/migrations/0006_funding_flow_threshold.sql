-- Funding-flow correlations only for donors that matter to the committee (share of net receipts
-- >= 1%): the flows of small donors stay in the funding_flows view and the spend_daily
-- "(other donors)" row, not on influence.correlations.v1. A recomputation retracts the records
-- of donors below the threshold that an earlier version published.
CREATE OR REPLACE VIEW funding_flow_candidates
AS
SELECT
    lower(hex(MD5(concat('funding_flow|', sponsor_id, '|', toString(cycle), '|', donor_entity_id)))) AS correlation_id,
    sponsor_id,
    if(donor_name != '', donor_name, donor_entity_id) AS subject,
    toJSONString(CAST(tuple(
        donor_entity_id,
        donor_name,
        donor_names_filed,
        round(toFloat64(donor_confidence), 3),
        donor_match_methods,
        committee_id,
        toUInt32(cycle),
        toUInt32(donor_receipts),
        toUInt32(donor_refunds),
        toDecimalString(donor_gross_usd, 2),
        toDecimalString(donor_refunds_usd, 2),
        toDecimalString(donor_net_usd, 2),
        toDecimalString(committee_net_usd, 2),
        round(share, 6),
        toDecimalString(committee_spend_usd, 2),
        toDecimalString(attributed_spend_usd, 2),
        method
    ) AS Tuple(
        donor_entity_id String,
        donor_name String,
        donor_names_filed Array(String),
        donor_confidence Float64,
        donor_match_methods Array(String),
        committee_id String,
        cycle UInt32,
        donor_receipts UInt32,
        donor_refunds UInt32,
        donor_gross_usd String,
        donor_refunds_usd String,
        donor_net_usd String,
        committee_net_usd String,
        share Nullable(Float64),
        committee_spend_usd String,
        attributed_spend_usd Nullable(String),
        method String
    ))) AS detail,
    donation_event_ids AS source_event_ids
FROM funding_flows
-- A flow is a correlation when the donor holds at least 1% of the committee's net receipts:
-- a committee with sixty thousand small donors would otherwise publish sixty thousand records on
-- every recomputation. Every flow stays in the funding_flows view.
WHERE share >= 0.01;
