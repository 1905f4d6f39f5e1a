import { describe, expect, it } from 'vitest';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { rawTopic } from '../../schemas/topics.ts';
import { toDlqRecord, type DeadLetter } from '../shared/dlq.ts';
import { createPseudonymizer } from '../shared/pseudonym.ts';
import { createSealer } from '../shared/seal.ts';
import { IMPORT_SOURCES } from './sources.ts';
import { matches, replayLetter, type ReplayContext } from './dlq-replay.ts';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 9);
const sealer = createSealer(KEY);
const HEADER =
  'payment_id,paid_at,payer_committee_id,payer_name,payee_email,category,purpose,amount,currency,state';
const GOOD = 'B-1,2024-10-01,C00879510,America PAC,signer@example.com,referral_bounty,REFERRAL,47.00,USD,PA';
const BAD = 'B-2,2024-10-01,C00879510,America PAC,other@example.com,referral_bounty,REFERRAL,forty,USD,PA';
const ITCONT =
  'C00879510|N|Q3|G2024|202410159200000000|15|IND|FAUXBURG, SAGE D.|MILWAUKEE|WI|53202|SAMPLE HOLDINGS LLC|EXECUTIVE|07012024|100||SA11AI.1|1810001|||4102420241000000011';

function record(over: Partial<DeadLetter>, at = new Date('2024-10-20T08:30:00Z')): DlqRecordV1 {
  return DlqRecordV1.parse(
    toDlqRecord(
      {
        reason: 'schema_invalid',
        detail: 'stale',
        step: 'import:payouts',
        source: 'exports/payouts.csv',
        position: 'line 2',
        raw: sealer.seal(Buffer.from(GOOD)),
        sealed: true,
        ...over,
      },
      'import:payouts',
      at,
    ),
  );
}

function context(header: string | undefined, key = KEY): ReplayContext {
  const s = createSealer(key);
  return {
    sources: IMPORT_SOURCES,
    pseudonymize: createPseudonymizer(key),
    open: (b) => s.open(b),
    headerOf: () => Promise.resolve(header === undefined ? undefined : Buffer.from(header)),
    now: new Date('2024-11-01T00:00:00Z'),
  };
}

describe('replayLetter', () => {
  it('re-reads a sealed CSV row under its file header and gives the event an import would', async () => {
    const out = await replayLetter(record({}), context(HEADER));
    expect(out.status).toBe('replayable');
    if (out.status !== 'replayable') return;
    expect(out.topic).toBe(rawTopic('payout'));
    const event = JSON.parse(out.value) as {
      source: string;
      source_record_id: string;
      payload: { payee: string };
    };
    expect(event.source).toBe('payouts');
    expect(event.source_record_id).toContain('B-1');
    expect(out.value).not.toContain('signer@example.com');
    // Deterministic: the same letter gives the same event id again.
    const again = await replayLetter(record({}), context(HEADER));
    expect(again.status === 'replayable' && again.event_id).toBe(out.event_id);
  });

  it('keeps a row that still fails as still_failing with the current reason', async () => {
    const out = await replayLetter(record({ raw: sealer.seal(Buffer.from(BAD)) }), context(HEADER));
    expect(out).toMatchObject({ status: 'still_failing', reason: 'schema_invalid' });
    if (out.status === 'still_failing') expect(out.detail).toMatch(/amount/);
  });

  it('needs the header of a CSV source and says how to give it', async () => {
    const out = await replayLetter(record({}), context(undefined));
    expect(out.status).toBe('not_replayable');
    if (out.status === 'not_replayable') expect(out.detail).toMatch(/--input-dir/);
  });

  it('replays a headerless FEC itcont line without its file', async () => {
    const letter = record({
      step: 'import:fec-itcont',
      source: 'gone/itcont.txt',
      raw: Buffer.from(ITCONT),
      sealed: false,
    });
    const out = await replayLetter(letter, context(undefined));
    expect(out.status).toBe('replayable');
    // With the file still there, its first line (another record) is read first and ignored.
    const withFile = await replayLetter(letter, context(ITCONT.replace('200000000|', '200000001|')));
    expect(withFile.status === 'replayable' && out.status === 'replayable' && withFile.event_id).toBe(
      out.status === 'replayable' && out.event_id,
    );
  });

  it('refuses bytes sealed under another key, pointing at the key rotation', async () => {
    const out = await replayLetter(record({}), context(HEADER, OTHER_KEY));
    expect(out.status).toBe('not_replayable');
    if (out.status === 'not_replayable') expect(out.detail).toMatch(/HMAC key/);
  });

  it('does not re-read page items or worker letters alone', async () => {
    const page = record({
      step: 'import:meta-ads',
      source: 'page1.json',
      raw: Buffer.from('{}'),
      sealed: false,
    });
    expect((await replayLetter(page, context('{'))).status).toBe('not_replayable');
    const worker = record({ step: 'worker:enrichAndStore', source: rawTopic('ad'), sealed: false });
    expect((await replayLetter(worker, context(undefined))).status).toBe('not_replayable');
  });

  it('re-validates a bridge letter and republishes the message as it was', async () => {
    const payout = await replayLetter(record({}), context(HEADER));
    if (payout.status !== 'replayable') throw new Error('expected a payout');
    const bridge = record({
      step: 'bridge:decode',
      source: rawTopic('payout'),
      key: 'C00879510',
      raw: Buffer.from(payout.value),
      sealed: false,
    });
    expect(await replayLetter(bridge, context(undefined))).toMatchObject({
      status: 'replayable',
      topic: rawTopic('payout'),
      key: 'C00879510',
      value: payout.value,
      event_id: payout.event_id,
    });
    const broken = record({
      step: 'bridge:decode',
      source: rawTopic('payout'),
      raw: Buffer.from('{'),
      sealed: false,
    });
    expect(await replayLetter(broken, context(undefined))).toMatchObject({
      status: 'still_failing',
      reason: 'parse_error',
    });
  });
});

describe('matches', () => {
  const letter = record({}, new Date('2024-10-20T08:30:00Z'));
  it('filters on the import source or the input, the reason and the time window', () => {
    expect(matches(letter, {})).toBe(true);
    expect(matches(letter, { source: 'payouts' })).toBe(true);
    expect(matches(letter, { source: 'exports/payouts.csv' })).toBe(true);
    expect(matches(letter, { source: 'signups' })).toBe(false);
    expect(matches(letter, { reason: 'parse_error' })).toBe(false);
    expect(matches(letter, { since: new Date('2024-10-20T08:30:00Z') })).toBe(true);
    expect(matches(letter, { until: new Date('2024-10-20T08:30:00Z') })).toBe(false);
    expect(matches(letter, { since: new Date('2024-10-21T00:00:00Z') })).toBe(false);
  });
});
