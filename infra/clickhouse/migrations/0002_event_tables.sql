-- One typed table per event type, written by the enrichment activity (services/enrich) from the
-- raw events of each batch. Each row keeps its event_id, source and source_record_id, so every
-- figure in a view can be traced back to the records it came from.
--
-- Replays insert the same rows again: every table is a ReplacingMergeTree whose sorting key
-- ends with what identifies one fact, so duplicates collapse (read with FINAL or through the
-- views in 0003). Where a source restates a fact (ad snapshots, FEC amendments, post metrics),
-- every statement is kept here and the views pick the latest by the version named below.
--
-- Single node. On a cluster the same statements run with `ON CLUSTER '{cluster}'` and the
-- Replicated* form of each engine, e.g.
--   ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/<table>', '{replica}')
-- (see docs/analysts.md, "Running on a cluster").

-- Money in: itemised contributions (FEC itcont / Schedule A, first-party donations).
CREATE TABLE IF NOT EXISTS donation_events
(
    event_id              FixedString(32),
    source                LowCardinality(String),
    source_record_id      String,
    committee_id          LowCardinality(String) COMMENT 'Recipient committee as filed (CMTE_ID)',
    recipient_entity_id   LowCardinality(String) COMMENT 'Canonical recipient entity (services/enrich/entities)',
    cycle                 UInt16 COMMENT 'Two-year cycle of contributed_on (an even year)',
    contributed_on        Date,
    contributor_name      String COMMENT 'As filed (public FEC record)',
    donor_entity_id       String COMMENT 'Canonical donor: an FEC id for a committee, person:<normalised name> for an individual',
    donor_name            String COMMENT 'Canonical display name of the donor entity',
    donor_confidence      Float32 COMMENT '0..1: how sure the donor resolution is',
    donor_match_method    LowCardinality(String) COMMENT 'fec_id | alias | normalised_name',
    entity_type           LowCardinality(String) COMMENT 'FEC ENTITY_TP or empty',
    contributor_state     LowCardinality(Nullable(String)) COMMENT 'USPS code, null when unknown',
    contributor_zip5      Nullable(FixedString(5)),
    amount                Decimal(18, 2) COMMENT 'In currency; negative for a refund',
    currency              LowCardinality(String),
    amount_usd            Decimal(18, 2),
    fx_rate               Decimal(18, 8) COMMENT 'USD per unit of currency; 1 for USD',
    fx_rate_date          Nullable(Date) COMMENT 'Date of the rate used; null for USD',
    memo                  Bool COMMENT 'MEMO_CD X: counted elsewhere, never summed',
    transaction_type      LowCardinality(String),
    transaction_id        String,
    fec_sub_id            String,
    occurred_at           DateTime64(3, 'UTC'),
    ingested_at           DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (committee_id, event_id);

-- Money out: every filing of every expenditure (F24 notice, F3X restatement, amendments) and
-- first-party payments. One real payment = (payer_committee_id, cycle, transaction_id); the view
-- `payouts` keeps the filing with the highest restatement_rank.
CREATE TABLE IF NOT EXISTS payout_filings
(
    event_id              FixedString(32),
    source                LowCardinality(String),
    source_record_id      String,
    payer_committee_id    LowCardinality(String),
    payer_entity_id       LowCardinality(String) COMMENT 'Canonical payer entity',
    payer_name            String,
    cycle                 UInt16,
    transaction_id        String,
    payout_key            String COMMENT '<payer_committee_id>:<cycle>:<transaction_id>',
    restatement_rank      UInt16 COMMENT 'F24 = 1, F3X = 2, amendments 3+, first-party 1',
    version               UInt64 COMMENT 'restatement_rank * 2^32 + a tie-break from event_id: the filing that counts has the highest',
    payee_name            Nullable(String) COMMENT 'A business payee (public); null for a private person',
    payee_pseudonym       Nullable(String) COMMENT 'hmac-sha256 pseudonym of a private payee',
    purpose               String,
    category              LowCardinality(String) COMMENT 'The channel: canvassing, digital_ads, mail, printing, referral_bounty, lottery_award, canvasser_pay, …',
    amount                Decimal(18, 2),
    currency              LowCardinality(String),
    amount_usd            Decimal(18, 2),
    fx_rate               Decimal(18, 8),
    fx_rate_date          Nullable(Date),
    paid_on               Date,
    disseminated_on       Nullable(Date),
    support_oppose        LowCardinality(Nullable(String)) COMMENT 'support | oppose',
    candidate_id          LowCardinality(Nullable(String)),
    candidate_name        Nullable(String),
    state                 LowCardinality(Nullable(String)) COMMENT 'Where the money was spent: the filed state, else read from the purpose text',
    state_method          LowCardinality(String) COMMENT 'filed | purpose_text | candidate_state | unknown',
    is_swing_state        Bool,
    form                  LowCardinality(String) COMMENT 'F24, F3X, … or first_party',
    report_type           LowCardinality(Nullable(String)),
    amendment_indicator   LowCardinality(Nullable(String)),
    fec_sub_id            Nullable(String),
    filed_on              Nullable(Date),
    pdf_url               Nullable(String),
    source_kind           LowCardinality(String) COMMENT 'fec_schedule_e | fec_schedule_b | fec_ie_bulk | first_party',
    occurred_at           DateTime64(3, 'UTC'),
    ingested_at           DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (payer_committee_id, cycle, transaction_id, event_id);

-- Ad library snapshots. Library figures are cumulative: a later snapshot of one ad supersedes
-- an earlier one (version = snapshot_at); the view `ads_current` keeps the latest.
CREATE TABLE IF NOT EXISTS ad_snapshots
(
    event_id                 FixedString(32),
    source                   LowCardinality(String),
    source_record_id         String,
    platform                 LowCardinality(String) COMMENT 'meta | snap | google',
    ad_id                    String,
    granularity              LowCardinality(String) COMMENT 'ad | advertiser_period (Meta report rows)',
    snapshot_at              DateTime64(3, 'UTC'),
    advertiser_name          String COMMENT 'Meta page_name, Snap OrganizationName',
    advertiser_id            Nullable(String),
    paying_advertiser        Nullable(String) COMMENT 'Meta bylines / funding_entity, Snap PayingAdvertiserName',
    sponsor_id               LowCardinality(String) COMMENT 'Canonical sponsor entity (FEC id when known)',
    sponsor_name             String,
    sponsor_confidence       Float32,
    sponsor_match_method     LowCardinality(String) COMMENT 'fec_id | platform_id | alias | normalised_name | unresolved',
    currency                 LowCardinality(String),
    spend_low                Decimal(18, 2),
    spend_high               Nullable(Decimal(18, 2)) COMMENT 'Null: open top range (Meta ">1M")',
    spend_point              Decimal(18, 2),
    spend_point_method       LowCardinality(String) COMMENT 'exact | midpoint | low_bound_for_open_range',
    fx_rate                  Decimal(18, 8),
    fx_rate_date             Nullable(Date),
    spend_usd_low            Decimal(18, 2),
    spend_usd_high           Nullable(Decimal(18, 2)),
    spend_usd_point          Decimal(18, 2),
    impressions_low          Nullable(UInt64),
    impressions_high         Nullable(UInt64),
    impressions_point        Nullable(UInt64),
    impressions_point_method LowCardinality(Nullable(String)),
    delivery_start           Nullable(DateTime64(3, 'UTC')),
    delivery_end             Nullable(DateTime64(3, 'UTC')),
    target_states            Array(LowCardinality(String)) COMMENT 'USPS codes from regions, postal codes and delivery, sorted, distinct',
    target_states_method     LowCardinality(String) COMMENT 'regions | postal_codes | delivery | country_only | unknown',
    swing_states             Array(LowCardinality(String)) COMMENT 'target_states that are swing states',
    delivery_states          Array(LowCardinality(String)) COMMENT 'Parallel to delivery_shares: where it was delivered',
    delivery_shares          Array(Float64),
    stance_subjects          Array(LowCardinality(String)) COMMENT 'Parallel arrays: one entry per tagged stance',
    stance_values            Array(LowCardinality(String)),
    stance_origins           Array(LowCardinality(String)) COMMENT 'text (lexicon on the ad words) | coder | advertiser (lexicon alignment)',
    topics                   Array(LowCardinality(String)) COMMENT 'Lexicon topics found in the ad text',
    creative_text            String COMMENT 'Bodies, titles and descriptions joined by newlines',
    link_urls                Array(String) COMMENT 'Tokens stripped',
    snapshot_url             Nullable(String) COMMENT 'Tokens stripped',
    occurred_at              DateTime64(3, 'UTC'),
    ingested_at              DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (platform, ad_id, snapshot_at, event_id);

-- Coded stances of ads (first-party annotation files): one row per (platform, ad, coder, subject);
-- a later coding by the same coder supersedes (version = coded_on).
CREATE TABLE IF NOT EXISTS ad_annotations
(
    event_id          FixedString(32),
    source            LowCardinality(String),
    source_record_id  String,
    platform          LowCardinality(String),
    ad_id             String,
    ad_set            String,
    subject           LowCardinality(String) COMMENT 'Canonical subject from the lexicon (e.g. Harris)',
    stance            LowCardinality(String) COMMENT 'Canonical stance from the lexicon (e.g. pro-Israel)',
    message           String,
    transcript        String,
    coder             String,
    coded_on          Date,
    occurred_at       DateTime64(3, 'UTC'),
    ingested_at       DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(coded_on)
ORDER BY (platform, ad_id, coder, subject);

-- Post observations: metrics are cumulative; the view `posts` keeps the latest observed_at.
CREATE TABLE IF NOT EXISTS post_observations
(
    event_id           FixedString(32),
    source             LowCardinality(String),
    source_record_id   String,
    platform           LowCardinality(String),
    post_id            String,
    account_id         String,
    account_handle     Nullable(String),
    sponsor_id         LowCardinality(String) COMMENT 'Canonical entity of the account, when known; else empty',
    sponsor_confidence Float32,
    created_at         DateTime64(3, 'UTC'),
    observed_at        DateTime64(3, 'UTC'),
    text               String,
    urls               Array(String),
    petition_ids       Array(LowCardinality(String)) COMMENT 'Petitions the post links to (reference petitions table)',
    likes              Nullable(UInt64),
    reposts            Nullable(UInt64),
    replies            Nullable(UInt64),
    quotes             Nullable(UInt64),
    impressions        Nullable(UInt64),
    stance_subjects    Array(LowCardinality(String)),
    stance_values      Array(LowCardinality(String)),
    topics             Array(LowCardinality(String)),
    occurred_at        DateTime64(3, 'UTC'),
    ingested_at        DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (platform, post_id, observed_at, event_id);

-- Petition signatures (pseudonymous).
CREATE TABLE IF NOT EXISTS signup_events
(
    event_id          FixedString(32),
    source            LowCardinality(String),
    source_record_id  String,
    petition_id       LowCardinality(String),
    sponsor_id        LowCardinality(String) COMMENT 'Who runs the petition (reference petitions table); empty when unknown',
    signed_at         DateTime64(3, 'UTC'),
    signed_on         Date COMMENT 'UTC day of signed_at',
    signer            String COMMENT 'Pseudonym',
    referrer          Nullable(String) COMMENT 'Pseudonym',
    referred          Bool,
    state             LowCardinality(Nullable(String)),
    state_method      LowCardinality(String) COMMENT 'filed | zip_prefix | unknown',
    is_swing_state    Bool,
    zip5              Nullable(FixedString(5)),
    phone_provided    Bool,
    phones_collected  UInt16,
    email_provided    Bool,
    channel           LowCardinality(String) COMMENT 'utm source or the like; empty when none',
    occurred_at       DateTime64(3, 'UTC'),
    ingested_at       DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (petition_id, event_id);

-- Canvass and phone attempts (pseudonymous).
CREATE TABLE IF NOT EXISTS contact_events
(
    event_id          FixedString(32),
    source            LowCardinality(String),
    source_record_id  String,
    campaign_id       LowCardinality(String),
    attempt_id        String,
    sponsor_id        LowCardinality(String) COMMENT 'paid_by_committee_id resolved; empty when unknown',
    attempted_at      DateTime64(3, 'UTC'),
    attempted_on      Date,
    method            LowCardinality(String),
    outcome           LowCardinality(String),
    contacted         Bool COMMENT 'outcome = contacted',
    canvasser         Nullable(String),
    voter             Nullable(String),
    state             LowCardinality(Nullable(String)),
    state_method      LowCardinality(String),
    is_swing_state    Bool,
    zip5              Nullable(FixedString(5)),
    petition_signed   Nullable(Bool),
    occurred_at       DateTime64(3, 'UTC'),
    ingested_at       DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (campaign_id, attempt_id, event_id);

-- Correlation records written by the sponsor entity workflows (workflows/sponsor-correlation):
-- contradiction, funding_flow, funnel, post_lift. correlation_id is deterministic from what was
-- correlated, so recomputing gives the same rows; version is the computation's data version.
CREATE TABLE IF NOT EXISTS correlations
(
    correlation_id    FixedString(32),
    kind              LowCardinality(String) COMMENT 'contradiction | funding_flow | funnel | post_lift',
    sponsor_id        LowCardinality(String),
    subject           String COMMENT 'What it is about (subject of the stances, donor, state, post)',
    detail            String COMMENT 'The record as JSON (the same object as on influence.correlations.v1)',
    source_event_ids  Array(String) COMMENT 'event_ids of the rows it was computed from',
    computed_at       DateTime64(3, 'UTC'),
    version           UInt64 COMMENT 'Higher supersedes; a deterministic hash of the inputs makes recomputation a no-op',
    is_deleted        UInt8 COMMENT '1 when a recomputation no longer finds it'
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (kind, sponsor_id, correlation_id);

-- Dead letters, copied from influence.dlq.v1 by the DLQ sink (one row per DLQ message).
CREATE TABLE IF NOT EXISTS dlq_events
(
    dlq_partition     UInt32,
    dlq_offset        UInt64,
    reason            LowCardinality(String),
    detail            String,
    step              LowCardinality(String),
    service           LowCardinality(String),
    source            LowCardinality(String),
    position          String,
    source_partition  Nullable(UInt32),
    record_key        Nullable(String),
    raw_sealed        Bool,
    raw_bytes         UInt32,
    dead_lettered_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (dlq_partition, dlq_offset);

-- Reference data from infra/reference (entities, lexicon, petitions), loaded by the worker at
-- start (activity syncReference): SQL joins and the correlation views read them. Rows are keyed
-- by their natural key; version is the reference file's content hash, so a reload is a no-op.
CREATE TABLE IF NOT EXISTS ref_entities
(
    entity_id         String COMMENT 'Canonical id: an FEC committee id, or <kind>:<slug>',
    kind              LowCardinality(String) COMMENT 'committee | campaign | person | organization',
    name              String,
    fec_committee_id  Nullable(String),
    aliases           Array(String) COMMENT 'Normalised names and platform ids that resolve to it',
    version           UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY entity_id;

CREATE TABLE IF NOT EXISTS ref_stance_opposites
(
    stance_a  LowCardinality(String),
    stance_b  LowCardinality(String) COMMENT 'Both orders are present: (a, b) and (b, a)',
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (stance_a, stance_b);

CREATE TABLE IF NOT EXISTS ref_petitions
(
    petition_id  String,
    sponsor_id   String,
    url_prefixes Array(String) COMMENT 'Links that lead to the petition (host and path prefix, no scheme)',
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY petition_id;
