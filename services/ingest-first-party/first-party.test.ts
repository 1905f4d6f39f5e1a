import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { ContactV1 } from '../../schemas/events/contact.ts';
import { PayoutV1 } from '../../schemas/events/payout.ts';
import { SignupV1 } from '../../schemas/events/signup.ts';
import { SWING_STATES } from '../../schemas/geo.ts';
import { runImport, type ImportSummary } from '../shared/ingest/importer.ts';
import { openInput } from '../shared/ingest/readers.ts';
import type { ImportSource, ParseOutcome } from '../shared/ingest/source.ts';
import { silentLogger } from '../shared/logger.ts';
import { createPseudonymizer } from '../shared/pseudonym.ts';
import { createSealer } from '../shared/seal.ts';
import { toDlqRecord } from '../shared/dlq.ts';
import { instantOf, moneyOf } from './fields.ts';
import { SOURCES, readRecords, submissionFromRecord, type FirstPartySourceName } from './index.ts';
import { MemorySink } from '../shared/ingest/memory-sink.ts';

const FIXTURES = path.resolve(REPO_ROOT, 'test', 'fixtures', 'first-party');
const NOW = new Date('2024-11-06T12:00:00Z');
const pseudonymize = createPseudonymizer(Buffer.alloc(32, 9));
const sealer = createSealer(Buffer.alloc(32, 9));
const seal = (raw: Buffer): Buffer => sealer.seal(raw);
const ctx = { pseudonymize, now: NOW };

interface Expected {
  sources: Record<
    FirstPartySourceName,
    { rows: number; events: number; rejections: { id: string; detail: string }[] }
  >;
  private_values: string[];
}
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as Expected;

const ENVELOPES = { payouts: PayoutV1, signups: SignupV1, contacts: ContactV1 };
const NAMES: FirstPartySourceName[] = ['payouts', 'signups', 'contacts'];

function sourceNamed(name: FirstPartySourceName): ImportSource<unknown> {
  const s = SOURCES.find((x) => x.name === name);
  if (!s) throw new Error(`no source ${name}`);
  return s;
}

async function importFiles(
  name: FirstPartySourceName,
  inputs: string[],
): Promise<{ summary: ImportSummary; sink: MemorySink }> {
  const sink = new MemorySink();
  const summary = await runImport({
    source: sourceNamed(name),
    inputs,
    sink,
    pseudonymize,
    seal,
    log: silentLogger,
    now: () => NOW,
  });
  return { summary, sink };
}

/** CSV data records counted without the parser: line breaks outside quotes, minus the header. */
function countCsvRecords(text: string): number {
  let inQuotes = false;
  let records = 0;
  let lineHasContent = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === '\n' && !inQuotes) {
      if (lineHasContent) records++;
      lineHasContent = false;
    } else if (ch !== '\r') lineHasContent = true;
  }
  if (lineHasContent) records++;
  return records - 1;
}

function countNdjsonRecords(text: string): number {
  return text.split('\n').filter((l) => l.trim() !== '').length;
}

type Payload = Record<string, unknown>;
function payloads(sink: MemorySink): Map<string, Payload> {
  return new Map(
    sink.events.map((e) => {
      const v = JSON.parse(e.value) as { source_record_id: string; payload: Payload };
      return [v.source_record_id, v.payload];
    }),
  );
}

