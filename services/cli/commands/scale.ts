/**
 * `influence stack scale`: more bridges or workers on the local stack, and more partitions for
 * a topic. Bridges share one consumer group, so Kafka spreads the raw topics' partitions over
 * them (at most one bridge per partition does work); workers poll the same task queues, so
 * Temporal spreads batches and correlations over them.
 */
import { parseArgs } from 'node:util';
import { isAlive } from '../../../infra/local/process.ts';
import { startServiceProcess } from '../../../infra/local/services.ts';
import { readStackState, recordProcesses } from '../../../infra/local/stack.ts';
import { TOPICS } from '../../../schemas/topics.ts';
import type { Logger } from '../../shared/logger.ts';
import { createKafka } from '../../shared/kafka.ts';
import { CliError, EXIT, currentEndpoints, stackConfig } from '../context.ts';
import { printJson, table } from '../output.ts';

export const SCALE_HELP = `Usage: influence stack scale [--workers N] [--bridges N] [--topic T --partitions N] [--json]

  --workers N      run N worker processes on the local stack (starts the missing ones)
  --bridges N      run N bridge processes (one consumer group: Kafka splits the partitions)
  --topic T --partitions N
                   give topic T N partitions (Kafka can only add partitions, never remove
                   them; keys move to other partitions, so per-key order holds only for
                   messages published after the change)

It only adds: to run fewer processes, stop the stack and start it again. The processes it starts
appear in \`stack status\` and stop with \`stack down\`.`;

interface Scaled {
  started: { name: string; pid: number }[];
  running: { workers: number; bridges: number };
  partitions?: { topic: string; before: number; after: number };
}

function running(stateDir: string, service: 'worker' | 'bridge'): string[] {
  const state = readStackState(stateDir);
  return (state?.processes ?? [])
    .filter((p) => p.name.startsWith(service) && isAlive(p.pid))
    .map((p) => p.name);
}

function count(name: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new CliError(`--${name} must be a whole number from 1 to ${max}`, EXIT.usage);
  return n;
}

export async function scaleCommand(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workers: { type: 'string' },
      bridges: { type: 'string' },
      topic: { type: 'string' },
      partitions: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${SCALE_HELP}\n`);
    return EXIT.ok;
  }
  const workers = count('workers', values.workers, 16);
  const bridges = count('bridges', values.bridges, 16);
  const partitions = count('partitions', values.partitions, 1000);
  if ((values.topic === undefined) !== (partitions === undefined))
    throw new CliError('--topic and --partitions go together', EXIT.usage);
  if (values.topic !== undefined && !TOPICS.some((t) => t.name === values.topic))
    throw new CliError(
      `unknown topic ${values.topic}; one of ${TOPICS.map((t) => t.name).join(', ')}`,
      EXIT.usage,
    );
  if (workers === undefined && bridges === undefined && partitions === undefined)
    throw new CliError(SCALE_HELP, EXIT.usage);

  const cfg = stackConfig();
  const endpoints = currentEndpoints(cfg);
  const result: Scaled = { started: [], running: { workers: 0, bridges: 0 } };

  if (values.topic !== undefined && partitions !== undefined) {
    const kafka = createKafka({
      brokers: endpoints.kafka.brokers.split(','),
      clientId: 'influence-cli-scale',
      log,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [values.topic] })).topics;
      const before = meta?.partitions.length ?? 0;
      if (partitions < before)
        throw new CliError(
          `${values.topic} has ${before} partitions; Kafka cannot remove partitions`,
          EXIT.usage,
        );
      if (partitions > before)
        await admin.createPartitions({ topicPartitions: [{ topic: values.topic, count: partitions }] });
      result.partitions = { topic: values.topic, before, after: partitions };
      log.info(result.partitions, 'partitions added');
    } finally {
      await admin.disconnect();
    }
  }

  for (const [service, want] of [
    ['worker', workers],
    ['bridge', bridges],
  ] as const) {
    if (want === undefined) continue;
    const state = readStackState(cfg.stateDir);
    if (!state)
      throw new CliError(
        `no stack is recorded in ${cfg.stateDir}; processes scale on the local stack only`,
        EXIT.notRunning,
      );
    const names = new Set(state.processes.map((p) => p.name));
    const missing = want - running(cfg.stateDir, service).length;
    for (let i = 0; i < missing; i++) {
      let n = 2;
      while (names.has(`${service}-${n}`)) n++;
      const name = `${service}-${n}`;
      names.add(name);
      const proc = await startServiceProcess({
        service,
        name,
        stateDir: cfg.stateDir,
        endpoints: state.endpoints,
        log,
      });
      proc.detach();
      recordProcesses(cfg.stateDir, [proc]);
      result.started.push({ name, pid: proc.pid });
      log.info({ name, pid: proc.pid }, `${service} started`);
    }
  }
  result.running = {
    workers: running(cfg.stateDir, 'worker').length,
    bridges: running(cfg.stateDir, 'bridge').length,
  };

  if (values.json) printJson(result);
  else {
    if (result.partitions)
      process.stdout.write(
        `${result.partitions.topic}: ${result.partitions.before} → ${result.partitions.after} partitions\n`,
      );
    if (result.started.length > 0)
      process.stdout.write(
        `${table(
          ['started', 'pid'],
          result.started.map((s) => [s.name, s.pid]),
        )}\n`,
      );
    process.stdout.write(`running: ${result.running.workers} workers, ${result.running.bridges} bridges\n`);
  }
  return EXIT.ok;
}
