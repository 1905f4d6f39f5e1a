import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { chartJsFile, sseFrame } from './server.ts';

describe('server-sent events', () => {
  it('frames an event as event and data lines ended by a blank line', () => {
    expect(sseFrame('update', { a: 1, b: 'x\ny' })).toBe('event: update\ndata: {"a":1,"b":"x\\ny"}\n\n');
  });
});

describe('Chart.js for the page', () => {
  it('is the UMD build installed with the project', () => {
    expect(chartJsFile()).toMatch(/node_modules\/chart\.js\/dist\/chart\.umd\.min\.js$/);
    expect(existsSync(chartJsFile())).toBe(true);
  });
});