const dir = mkdtempSync(path.join(tmpdir(), 'first-party-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe.each(NAMES)('%s fixtures (CSV and NDJSON)', (name) => {
  const exp = expected.sources[name];
  const csv = path.join(FIXTURES, `${name}.csv`);
  const ndjson = path.join(FIXTURES, `${name}.ndjson`);

  it('counts match an independent count; every broken row is rejected with its reason', async () => {
    for (const [input, count] of [
      [csv, countCsvRecords(readFileSync(csv, 'utf8'))],
      [ndjson, countNdjsonRecords(readFileSync(ndjson, 'utf8'))],
    ] as const) {
      expect(count).toBe(exp.rows);
      const { summary, sink } = await importFiles(name, [input]);
      expect(summary).toMatchObject({
        read: count,
        published: exp.events,
        dead_lettered: exp.rejections.length,
        duplicates: 0,
      });
      expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);
      expect(sink.letters.map((l) => l.reason)).toEqual(exp.rejections.map(() => 'schema_invalid'));
      sink.letters.forEach((l, i) => expect(l.detail).toContain(exp.rejections[i]?.detail));
      for (const e of sink.events) ENVELOPES[name].parse(JSON.parse(e.value));
    }
  });

  it('CSV and NDJSON give the same events', async () => {
    const a = payloads((await importFiles(name, [csv])).sink);
    const b = payloads((await importFiles(name, [ndjson])).sink);
    expect(a.size).toBe(exp.events);
    expect(b).toEqual(a);
  });

  it('never lets a raw phone, e-mail, private name or personal id into an event or a dead letter', async () => {
    const { sink } = await importFiles(name, [csv, ndjson]);
    expect(sink.letters.length).toBeGreaterThan(0);
    // Dead letters go to Kafka too: their raw bytes are sealed, and open again for replay.
    for (const l of sink.letters) {
      expect(l.sealed).toBe(true);
      expect(sealer.open(l.raw).length).toBeGreaterThan(0);
    }
    const all = [
      ...sink.events.map((e) => e.value),
      ...sink.letters.map((l) => JSON.stringify(toDlqRecord(l, 'test'))),
      ...sink.letters.map((l) => l.raw.toString('latin1')),
    ]
      .join('\n')
      .toLowerCase();
    const needles = expected.private_values.flatMap((v) => {
      const digits = v.replace(/\D/g, '');
      return /^[\d\s()+.-]+$/.test(v) ? [v, digits] : [v.toLowerCase()];
    });
    expect(needles.length).toBeGreaterThan(300);
    for (const n of needles) expect(all.includes(n), `leaked ${n}`).toBe(false);
  });

  it('a re-import is all duplicates', async () => {
    const { sink } = await importFiles(name, [csv]);
    const stored = new Set(sink.events.map((e) => (JSON.parse(e.value) as { event_id: string }).event_id));
    const again = await runImport({
      source: sourceNamed(name),
      inputs: [csv],
      sink: new MemorySink(),
      pseudonymize,
      seal,
      log: silentLogger,
      now: () => new Date('2024-12-01T00:00:00Z'),
      stored: (ids) => Promise.resolve(new Set(ids.filter((id) => stored.has(id)))),
    });
    expect(again).toMatchObject({ published: 0, duplicates: exp.events });
  });
});

