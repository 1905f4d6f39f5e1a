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

/**
 * An operator's action on a running service (`POST /control/<name>`), e.g. the bridge's pause:
 * returns what to answer as JSON.
 */
export type ControlAction = () => unknown;

/**
 * Listens on 127.0.0.1:`port` (0 = any free port); /metrics serves `metrics`. `control` actions
 * answer `POST /control/<name>`; the server listens on loopback only, so only the machine's own
 * operators (or a sidecar) reach them.
 */
export function startHealthServer(
  port: number,
  check: () => { ready: boolean; detail?: unknown },
  metrics: Metrics = processMetrics,
  control: Record<string, ControlAction> = {},
): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      serveMetrics(res, metrics);
      return;
    }
    const name = req.url?.startsWith('/control/') ? req.url.slice('/control/'.length) : undefined;
    if (name !== undefined) {
      const action = Object.hasOwn(control, name) ? control[name] : undefined;
      if (!action) {
        res.writeHead(404).end();
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
        return;
      }
      try {
        const body = JSON.stringify(action() ?? {});
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      } catch (err) {
        res
          .writeHead(500, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ error: (err as Error).message }));
      }
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
