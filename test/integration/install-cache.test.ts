/**
 * A second run must not touch Maven or the Go proxy: once the global setup has installed Kafka
 * and built Temporal, both are found in the cache with neither `mvn` nor `go` on the PATH.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../infra/local/config.ts';
import { ensureKafkaInstall } from '../../infra/local/kafka.ts';
import { ensureTemporalBinary } from '../../infra/local/temporal.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { stackEndpoints } from '../helpers/stack.ts';

const bin = mkdtempSync(path.join(tmpdir(), 'influence-path-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('the install cache', () => {
  it('is used without mvn, go or a temporal on PATH', async () => {
    const e = stackEndpoints();
    // Only meaningful when the stack's parts came from the cache (not from external endpoints).
    expect(e.kafka.external || e.temporal.external).toBe(false);
    // A PATH holding java alone: mvn, go and temporal cannot be found.
    const java = execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim();
    symlinkSync(java, path.join(bin, 'java'));
    const cfg = { ...loadStackConfig(), PATH: bin };

    const kafka = await ensureKafkaInstall(cfg, silentLogger);
    expect(kafka.source).toBe('maven');
    expect(kafka.version).toBe('3.9.1');
    expect(kafka.classpath).toContain(cfg.cacheDir);

    const temporal = await ensureTemporalBinary(cfg, silentLogger);
    expect(temporal.startsWith(cfg.cacheDir)).toBe(true);
  });
});