describe('golden figures of the fixtures', () => {
  it('payouts: 18 daily $1M awards, 12 bounties of $47, keyed by payer, formula and SQL kept verbatim', async () => {
    const { sink } = await importFiles('payouts', [path.join(FIXTURES, 'payouts.csv')]);
    const ps = [...payloads(sink).values()];
    const cents = (category: string): bigint =>
      ps
        .filter((p) => p.category === category)
        .reduce((t, p) => t + BigInt((p.amount as string).replace('.', '')), 0n);
    expect(ps.filter((p) => p.category === 'lottery_award').map((p) => p.amount)).toEqual(
      Array(18).fill('1000000.00'),
    );
    expect(cents('lottery_award')).toBe(1_800_000_000n);
    expect(ps.filter((p) => p.category === 'referral_bounty').map((p) => p.amount)).toEqual(
      Array(12).fill('47.00'),
    );
    expect(new Set(ps.map((p) => p.cycle))).toEqual(new Set([2024]));
    expect(sink.events.every((e) => e.key === 'C00879510')).toBe(true);
    const lottery = ps.filter((p) => p.category === 'lottery_award').map((p) => p.paid_on as string);
    expect(lottery[0]).toBe('2024-10-19');
    expect(lottery.at(-1)).toBe('2024-11-05');
    for (const p of ps) expect(SWING_STATES).toContain(p.state);
    const byId = new Map(ps.map((p) => [p.transaction_id, p]));
    expect(byId.get('AP-VEN-002')).toMatchObject({
      payee_name: "=cmd|' /C calc'!A0",
      payee_pseudonym: null,
      purpose: '=HYPERLINK("http://example.com/x","click me")',
    });
    expect(byId.get('AP-VEN-003')?.purpose).toBe("'; DROP TABLE payouts; --");
    expect(byId.get('AP-VEN-001')?.purpose).toBe('Door-to-door canvassing,\nPhiladelphia and Pittsburgh');
    expect(byId.get('AP-LOT-001')).toMatchObject({
      payee_name: null,
      payout_key: 'C00879510:2024:AP-LOT-001',
      source_kind: 'first_party',
    });
    expect(byId.get('AP-LOT-001')?.payee_pseudonym).toMatch(/^hmac-sha256:/);
    // Canvasser pay with a US date M/D/YYYY; amounts with thousands separators.
    expect(
      [...byId.values()]
        .filter((p) => p.category === 'canvasser_pay')
        .every((p) => /^2024-1[01]-\d\d$/.test(p.paid_on as string)),
    ).toBe(true);
  });

  it('signups: referred signers bring 2 phones, full state names become codes, ZIP+4 is cut to 5', async () => {
    const { sink } = await importFiles('signups', [path.join(FIXTURES, 'signups.csv')]);
    const ps = [...payloads(sink).values()];
    expect(ps).toHaveLength(36);
    for (const p of ps) {
      expect(SWING_STATES).toContain(p.state);
      expect(p.zip5).toMatch(/^\d{5}$/);
      const at = p.signed_at as string;
      expect(at >= '2024-10-19' && at <= '2024-11-06').toBe(true);
      expect(p.phones_collected).toBe(p.phone_provided ? (p.referrer ? 2 : 1) : p.referrer ? 1 : 0);
    }
    expect(ps.filter((p) => p.referrer !== null).length).toBeGreaterThan(0);
    expect(ps[1]?.signed_at).toBe('2024-10-20T15:04:05Z');
    expect(ps[2]?.channel).toBe('=HYPERLINK("http://example.com/x","click me")');
    expect(ps[3]?.channel).toBe("'; DROP TABLE signups; --");
    expect(sink.events.every((e) => e.key === 'ap-petition-2024')).toBe(true);
  });

  it('contacts: every spelling of method and outcome lands in the enum', async () => {
    const { sink } = await importFiles('contacts', [path.join(FIXTURES, 'contacts.csv')]);
    const ps = [...payloads(sink).values()];
    expect(new Set(ps.map((p) => p.method))).toEqual(new Set(['door', 'phone', 'text']));
    expect(ps.some((p) => p.campaign_id === '=HYPERLINK("http://example.com/x","click me")')).toBe(true);
    for (const p of ps) {
      expect(p.voter).toMatch(/^hmac-sha256:/);
      expect(p.canvasser).toMatch(/^hmac-sha256:/);
    }
  });
});

