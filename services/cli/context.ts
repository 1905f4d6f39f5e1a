/** What every CLI command needs: the stack config and the endpoints of a running stack. */
import { loadStackConfig, type StackConfig } from '../../infra/local/config.ts';
import { readStackState, stackIsRunning, type StackEndpoints } from '../../infra/local/stack.ts';

/** Exit codes, the same for every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notRunning: 3, config: 78 } as const;

/** A failure the CLI reports as one line and an exit code, without a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.failed) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function stackConfig(): StackConfig {
  return loadStackConfig();
}

/**
 * The endpoints to talk to: those given in the environment, else those of the stack recorded
 * in the state folder. @throws CliError when neither is there.
 */
export function currentEndpoints(cfg: StackConfig): StackEndpoints {
  const state = readStackState(cfg.stateDir);
  const running = state && stackIsRunning(state) ? state.endpoints : undefined;
  if (running) {
    return {
      kafka: cfg.KAFKA_BROKERS ? { brokers: cfg.KAFKA_BROKERS.join(','), external: true } : running.kafka,
      temporal: cfg.TEMPORAL_ADDRESS
        ? { address: cfg.TEMPORAL_ADDRESS, namespace: cfg.TEMPORAL_NAMESPACE, ui: null, external: true }
        : running.temporal,
      clickhouse: cfg.CLICKHOUSE_URL
        ? { ...running.clickhouse, url: cfg.CLICKHOUSE_URL, analyst_url: null, external: true }
        : running.clickhouse,
    };
  }
  if (cfg.CLICKHOUSE_URL || cfg.KAFKA_BROKERS || cfg.TEMPORAL_ADDRESS) {
    return {
      kafka: { brokers: (cfg.KAFKA_BROKERS ?? []).join(','), external: true },
      temporal: {
        address: cfg.TEMPORAL_ADDRESS ?? '',
        namespace: cfg.TEMPORAL_NAMESPACE,
        ui: null,
        external: true,
      },
      clickhouse: {
        endpoint: cfg.CLICKHOUSE_URL ?? '',
        url: cfg.CLICKHOUSE_URL ?? '',
        analyst_url: null,
        database: 'influence',
        external: true,
      },
    };
  }
  throw new CliError(
    `no stack is running from ${cfg.stateDir} and no endpoints are set; start one with \`npx influence stack up --detach\``,
    EXIT.notRunning,
  );
}
