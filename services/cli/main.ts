/**
 * `influence`: the project's one command line. Results go to stdout, logs to stderr; every
 * command has --help; exit codes: 0 ok, 1 failed, 2 usage, 3 no stack running, 78 bad config.
 */
import { ConfigError } from '../shared/config.ts';
import { CliError, EXIT } from './context.ts';
import { cliLogger } from './output.ts';
import { stackCommand, STACK_HELP } from './commands/stack.ts';
import { sqlCommand, SQL_HELP } from './commands/sql.ts';
import { runCommand, RUN_HELP } from './commands/run.ts';
import { temporalCommand, TEMPORAL_HELP } from './commands/temporal.ts';
import { importCommand, importHelp } from './commands/import.ts';
import { waitCommand, WAIT_HELP } from './commands/wait.ts';
import { migrateCommand, MIGRATE_HELP } from './commands/migrate.ts';
import { rebuildCommand, REBUILD_HELP } from './commands/rebuild.ts';
import { dlqCommand, DLQ_HELP } from './commands/dlq.ts';
import { consumersCommand, CONSUMERS_HELP } from './commands/consumers.ts';
import { replayCommand, REPLAY_HELP } from './commands/replay.ts';

const HELP = `influence-ledger — follow money and messages in election-influence campaigns

Usage: influence <command> [options]

Commands:
  run                 the main job: stack + pipeline + bundled sample + report
  stack up|down|status  the local stack (Kafka, Temporal, ClickHouse) as processes
  import <source> <files…>  parse public records into events (FEC, Meta, Snap, Google, X, first-party)
  wait --idle         return once every consumed event has been processed
  sql "<query>"       run SQL on the stack's ClickHouse (read-only analyst by default)
  migrate             apply the ClickHouse migrations (idempotent)
  rebuild             re-derive ClickHouse from the raw topics (Temporal workflow)
  replay --topic T    run a raw topic (or a time range of it) through the ingest steps again
  dlq list|stats|replay  the dead letters: list, count, re-parse after a fix
  consumers pause|resume|status  stop and restart the bridges' Kafka consumers
  temporal <args>     the Temporal CLI, pointed at the stack (e.g. temporal workflow list)

Run \`influence <command> --help\` for a command's options.`;

const commands: Record<
  string,
  { run: (argv: string[], log: ReturnType<typeof cliLogger>) => Promise<number>; help: string }
> = {
  run: { run: runCommand, help: RUN_HELP },
  stack: { run: stackCommand, help: STACK_HELP },
  sql: { run: sqlCommand, help: SQL_HELP },
  temporal: { run: temporalCommand, help: TEMPORAL_HELP },
  wait: { run: waitCommand, help: WAIT_HELP },
  migrate: { run: migrateCommand, help: MIGRATE_HELP },
  rebuild: { run: rebuildCommand, help: REBUILD_HELP },
  dlq: { run: dlqCommand, help: DLQ_HELP },
  consumers: { run: consumersCommand, help: CONSUMERS_HELP },
  replay: { run: replayCommand, help: REPLAY_HELP },
  import: {
    run: importCommand,
    get help() {
      return importHelp();
    },
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const helpFor = name === 'help' && rest[0] ? commands[rest[0]] : undefined;
  if (helpFor) {
    process.stdout.write(`${helpFor.help}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${HELP}\n`);
    return EXIT.usage;
  }
  return command.run(rest, cliLogger());
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
