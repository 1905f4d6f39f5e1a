/**
 * The live dashboard in a real browser (Debian's Chromium driven by playwright-core; nothing is
 * downloaded): on a private pipeline, part of the sample campaign is imported, the page's charts
 * fill from the dashboard's server-sent events, a screenshot shows them drawn (the series colours
 * are in the plot areas), the figures equal the analysts' view, and a newly imported ad that
 * contradicts one already running appears in the alert feed with both ads.
 *
 * The screenshots stay in <state dir>/test/artifacts (the test stack's folder, never committed);
 * their paths are printed.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { z } from 'zod';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
import { loadStackConfig } from '../../infra/local/config.ts';
import type { ManagedProcess } from '../../infra/local/process.ts';
import { startDashboardProcess } from '../../infra/local/services.ts';
import { parseConfig } from '../../services/shared/config.ts';
import { parseCsv } from '../helpers/csv.ts';
import { startPrivatePipeline, type PrivatePipeline } from '../helpers/pipeline.ts';

const { CHROMIUM_PATH } = parseConfig({ CHROMIUM_PATH: z.string().default('/usr/bin/chromium') });
const ARTIFACTS = path.join(loadStackConfig().stateDir, 'test', 'artifacts');
const SNAP_FILE = 'snap-america-pac_snapshot_2024-11-06.csv';

let p: PrivatePipeline;
let dashboard: { process: ManagedProcess; url: string };
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
let work: string;

/** The Snap export's lines by ad id (one ad per line), and the coded stance of each ad. */
function snapAds(): { header: string; lines: Map<string, string>; stance: Map<string, string> } {
  const [header = '', ...rows] = readFileSync(path.join(CAMPAIGN_DIR, SNAP_FILE), 'utf8')
    .trimEnd()
    .split('\n');
  const lines = new Map(rows.map((l) => [l.slice(0, l.indexOf(',')), l]));
  const coded = parseCsv(readFileSync(path.join(CAMPAIGN_DIR, 'ad-annotations.csv'), 'utf8'));
  return { header, lines, stance: new Map(coded.map((r) => [r['ad_id'] ?? '', r['stance'] ?? ''])) };
}

async function importFile(source: string, file: string): Promise<void> {
  const r = await p.cli(['import', source, file, '--json']);
  expect(r.code, `${file}: ${r.stderr.slice(-2000)}`).toBe(0);
}

async function waitIdle(): Promise<void> {
  const r = await p.cli(['wait', '--idle', '--timeout', '300', '--json']);
  expect(r.code, r.stderr.slice(-3000)).toBe(0);
}

function hex(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) throw new Error(`not a #rrggbb colour: ${color}`);
  return [parseInt(m[1] ?? '', 16), parseInt(m[2] ?? '', 16), parseInt(m[3] ?? '', 16)];
}

/**
 * Pixels of each series colour inside a chart's plot area in the screenshot: its canvas box on
 * the page plus the plot area Chart.js reported (axes and legend, which also carry the colours,
 * lie outside it).
 */
async function seriesPixels(png: PNG, chart: string): Promise<Map<string, number>> {
  const canvas = page.locator(`canvas[data-chart="${chart}"]`);
  const box = await canvas.boundingBox();
  if (!box) throw new Error(`chart ${chart} is not on the page`);
  const area = JSON.parse((await canvas.getAttribute('data-chart-area')) ?? '{}') as Record<string, number>;
  const colors = JSON.parse((await canvas.getAttribute('data-series-colors')) ?? '[]') as string[];
  const counts = new Map(colors.map((c) => [c, 0]));
  const x0 = Math.ceil(box.x + (area['left'] ?? 0));
  const x1 = Math.floor(box.x + (area['right'] ?? 0));
  const y0 = Math.ceil(box.y + (area['top'] ?? 0));
  const y1 = Math.floor(box.y + (area['bottom'] ?? 0));
  const wanted = colors.map((c) => [c, hex(c)] as const);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * 4;
      const px = [png.data[i] ?? 0, png.data[i + 1] ?? 0, png.data[i + 2] ?? 0];
      for (const [c, rgb] of wanted) {
        if (rgb.every((v, k) => Math.abs(v - (px[k] ?? 0)) <= 3)) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
    }
  }
  return counts;
}

async function screenshot(name: string): Promise<PNG> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  const bytes = await page.screenshot({ path: file, fullPage: true });
  process.stdout.write(`dashboard screenshot: ${file}\n`);
  return PNG.sync.read(bytes);
}

beforeAll(async () => {
  p = await startPrivatePipeline('dashboard');
  work = mkdtempSync(path.join(tmpdir(), 'influence-dashboard-'));
  dashboard = await startDashboardProcess({ stateDir: p.stateDir, endpoints: p.stack.endpoints, log: p.log });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, deviceScaleFactor: 1 });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.process.stop();
  await p?.stop();
});