describe('broken inputs', () => {
  const header = 'signature_id,petition_id,signed_at,signer_email,state,zip\n';

  it('a truncated CSV (ends inside a quote) is one fault; the rows before it go through', async () => {
    const input = file(
      'trunc.csv',
      `${header}s1,p1,2024-10-20T10:00:00Z,a@example.com,PA,19103\ns2,p1,2024-10-20T10:00:00Z,"b@example.com,PA`,
    );
    const { summary, sink } = await importFiles('signups', [input]);
    expect(summary).toMatchObject({ read: 2, published: 1, dead_lettered: 1 });
    expect(sink.letters[0]?.detail).toMatch(/ends inside a quoted field/);
  });

  it('detects a semicolon file; a row with another delimiter is a fault', async () => {
    const input = file(
      'semi.csv',
      'signature_id;petition_id;signed_at;signer_email;state;zip\ns1;p1;2024-10-20T10:00:00Z;a@example.com;PA;19103\ns2,p1,2024-10-20T10:00:00Z,b@example.com,PA,19103\n',
    );
    const { summary, sink } = await importFiles('signups', [input]);
    expect(summary).toMatchObject({ read: 2, published: 1, dead_lettered: 1 });
    expect(sink.letters[0]).toMatchObject({ reason: 'parse_error', position: 'line 3' });
    expect(sink.letters[0]?.detail).toMatch(/expected 6 fields as in the header, found 1/);
  });

  it('latin-1 CSV bytes are read as latin-1: the same signer meets their UTF-8 pseudonym', async () => {
    const latin = Buffer.concat([
      Buffer.from('signature_id,petition_id,signed_at,signer_name,zip,state\ns1,p1,2024-10-20T10:00:00Z,Jos'),
      Buffer.from([0xe9]),
      Buffer.from(' Nu\xf1ez,19103,PA\n', 'latin1'),
    ]);
    const { sink } = await importFiles('signups', [file('latin.csv', latin)]);
    const [p] = [...payloads(sink).values()];
    expect(p?.signer).toBe(pseudonymize('name', 'José Nuñez|19103'));
  });

  it('NDJSON: invalid UTF-8, invalid JSON, a non-object and an over-long line are faults', async () => {
    const good = JSON.stringify({
      signature_id: 's1',
      petition_id: 'p1',
      signed_at: '2024-10-20T10:00:00Z',
      signer_email: 'a@example.com',
    });
    const input = file(
      'bad.ndjson',
      Buffer.concat([
        Buffer.from(`${good}\n`),
        Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d, 0x0a]),
        Buffer.from('{"signature_id": "s2",\n'),
        Buffer.from('[1,2]\n\n'),
        Buffer.from(`{"signature_id":"${'x'.repeat(1024 * 1024)}"}\n`),
      ]),
    );
    const { summary, sink } = await importFiles('signups', [input]);
    expect(summary).toMatchObject({ read: 5, published: 1, dead_lettered: 4 });
    expect(sink.letters.map((l) => l.reason)).toEqual([
      'encoding_error',
      'parse_error',
      'parse_error',
      'too_large',
    ]);
  });

  it('a huge CSV field is too_large and reading goes on', async () => {
    const input = file(
      'huge.csv',
      `${header}s1,p1,2024-10-20T10:00:00Z,"${'x'.repeat(1_100_000)}",PA,19103\ns2,p1,2024-10-20T10:00:00Z,b@example.com,PA,19103\n`,
    );
    const { summary, sink } = await importFiles('signups', [input]);
    expect(summary).toMatchObject({ published: 1 });
    expect(sink.letters[0]?.reason).toBe('too_large');
  });

  it('missing columns: every row is rejected with the field it lacks', async () => {
    const input = file('nocols.csv', 'payment_id,paid_at,amount\nP1,2024-10-20,47\nP2,2024-10-21,47\n');
    const { summary, sink } = await importFiles('payouts', [input]);
    expect(summary).toMatchObject({ read: 2, published: 0, dead_lettered: 2 });
    expect(sink.letters.map((l) => l.detail)).toEqual([
      'payer_committee_id missing',
      'payer_committee_id missing',
    ]);
  });

  it('a file without extension is sniffed: { means NDJSON', async () => {
    const rec = {
      attempt_id: 'a1',
      campaign_id: 'c1',
      attempted_at: '2024-10-20T10:00:00-04:00',
      method: 'door',
      outcome: 'NH',
    };
    const nd = await importFiles('contacts', [file('export.txt', `\n${JSON.stringify(rec)}\n`)]);
    expect(nd.summary).toMatchObject({ read: 1, published: 1 });
    const cs = await importFiles('contacts', [
      file('export2.txt', `${Object.keys(rec).join(',')}\n${Object.values(rec).join(',')}\n`),
    ]);
    expect(cs.summary).toMatchObject({ read: 1, published: 1 });
    const input = await openInput(file('empty.csv', ''));
    const out = [];
    for await (const r of readRecords(input)) out.push(r);
    expect(out).toEqual([]);
  });
});

