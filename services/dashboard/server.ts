/**
 * The dashboard's HTTP server: the page (static files of ./static), Chart.js from node_modules,
 * `/events` (server-sent events: a `snapshot` of every section on connect, then `update`s with
 * the sections that changed, at most one per `pushMs`), `/api/snapshot` (the same view as JSON),
 * `/healthz` and `/metrics`.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../shared/logger.ts';
import { serveMetrics, type Metrics } from '../shared/metrics.ts';
import type { DashboardAggregates, DashboardView, Section } from './aggregates.ts';

const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');

/** The UMD build of Chart.js, which a browser loads with a plain script tag (no bundler). */
export function chartJsFile(): string {
  // The package exports only its entry points (dist/chart.cjs); the UMD build sits beside them.
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return path.join(path.dirname(entry), 'chart.umd.min.js');
}

/** One server-sent event: `event:` line, `data:` line(s), blank line. */
export function sseFrame(event: string, data: unknown): string {
  const lines = JSON.stringify(data).split('\n');
  return `event: ${event}\n${lines.map((l) => `data: ${l}`).join('\n')}\n\n`;
}

interface Asset {
  type: string;
  body: Buffer;
}

function loadAssets(): Map<string, Asset> {
  const files: [string, string, string][] = [
    ['/', path.join(STATIC_DIR, 'index.html'), 'text/html; charset=utf-8'],
    ['/app.js', path.join(STATIC_DIR, 'app.js'), 'text/javascript; charset=utf-8'],
    ['/style.css', path.join(STATIC_DIR, 'style.css'), 'text/css; charset=utf-8'],
    ['/vendor/chart.umd.min.js', chartJsFile(), 'text/javascript; charset=utf-8'],
  ];
  return new Map(files.map(([url, file, type]) => [url, { type, body: readFileSync(file) }]));
}

export interface DashboardServer {
  server: http.Server;
  /** Marks sections as changed; they go out with the next push. */
  changed(sections: readonly Section[]): void;
  clients(): number;
  close(): Promise<void>;
}

/**
 * Creates the server (not yet listening). `ready` answers /healthz: 503 until the consumer has
 * joined its group. Assets are read once here, so a missing file fails at start, not per request.
 */
export function createDashboardServer(opts: {
  aggregates: DashboardAggregates;
  log: Logger;
  metrics: Metrics;
  pushMs: number;
  ready: () => boolean;
}): DashboardServer {
  const assets = loadAssets();
  const streams = new Set<http.ServerResponse>();
  const pending = new Set<Section>();
  const send = (res: http.ServerResponse, event: string, view: DashboardView): void => {
    res.write(sseFrame(event, view));
  };

  const push = setInterval(() => {
    if (pending.size === 0 || streams.size === 0) return;
    const view = opts.aggregates.view(pending);
    pending.clear();
    for (const res of streams) send(res, 'update', view);
  }, opts.pushMs);
  // Proxies close a stream that stays silent; a comment line keeps it open.
  const keepAlive = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/healthz') {
      const ready = opts.ready();
      res
        .writeHead(ready ? 200 : 503, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ status: ready ? 'ok' : 'starting', detail: { clients: streams.size } }));
      return;
    }
    if (url.pathname === '/metrics') {
      serveMetrics(res, opts.metrics);
      return;
    }
    if (url.pathname === '/api/snapshot') {
      res
        .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
        .end(JSON.stringify(opts.aggregates.view()));
      return;
    }
    if (url.pathname === '/events') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write('retry: 2000\n\n');
      send(res, 'snapshot', opts.aggregates.view());
      streams.add(res);
      opts.log.debug({ clients: streams.size }, 'browser connected');
      req.on('close', () => streams.delete(res));
      return;
    }
    const asset = assets.get(url.pathname);
    if (!asset) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' }).end(asset.body);
  });

  return {
    server,
    changed(sections) {
      for (const s of sections) pending.add(s);
    },
    clients: () => streams.size,
    async close() {
      clearInterval(push);
      clearInterval(keepAlive);
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