describe('the live dashboard in Chromium', () => {
  it('draws spend, efficiency and the funding flow from the topics, as the analysts’ views compute them', async () => {
    // Money in and out, signups and contacts, and only the pro-Israel Snap ads (Michigan): no
    // contradiction yet.
    const snap = snapAds();
    const michigan = [...snap.lines].filter(([id]) => snap.stance.get(id) === 'pro-Israel');
    expect(michigan.length).toBeGreaterThan(0);
    const first = path.join(work, 'snap-michigan.csv');
    writeFileSync(first, `${snap.header}\n${michigan.map(([, l]) => l).join('\n')}\n`);
    await importFile('fec-itcont', path.join(CAMPAIGN_DIR, 'fec-itcont-america-pac.txt'));
    await importFile('fec-schedule-e', path.join(CAMPAIGN_DIR, 'schedule-e-america-pac.csv'));
    await importFile('payouts', path.join(CAMPAIGN_DIR, 'payouts.csv'));
    await importFile('signups', path.join(CAMPAIGN_DIR, 'signups.csv'));
    await importFile('contacts', path.join(CAMPAIGN_DIR, 'contacts.csv'));
    await importFile('snap', first);
    await importFile('annotations', path.join(CAMPAIGN_DIR, 'ad-annotations.csv'));
    await waitIdle();

    await page.goto(dashboard.url);
    for (const chart of ['spend', 'efficiency', 'flows'])
      await page.waitForSelector(`canvas[data-chart="${chart}"][data-populated="true"]`, { timeout: 60_000 });

    // The page's figures are the analysts': efficiency_daily summed over days, per swing state.
    const rs = await p.clickhouse.query({
      query: `SELECT state, toDecimalString(sum(spend_usd_total), 2) AS spend FROM efficiency_daily
              WHERE is_swing_state GROUP BY state ORDER BY state`,
      format: 'JSONEachRow',
    });
    const expected = Object.fromEntries(
      (await rs.json<{ state: string; spend: string }>()).map((r) => [r.state, r.spend]),
    );
    expect(Object.keys(expected).length).toBe(7);
    const tileSpend = async (): Promise<Record<string, string | null>> => {
      const out: Record<string, string | null> = {};
      for (const tile of await page.locator('.tile').all())
        out[(await tile.getAttribute('data-state')) ?? ''] = await tile.getAttribute('data-spend');
      return out;
    };
    await expect.poll(tileSpend, { timeout: 60_000 }).toEqual(expected);
    await expect.poll(() => page.locator('#health-panel').getAttribute('data-dead-letters')).toBe('0');
    expect(await page.locator('#alerts .alert').count()).toBe(0);

    const png = await screenshot('dashboard.png');
    const spend = await seriesPixels(png, 'spend');
    // Every channel of the stacked bars is visible, and the bars fill a real part of the plot.
    expect(
      [...spend.values()].filter((n) => n > 50).length,
      JSON.stringify([...spend]),
    ).toBeGreaterThanOrEqual(4);
    for (const chart of ['efficiency', 'flows']) {
      const counts = await seriesPixels(png, chart);
      expect(
        [...counts.values()].reduce((a, b) => a + b, 0),
        `${chart}: ${JSON.stringify([...counts])}`,
      ).toBeGreaterThan(500);
    }
    // The same check on a chart with nothing to draw (no dead letters) finds none of its colour.
    const dlq = await seriesPixels(png, 'dlq');
    expect([...dlq.values()].reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('shows a contradiction alert with both ads when a new ad is imported', async () => {
    const snap = snapAds();
    const [newAd, line] = [...snap.lines].find(([id]) => snap.stance.get(id) === 'pro-Palestine') ?? [];
    expect(newAd).toBeDefined();
    const file = path.join(work, 'snap-new-ad.csv');
    writeFileSync(file, `${snap.header}\n${line}\n`);
    await importFile('snap', file);

    const alert = page.locator('#alerts .alert', { has: page.locator(`.ad[data-ad-id="${newAd}"]`) }).first();
    await alert.waitFor({ timeout: 120_000 });
    const sides: { id: string | null; text: string; stance: string | null }[] = [];
    for (const ad of await alert.locator('.ad').all()) {
      sides.push({
        id: await ad.getAttribute('data-ad-id'),
        text: (await ad.textContent()) ?? '',
        stance: await ad.locator('.stance').textContent(),
      });
    }
    expect(sides).toHaveLength(2);
    const mine = sides.find((s) => s.id === newAd);
    const other = sides.find((s) => s.id !== newAd);
    expect(mine?.stance).toBe('pro-Palestine');
    expect(other?.stance).toBe('pro-Israel');
    expect(snap.stance.get(other?.id ?? '')).toBe('pro-Israel');
    for (const side of [mine, other]) {
      expect(side?.text).toContain('America PAC');
      expect(side?.text).toMatch(/\$[\d,]+\.\d{2}/);
    }
    expect(mine?.text).toContain('PA');
    expect(mine?.text).toContain('ally of Palestine');
    expect(other?.text).toContain('MI');
    expect(other?.text).toContain('friend of Israel');
    await screenshot('dashboard-alert.png');
    expect(pageErrors).toEqual([]);
  });
});
