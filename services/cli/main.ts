/**
 * `influence`: the project's one command line. Results go to stdout, logs to stderr; every
 * command has --help; exit codes: 0 ok, 1 failed, 2 usage, 3 no stack running, 78 bad config.
 */
import { ConfigError } from '../shared/config.ts';
import { CliError, EXIT } from './context.ts';
import { cliLogger } from './output.ts';

const HELP = `influence-ledger — follow money and messages in election-influence campaigns

Usage: influence <command> [options]

Commands:
  run                            the main job: stack + pipeline + bundled sample + report
  stack up|down|status|scale     the local stack (Kafka, Temporal, ClickHouse) as processes
  import <source> <files…>       parse public records into events (FEC, Meta, Snap, Google, X, first-party)
  wait --idle                    return once every consumed event has been processed
  sql "<query>"                  run SQL on the stack's ClickHouse (read-only analyst by default)
  migrate                        apply the ClickHouse migrations (idempotent)
  rebuild                        re-derive ClickHouse from the raw topics (Temporal workflow)
  replay --topic T               run a raw topic (or a time range of it) through the ingest steps again
  dlq list|stats|replay          the dead letters: list, count, re-parse after a fix
  consumers pause|resume|status  stop and restart the bridges' Kafka consumers
  temporal <args>                the Temporal CLI, pointed at the stack (e.g. temporal workflow list)

Run \`influence <command> --help\` for a command's options.`;

type Command = (argv: string[], log: ReturnType<typeof cliLogger>) => Promise<number>;

/**
 * Each command's module, loaded only when that command runs: `influence sql` need not load the
 * Temporal worker's dependencies, and every call starts faster.
 */
const commands: Record<string, () => Promise<{ run: Command; help: () => string }>> = {
  run: async () => {
    const m = await import('./commands/run.ts');
    return { run: m.runCommand, help: () => m.RUN_HELP };
  },
  stack: async () => {
    const m = await import('./commands/stack.ts');
    return { run: m.stackCommand, help: () => m.STACK_HELP };
  },
  sql: async () => {
    const m = await import('./commands/sql.ts');
    return { run: m.sqlCommand, help: () => m.SQL_HELP };
  },
  temporal: async () => {
    const m = await import('./commands/temporal.ts');
    return { run: m.temporalCommand, help: () => m.TEMPORAL_HELP };
  },
  wait: async () => {
    const m = await import('./commands/wait.ts');
    return { run: m.waitCommand, help: () => m.WAIT_HELP };
  },
  migrate: async () => {
    const m = await import('./commands/migrate.ts');
    return { run: m.migrateCommand, help: () => m.MIGRATE_HELP };
  },
  rebuild: async () => {
    const m = await import('./commands/rebuild.ts');
    return { run: m.rebuildCommand, help: () => m.REBUILD_HELP };
  },
  dlq: async () => {
    const m = await import('./commands/dlq.ts');
    return { run: m.dlqCommand, help: () => m.DLQ_HELP };
  },
  consumers: async () => {
    const m = await import('./commands/consumers.ts');
    return { run: m.consumersCommand, help: () => m.CONSUMERS_HELP };
  },
  replay: async () => {
    const m = await import('./commands/replay.ts');
    return { run: m.replayCommand, help: () => m.REPLAY_HELP };
  },
  import: async () => {
    const m = await import('./commands/import.ts');
    return { run: m.importCommand, help: m.importHelp };
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const helpFor = name === 'help' && rest[0] ? commands[rest[0]] : undefined;
  if (helpFor) {
    process.stdout.write(`${(await helpFor()).help()}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`unknown command "${name}"\n\n${HELP}\n`);
    return EXIT.usage;
  }
  try {
    const command = await load();
    return await command.run(rest, cliLogger());
  } catch (err) {
    // parseArgs' own errors name the option but not where the options are listed.
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))
      throw new CliError(`${err.message}\nRun \`influence ${name} --help\` for its options.`, EXIT.usage);
    throw err;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`influence: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else if (err instanceof ConfigError) {
    process.stderr.write(`influence: ${err.message}\n`);
    process.exitCode = EXIT.config;
  } else if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`influence: ${err.message}\n`);
    process.exitCode = EXIT.usage;
  } else {
    process.stderr.write(`influence: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.failed;
  }
}
