/**
 * A small HTTP server for a service's /healthz: 200 with `{ status: "ok" }` while `check`
 * says ready, 503 otherwise; and /metrics, the process's Prometheus metrics (metrics.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { metrics as processMetrics, serveMetrics, type Metrics } from './metrics.ts';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0 = any free port); /metrics serves `metrics`. */
export function startHealthServer(
  port: number,
  check: () => { ready: boolean; detail?: unknown },
  metrics: Metrics = processMetrics,
): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      serveMetrics(res, metrics);
      return;
    }
    if (req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    const { ready, detail } = check();
    const body = JSON.stringify({ status: ready ? 'ok' : 'starting', detail });
    res.writeHead(ready ? 200 : 503, { 'Content-Type': 'application/json' }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** Runs `stop` once on SIGTERM or SIGINT, then exits 0 (1 if stopping failed). */
export function onShutdown(
  log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void },
  stop: () => Promise<void>,
): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