describe('submissionFromRecord (single JSON records, as the webhook sends them)', () => {
  const base = {
    Signature_ID: 'sig-1',
    'Petition ID': 'ap-petition-2024',
    signed_at: '2024-10-30T09:15:00-04:00',
    signer_phone: '+1 (215) 555-0100',
    State: 'Pennsylvania',
    zip: '19103-2201',
    referrer_code: 'REF-7QX2',
  };

  it('maps a record with any key spelling and JSON types', () => {
    const o = submissionFromRecord('signups', { ...base, phones_collected: 2 }, ctx);
    expect(o).toEqual({
      ok: true,
      source_record_id: 'ap-petition-2024:sig-1',
      occurred_at: '2024-10-30T13:15:00Z',
      payload: {
        petition_id: 'ap-petition-2024',
        signed_at: '2024-10-30T13:15:00Z',
        signer: pseudonymize('phone', '2155550100'),
        referrer: pseudonymize('id', 'REF-7QX2'),
        state: 'PA',
        zip5: '19103',
        phone_provided: true,
        phones_collected: 2,
        email_provided: false,
        channel: null,
      },
    });
    if (o.ok) SignupV1.shape.payload.parse(o.payload);
  });

  it('keeps leading zeros and refuses what would lose them', () => {
    const ok = submissionFromRecord('signups', { ...base, zip: '02134', state: 'MA' }, ctx);
    expect(ok.ok && (ok.payload as Payload).zip5).toBe('02134');
    expect(submissionFromRecord('signups', { ...base, zip: 2134 }, ctx)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/5-digit ZIP/) as unknown,
    });
  });

  it('rejects bad fields with clear details', () => {
    const cases: [FirstPartySourceName, Record<string, unknown>, RegExp][] = [
      ['signups', { ...base, phones_collected: -1 }, /phones_collected must be a whole number/],
      ['signups', { ...base, phones_collected: 'two' }, /phones_collected/],
      ['signups', { ...base, phones_collected: 101 }, /above 100/],
      ['signups', { ...base, signer_phone: '555-0100' }, /signer_phone is not a phone number/],
      ['signups', { ...base, signer_email: 'not-an-email' }, /signer_email is not an e-mail address/],
      ['signups', { ...base, signed_at: { at: 'now' } }, /signed_at must be text/],
      ['signups', { ...base, signed_at: '2024-10-30 09:15' }, /no time zone/],
      ['signups', { ...base, state: '=HYPERLINK("x")' }, /state is not a US state/],
      [
        'payouts',
        {
          payment_id: 'p',
          paid_at: '2024-10-20',
          payer_committee_id: 'America PAC!',
          payer_name: 'x',
          payee_name: 'y',
          category: 'other',
          amount: '1',
        },
        /payer_committee_id must be/,
      ],
      [
        'payouts',
        {
          payment_id: 'p',
          paid_at: '2024-10-20',
          payer_committee_id: 'C00879510',
          payer_name: 'x',
          category: 'other',
          amount: '1',
        },
        /payee missing/,
      ],
      [
        'payouts',
        {
          payment_id: 'p',
          paid_at: '2024-10-20',
          payer_committee_id: 'C00879510',
          payer_name: 'x',
          payee_name: 'y',
          category: 'other',
          amount: ['1'],
        },
        /amount must be text/,
      ],
      [
        'contacts',
        {
          attempt_id: 'a',
          campaign_id: 'c',
          attempted_at: '2024-10-20T10:00:00Z',
          method: 'door',
          outcome: 'maybe',
        },
        /unknown outcome "maybe"/,
      ],
    ];
    for (const [source, rec, detail] of cases) {
      const o: ParseOutcome = submissionFromRecord(source, rec, ctx);
      expect(o.ok, String(detail)).toBe(false);
      if (!o.ok) {
        expect(o.reason).toBe('schema_invalid');
        expect(o.detail).toMatch(detail);
        expect(o.detail).not.toContain('555');
      }
    }
  });

  it('payout: a vendor keeps its name, a private payee only a pseudonym (email > phone > name), cycle rounds up', () => {
    const rec = {
      payment_id: 'AP-1',
      paid_at: '2025-03-01T10:00:00-05:00',
      payer_committee_id: 'c00879510',
      payer_name: 'America PAC',
      category: 'Lottery Award',
      amount: '$1,000,000',
      payee_name: 'Pat Doe',
      payee_phone: '215-555-0100',
    };
    const o = submissionFromRecord('payouts', rec, ctx);
    expect(o).toMatchObject({
      ok: true,
      source_record_id: 'C00879510:2026:AP-1',
      occurred_at: '2025-03-01T00:00:00Z',
      payload: {
        cycle: 2026,
        paid_on: '2025-03-01',
        amount: '1000000.00',
        currency: 'USD',
        payee_name: null,
        payee_pseudonym: pseudonymize('phone', '2155550100'),
        purpose: 'lottery award',
        state: null,
      },
    });
    if (o.ok) PayoutV1.shape.payload.parse(o.payload);
    const vendor = submissionFromRecord(
      'payouts',
      { ...rec, payee_is_vendor: true, payee_name: 'Blitz Canvass LLC' },
      ctx,
    );
    expect(vendor).toMatchObject({
      ok: true,
      payload: { payee_name: 'Blitz Canvass LLC', payee_pseudonym: null },
    });
  });

  it('contact: spellings of outcome and method, booleans, nulls', () => {
    const base2 = { attempt_id: 'a1', campaign_id: 'c1', attempted_at: '2024-11-04T18:00:00-05:00' };
    const spellings: [string, string, string, string][] = [
      ['Door Knock', 'Not Home', 'door', 'not_home'],
      ['canvass', 'NH', 'door', 'not_home'],
      ['call', 'Left-Message', 'phone', 'not_home'],
      ['SMS', 'wrong_number', 'text', 'wrong_number'],
      ['phone', 'Come Back', 'phone', 'callback'],
      ['door', 'talked', 'door', 'contacted'],
    ];
    for (const [m, out, method, outcomeName] of spellings) {
      const o = submissionFromRecord('contacts', { ...base2, method: m, outcome: out }, ctx);
      expect(o).toMatchObject({
        ok: true,
        payload: {
          method,
          outcome: outcomeName,
          canvasser: null,
          voter: null,
          state: null,
          zip5: null,
          petition_signed: null,
          paid_by_committee_id: null,
        },
      });
    }
    const o = submissionFromRecord(
      'contacts',
      {
        ...base2,
        method: 'door',
        outcome: 'talked',
        petition_signed: true,
        voter_id: 'PA-1',
        voter_phone: '2155550100',
        state: 'pa',
      },
      ctx,
    );
    expect(o).toMatchObject({
      ok: true,
      occurred_at: '2024-11-04T23:00:00Z',
      payload: { petition_signed: true, voter: pseudonymize('phone', '2155550100'), state: 'PA' },
    });
    if (o.ok) ContactV1.shape.payload.parse(o.payload);
  });
});

