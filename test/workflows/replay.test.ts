/**
 * Replays recorded workflow histories against the current workflow code: a change that would
 * make a running or retried workflow take another path (non-determinism) fails here, before it
 * reaches a cluster. Record a new history with test/fixtures/histories/record.ts when a
 * workflow changes on purpose (and keep the old one while old runs may still be open).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { WORKFLOW_INTERCEPTORS_PATH, WORKFLOWS_PATH } from '../../services/worker/worker.ts';

const dir = path.join(import.meta.dirname, '..', 'fixtures', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories', () => {
  it('are there to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('replay deterministically against the current workflow code', async () => {
    const histories = files.map((f) => {
      const { workflowId, history } = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as {
        workflowId: string;
        history: unknown;
      };
      return { workflowId, history: historyFromJSON(history) };
    });
    const results = [];
    for await (const r of Worker.runReplayHistories(
      { workflowsPath: WORKFLOWS_PATH, interceptors: { workflowModules: [WORKFLOW_INTERCEPTORS_PATH] } },
      histories,
    )) {
      results.push(r);
    }
    expect(results).toHaveLength(histories.length);
    for (const r of results) expect(r.error, `${r.workflowId}: ${String(r.error)}`).toBeUndefined();
  });
});