describe('field readers', () => {
  it('money keeps its digits, never through a float', () => {
    expect(moneyOf('47', 'a')).toBe('47.00');
    expect(moneyOf('$1,000,000', 'a')).toBe('1000000.00');
    expect(moneyOf('1000000.5', 'a')).toBe('1000000.50');
    expect(moneyOf('0.123456', 'a')).toBe('0.123456');
    expect(moneyOf('(250.00)', 'a')).toBe('-250.00');
    expect(moneyOf('-47', 'a')).toBe('-47.00');
    expect(moneyOf('-0', 'a')).toBe('0.00');
    expect(moneyOf('123456789012345.99', 'a')).toBe('123456789012345.99');
    for (const bad of ['1e6', '47,0', '1,00', 'forty-seven', '', '1.2.3', '0.1234567', '1234567890123456']) {
      expect(() => moneyOf(bad, 'a'), bad).toThrow();
    }
  });

  it('instants: offsets become Z, dates are midnight UTC, impossible dates are refused', () => {
    expect(instantOf('2024-11-05T23:59:59-05:00', 'x')).toBe('2024-11-06T04:59:59Z');
    expect(instantOf('2024-11-05T12:00:00.250+0100', 'x')).toBe('2024-11-05T11:00:00.250Z');
    expect(instantOf('2024-11-05', 'x')).toBe('2024-11-05T00:00:00Z');
    for (const bad of [
      '2024-02-30T10:00:00Z',
      '2024-10-19T24:00:00Z',
      '10/19/2024',
      '2024-10-19 10:00',
      'now',
    ]) {
      expect(() => instantOf(bad, 'x'), bad).toThrow();
    }
  });

  it('SOURCES fit the CLI list type', () => {
    const list: readonly ImportSource<unknown>[] = SOURCES;
    expect(list.map((s) => [s.name, s.eventType])).toEqual([
      ['payouts', 'payout'],
      ['signups', 'signup'],
      ['contacts', 'contact'],
    ]);
  });
});
