/**
 * The local Kafka: Apache Kafka 3.9.1 in KRaft combined mode (broker and controller in one
 * plain `java` process, no Docker, no ZooKeeper).
 *
 * The jars come from Maven Central through `mvn`, once per machine, into
 * `<cacheDir>/kafka-3.9.1/lib`; later runs only read that folder. With KAFKA_HOME set, the jars
 * of that installation are used instead and Maven is never called.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { accessSync, constants as fsConstants, closeSync, openSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from '../../services/shared/logger.ts';
import type { StackConfig } from './config.ts';
import { childEnv } from './config.ts';
import { freePort } from './ports.ts';
import { isAlive, spawnManaged, tailFile, type ManagedProcess } from './process.ts';
import { waitFor } from './wait.ts';

const execFileAsync = promisify(execFile);

const KAFKA_VERSION = '3.9.1';
const SCALA_VERSION = '2.13';
/** Kafka 3.9 is built against these; its POM leaves the logging binding out (compileOnly). */
const SLF4J_VERSION = '1.7.36';
const RELOAD4J_VERSION = '1.2.25';
/** Pinned so the resolve does not depend on whatever plugin version is newest today. */
const DEPENDENCY_PLUGIN_VERSION = '3.8.1';
const MIN_JAVA_MAJOR = 17;

/** Jars without which the broker or the storage formatter cannot start. */
const REQUIRED_JARS = [
  `kafka_${SCALA_VERSION}-${KAFKA_VERSION}.jar`,
  `kafka-clients-${KAFKA_VERSION}.jar`,
  `kafka-metadata-${KAFKA_VERSION}.jar`,
  `kafka-raft-${KAFKA_VERSION}.jar`,
  `slf4j-reload4j-${SLF4J_VERSION}.jar`,
  `reload4j-${RELOAD4J_VERSION}.jar`,
  /^argparse4j-.*\.jar$/, // kafka.tools.StorageTool parses its arguments with it
  /^scala-library-.*\.jar$/,
];

/** A lock older than this is taken to belong to a crashed resolve, whoever holds it. */
const LOCK_STALE_MS = 30 * 60_000;
const READY_TIMEOUT_MS = 120_000;
/** Attempts when the ports we picked were taken by someone else before Kafka bound them. */
const START_ATTEMPTS = 3;

/** Where the Kafka jars come from and how to run them. */
export interface KafkaInstall {
  /** Absolute path of the `java` executable (Java 17 or newer). */
  java: string;
  /** `:`-separated list of every jar, for `java -cp`. */
  classpath: string;
  /** Kafka version, e.g. `3.9.1` (`unknown` when a KAFKA_HOME jar name does not tell). */
  version: string;
  source: 'maven' | 'KAFKA_HOME';
}

/**
 * Makes sure Java 17+ and the Kafka jars are available and returns how to run them.
 *
 * - With `cfg.KAFKA_HOME` set: uses `$KAFKA_HOME/libs/*.jar`; Maven is never called.
 * - Otherwise: the first call on a machine runs `mvn dependency:copy-dependencies` for
 *   kafka_2.13:3.9.1 (plus the slf4j-reload4j binding its POM leaves out) into
 *   `<cfg.cacheDir>/kafka-3.9.1/lib` and writes a marker when the copy is complete; every later
 *   call only lists that folder. Concurrent first calls (several clones, parallel test runs) are
 *   serialised by a lock directory next to the cache folder; a lock whose owner died, or that is
 *   older than 30 minutes, is broken.
 *
 * @throws Error naming the package to install when `java` (or, without a cache, `mvn`) is not
 *   on `cfg.PATH` or Java is older than 17; Error with the tail of `mvn.log` when Maven fails;
 *   Error when KAFKA_HOME has no `libs/*.jar`.
 */
export async function ensureKafkaInstall(cfg: StackConfig, log: Logger): Promise<KafkaInstall> {
  const java = findOnPath('java', cfg.PATH);
  if (!java) {
    throw new Error(
      `Java ${MIN_JAVA_MAJOR}+ is required to run the local Kafka, but \`java\` is not on PATH. ` +
        'Install it (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`), ' +
        'or set KAFKA_BROKERS to use a Kafka that is already running.',
    );
  }
  await checkJavaVersion(java, cfg);

  if (cfg.KAFKA_HOME) {
    const libs = path.join(path.resolve(cfg.KAFKA_HOME), 'libs');
    const jars = await listJars(libs);
    if (jars.length === 0) {
      throw new Error(
        `KAFKA_HOME=${cfg.KAFKA_HOME} has no libs/*.jar; point it at an unpacked Kafka distribution`,
      );
    }
    const version = jars
      .map((j) => /^kafka_[\d.]+-(\d[^-]*)\.jar$/.exec(path.basename(j))?.[1])
      .find(Boolean);
    log.info({ kafkaHome: cfg.KAFKA_HOME, version }, 'using Kafka from KAFKA_HOME');
    return {
      java,
      classpath: jars.join(path.delimiter),
      version: version ?? 'unknown',
      source: 'KAFKA_HOME',
    };
  }

  const root = path.join(cfg.cacheDir, `kafka-${KAFKA_VERSION}`);
  let jars = await completedJars(root);
  if (!jars) {
    await mkdir(cfg.cacheDir, { recursive: true });
    jars = await withLock(`${root}.lock`, log, async () => {
      // Another process may have finished the resolve while we waited for the lock.
      return (await completedJars(root)) ?? (await resolveJars(root, cfg, log));
    });
  }
  return { java, classpath: jars.join(path.delimiter), version: KAFKA_VERSION, source: 'maven' };
}

/** A running local Kafka. */
export interface LocalKafka {
  /** Bootstrap address for clients: `127.0.0.1:<port>`. */
  brokers: string;
  process: ManagedProcess;
}

/**
 * Starts a fresh single-node Kafka (KRaft, broker+controller) for one stack and resolves once a
 * client can talk to it (an admin `describeCluster` succeeds).
 *
 * Everything lives under `<stateDir>/kafka` (config, data; deleted first, so every stack starts
 * empty) and the log goes to `<stateDir>/logs/kafka.log` (truncated per start). Topics are not
 * auto-created: the project creates its topics explicitly. `port` defaults to a free port; the
 * controller always gets a free port of its own (a start that loses the race for a picked port
 * is retried with new ports, up to 3 times). The logging config is for Kafka 3.x (reload4j); a
 * Kafka 4 from KAFKA_HOME would ignore it.
 *
 * @throws Error at once when the given `port` is in use; whatever {@link ensureKafkaInstall}
 *   throws; Error with the formatter's output when the storage format fails; Error with the
 *   first ERROR line and the log tail when Kafka exits or is not ready within 120 s (the process
 *   is stopped first, so nothing is left running).
 */
export async function startKafka(opts: {
  cfg: StackConfig;
  stateDir: string;
  log: Logger;
  port?: number;
}): Promise<LocalKafka> {
  const { cfg, log } = opts;
  const install = await ensureKafkaInstall(cfg, log);
  const kafkaDir = path.join(opts.stateDir, 'kafka');
  const logFile = path.join(opts.stateDir, 'logs', 'kafka.log');
  await mkdir(path.dirname(logFile), { recursive: true });

  // A port the caller chose will not become free by retrying: fail now, not after a JVM start.
  if (opts.port !== undefined && !(await canBind(opts.port))) {
    throw new Error(`cannot start Kafka on 127.0.0.1:${opts.port}: the port is in use`);
  }
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    try {
      return await startOnce({ install, kafkaDir, logFile, port, controllerPort, cfg, log });
    } catch (err) {
      // freePort() only says a port was free a moment ago; retry when we lost that race.
      const taken = Number(/failed to bind to [^\s]*:(\d+)/.exec(readLog(logFile))?.[1]);
      const ours = taken === controllerPort || (taken === port && opts.port === undefined);
      if (!ours || attempt >= START_ATTEMPTS) throw err;
      log.warn(
        { port: taken, attempt },
        'a port picked for Kafka was taken meanwhile; retrying with other ports',
      );
    }
  }
}

/**
 * Starts the Kafka of the stack in `stateDir` again after its process stopped or was killed
 * (fault tests: a broker restart under load): the configuration, ports and data of the last
 * {@link startKafka} there, nothing formatted or deleted, so topics, messages and committed
 * offsets are what the old process left. The log is appended to.
 *
 * @throws Error when `stateDir` holds no Kafka configuration, when its port is still taken (the
 *   old process must be gone first), or as {@link startKafka} when the broker is not ready.
 */
export async function restartKafka(opts: {
  cfg: StackConfig;
  stateDir: string;
  log: Logger;
}): Promise<LocalKafka> {
  const kafkaDir = path.join(opts.stateDir, 'kafka');
  const props = readLog(path.join(kafkaDir, 'server.properties'));
  const port = Number(/^listeners=PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/m.exec(props)?.[1]);
  if (!port) throw new Error(`no Kafka configuration of a stack in ${kafkaDir}; start the stack first`);
  if (!(await canBind(port))) {
    throw new Error(
      `cannot restart Kafka on 127.0.0.1:${port}: the port is in use (is the old broker gone?)`,
    );
  }
  const install = await ensureKafkaInstall(opts.cfg, opts.log);
  const logFile = path.join(opts.stateDir, 'logs', 'kafka.log');
  return launch({ install, kafkaDir, logFile, port, cfg: opts.cfg, log: opts.log });
}

async function startOnce(a: {
  install: KafkaInstall;
  kafkaDir: string;
  logFile: string;
  port: number;
  controllerPort: number;
  cfg: StackConfig;
  log: Logger;
}): Promise<LocalKafka> {
  const { install, kafkaDir, logFile, log } = a;
  await rm(kafkaDir, { recursive: true, force: true });
  const dataDir = path.join(kafkaDir, 'data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(logFile, '');

  const propsFile = path.join(kafkaDir, 'server.properties');
  const log4jFile = path.join(kafkaDir, 'log4j.properties');
  await writeFile(propsFile, serverProperties({ port: a.port, controllerPort: a.controllerPort, dataDir }));
  await writeFile(log4jFile, LOG4J_PROPERTIES);
  const env = childEnv({ PATH: a.cfg.PATH });
  const log4jArg = `-Dlog4j.configuration=file:${log4jFile}`;

  const clusterId = randomClusterId();
  try {
    const out = await execFileAsync(
      install.java,
      [
        '-Xmx256m',
        log4jArg,
        '-cp',
        install.classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        propsFile,
        '--ignore-formatted',
      ],
      { cwd: kafkaDir, env, maxBuffer: 16 * 1024 * 1024 },
    );
    await appendFile(logFile, `# kafka-storage format -t ${clusterId}\n${out.stdout}${out.stderr}`);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    await appendFile(logFile, `${e.stdout ?? ''}${e.stderr ?? ''}`);
    throw new Error(
      `formatting Kafka storage in ${dataDir} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
  }

  return launch({ install, kafkaDir, logFile, port: a.port, cfg: a.cfg, log });
}

/**
 * Starts the broker of `<kafkaDir>/server.properties` (already formatted) and resolves once a
 * client can talk to it. @throws with the first ERROR line and the log tail when it exits or is
 * not ready in time (the process is stopped first).
 */
async function launch(a: {
  install: KafkaInstall;
  kafkaDir: string;
  logFile: string;
  port: number;
  cfg: StackConfig;
  log: Logger;
}): Promise<LocalKafka> {
  const { install, kafkaDir, logFile, log } = a;
  const propsFile = path.join(kafkaDir, 'server.properties');
  const log4jArg = `-Dlog4j.configuration=file:${path.join(kafkaDir, 'log4j.properties')}`;
  const env = childEnv({ PATH: a.cfg.PATH });
  const proc = spawnManaged(
    'kafka',
    install.java,
    [
      '-Xms256m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      log4jArg,
      '-cp',
      install.classpath,
      'kafka.Kafka',
      propsFile,
    ],
    { cwd: kafkaDir, env, logFile, log },
  );
  const brokers = `127.0.0.1:${a.port}`;
  const started = Date.now();
  try {
    await waitFor(() => describeCluster(brokers), {
      what: `Kafka on ${brokers}`,
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 250,
      abortIf: () => {
        const s = proc.exitStatus();
        return s ? `kafka exited (code ${s.code}, signal ${s.signal}) before it was ready` : undefined;
      },
    });
  } catch (err) {
    await proc.stop(5_000);
    // The first ERROR line and the exception under it usually say why; the tail shows the end.
    const lines = readLog(logFile).split('\n');
    const first = lines.findIndex((l) => /\] (ERROR|FATAL) /.test(l));
    const cause = first >= 0 ? `\nfirst error: ${lines.slice(first, first + 2).join('\n')}` : '';
    throw new Error(`${(err as Error).message}${cause}\n--- ${logFile} (tail) ---\n${proc.tail(30)}`, {
      cause: err,
    });
  }
  log.info({ brokers, pid: proc.pid, ms: Date.now() - started }, 'kafka ready');
  return { brokers, process: proc };
}

/** One probe: returns the cluster once a broker answers, undefined (or throws) otherwise. */
async function describeCluster(brokers: string): Promise<{ clusterId: string } | undefined> {
  const admin = new Kafka({
    clientId: 'influence-ledger-stack-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 ? cluster : undefined;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function serverProperties(p: { port: number; controllerPort: number; dataDir: string }): string {
  return `# Generated by infra/local/kafka.ts for one local stack; rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${p.controllerPort}
listeners=PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${p.port}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${p.dataDir}
# Single node: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Fewer partitions than the default 50 make the first consumer group / transaction start faster.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
# Tests create and join groups all the time; do not wait 3 s for more members.
group.initial.rebalance.delay.ms=0
num.partitions=3
# Off on purpose: the project creates its topics explicitly, so a typo in a topic name fails
# loudly instead of silently producing into a new topic.
auto.create.topics.enable=false
# The default 128 MB cleaner buffer is a quarter of the small heap this process gets.
log.cleaner.dedupe.buffer.size=16777216
`;
}

/** reload4j (log4j 1.2) config: everything to stdout, which spawnManaged sends to kafka.log. */
const LOG4J_PROPERTIES = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
# Each of these dumps hundreds of lines at INFO on every start or request.
log4j.logger.kafka.server.KafkaConfig=WARN
log4j.logger.kafka.server.ControllerConfig=WARN
log4j.logger.org.apache.kafka.common.config.AbstractConfig=WARN
log4j.logger.org.apache.kafka.clients.producer.ProducerConfig=WARN
log4j.logger.org.apache.kafka.clients.consumer.ConsumerConfig=WARN
log4j.logger.org.apache.kafka.clients.admin.AdminClientConfig=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.log=WARN
log4j.logger.org.apache.kafka.image.loader=WARN
log4j.logger.org.apache.kafka.queue.KafkaEventQueue=WARN
log4j.logger.org.apache.zookeeper=WARN
# Every background thread says Starting / Shutting down / Stopped / Shutdown completed.
log4j.logger.kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper=WARN
log4j.logger.kafka.server.ClientQuotaManager$ThrottledChannelReaper=WARN
log4j.logger.kafka.server.NodeToControllerRequestThread=WARN
log4j.logger.org.apache.kafka.server.util.timer.SystemTimerReaper$Reaper=WARN
`;

/** A cluster id as Kafka makes them: 16 random bytes, base64url, 22 characters. */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    // Kafka avoids a leading '-' too: the formatter's argument parser would read it as an option.
    if (!id.startsWith('-')) return id;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolving the jars from Maven Central

const MARKER = '.complete';

/** The jars of a completed resolve under `root`, or undefined when there is none. */
async function completedJars(root: string): Promise<string[] | undefined> {
  try {
    await stat(path.join(root, MARKER));
  } catch {
    return undefined;
  }
  const jars = await listJars(path.join(root, 'lib'));
  return jars.length > 0 ? jars : undefined;
}

async function resolveJars(root: string, cfg: StackConfig, log: Logger): Promise<string[]> {
  const mvn = findOnPath('mvn', cfg.PATH);
  if (!mvn) {
    throw new Error(
      `Maven (\`mvn\`) is needed once to fetch the Kafka ${KAFKA_VERSION} jars from Maven Central, ` +
        'but it is not on PATH. Install it (Debian/Ubuntu: `apt-get install maven`), ' +
        'or set KAFKA_HOME to an unpacked Kafka distribution.',
    );
  }
  log.info({ cacheDir: root }, 'resolving Kafka jars from Maven Central (first run only)…');
  const started = Date.now();
  await mkdir(root, { recursive: true });
  await rm(path.join(root, MARKER), { force: true });
  const partial = path.join(root, 'lib.partial');
  await rm(partial, { recursive: true, force: true });
  await writeFile(path.join(root, 'pom.xml'), POM);

  const mvnLog = path.join(root, 'mvn.log');
  const args = [
    '-q',
    '-B',
    'dependency:copy-dependencies',
    '-DoutputDirectory=lib.partial',
    '-DincludeScope=runtime',
  ];
  const code = await run(mvn, args, { cwd: root, env: childEnv({ PATH: cfg.PATH }), logFile: mvnLog });
  if (code !== 0) {
    throw new Error(
      `\`mvn ${args.join(' ')}\` in ${root} failed (exit ${code}); Maven must reach Maven Central ` +
        `with its default settings.\n--- ${mvnLog} (tail) ---\n${tailFile(mvnLog, 40)}`,
    );
  }
  const names = (await readdir(partial)).filter((f) => f.endsWith('.jar'));
  const missing = REQUIRED_JARS.filter(
    (r) => !names.some((n) => (typeof r === 'string' ? n === r : r.test(n))),
  );
  if (missing.length > 0) {
    throw new Error(`Maven resolved Kafka into ${partial} but these jars are missing: ${missing.join(', ')}`);
  }
  // Swap the complete folder in, then mark it: a crash before the marker means "resolve again".
  const lib = path.join(root, 'lib');
  await rm(lib, { recursive: true, force: true });
  await rename(partial, lib);
  await writeFile(
    path.join(root, MARKER),
    `${JSON.stringify({ kafka: KAFKA_VERSION, jars: names.length, resolvedAt: new Date().toISOString() })}\n`,
  );
  log.info({ jars: names.length, ms: Date.now() - started }, 'Kafka jars resolved');
  return listJars(lib);
}

const POM = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by infra/local/kafka.ts: only used to copy the Kafka jars into lib/. -->
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>influence-ledger.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_${SCALA_VERSION}</artifactId>
      <version>${KAFKA_VERSION}</version>
    </dependency>
    <!-- Kafka's POM leaves the logging backend out; its distribution ships these. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>${SLF4J_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>ch.qos.reload4j</groupId>
      <artifactId>reload4j</artifactId>
      <version>${RELOAD4J_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>${DEPENDENCY_PLUGIN_VERSION}</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
`;

/** Runs a command to completion with its output in `logFile` (not detached: Ctrl-C stops it too). */
function run(
  command: string,
  args: readonly string[],
  o: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Promise<number> {
  const fd = openSync(o.logFile, 'w');
  return new Promise<number>((resolve) => {
    const child = spawn(command, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', fd, fd] });
    child.once('error', () => resolve(-1));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1)));
  }).finally(() => closeSync(fd));
}

// ---------------------------------------------------------------------------------------------
// A lock between processes: a directory (mkdir is atomic) holding the owner's pid and host.

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: number;
}

async function withLock<T>(lockDir: string, log: Logger, fn: () => Promise<T>): Promise<T> {
  const token = randomUUID();
  let told = false;
  await waitFor(
    async () => {
      if (await tryAcquire(lockDir, token)) return true;
      if (await breakIfStale(lockDir, log)) return undefined;
      if (!told) {
        told = true;
        log.info({ lock: lockDir }, 'another process is resolving the Kafka jars; waiting for it');
      }
      return undefined;
    },
    {
      what: `the lock ${lockDir} (remove it if no resolve is running)`,
      timeoutMs: LOCK_STALE_MS + 60_000,
      intervalMs: 500,
    },
  );
  try {
    return await fn();
  } finally {
    const owner = await readOwner(lockDir);
    if (owner?.token === token) await rm(lockDir, { recursive: true, force: true });
  }
}

async function tryAcquire(lockDir: string, token: string): Promise<boolean> {
  try {
    await mkdir(lockDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), token, since: Date.now() };
  await writeFile(path.join(lockDir, 'owner.json'), JSON.stringify(owner));
  return true;
}

async function readOwner(lockDir: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path.join(lockDir, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Removes the lock when its owner is dead or it is too old; true when it did. */
async function breakIfStale(lockDir: string, log: Logger): Promise<boolean> {
  const owner = await readOwner(lockDir);
  let since = owner?.since;
  if (since === undefined) {
    // Just created and owner.json not written yet, or the owner died in between.
    try {
      since = (await stat(lockDir)).mtimeMs;
    } catch {
      return true; // gone already
    }
  }
  const ownerDead = owner !== undefined && owner.host === hostname() && !isAlive(owner.pid);
  const tooOld = Date.now() - since > LOCK_STALE_MS;
  const orphaned = owner === undefined && Date.now() - since > 60_000;
  if (!ownerDead && !tooOld && !orphaned) return false;

  // Move it aside first (atomic) so two waiters breaking it at once cannot delete a fresh lock.
  const aside = `${lockDir}.stale-${randomUUID()}`;
  try {
    await rename(lockDir, aside);
  } catch {
    return true; // someone else moved it
  }
  const moved = await readOwner(aside);
  if (moved?.token !== owner?.token) {
    // We moved a lock taken after our check: put it back.
    await rename(aside, lockDir).catch(() => undefined);
    return false;
  }
  await rm(aside, { recursive: true, force: true });
  log.warn(
    { lock: lockDir, pid: owner?.pid, host: owner?.host },
    'removed a stale lock of a Kafka resolve that did not finish',
  );
  return true;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Absolute path of an executable found on `searchPath`, or undefined. */
function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

async function checkJavaVersion(java: string, cfg: StackConfig): Promise<void> {
  let text: string;
  try {
    // `java -version` writes to stderr.
    const out = await execFileAsync(java, ['-version'], { env: childEnv({ PATH: cfg.PATH }) });
    text = `${out.stderr}${out.stdout}`;
  } catch (err) {
    throw new Error(`\`${java} -version\` failed: ${(err as Error).message}`, { cause: err });
  }
  // `version "17.0.15"`, `version "21"`, or the old style `version "1.8.0_392"`.
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!(major >= MIN_JAVA_MAJOR)) {
    throw new Error(
      `Kafka ${KAFKA_VERSION} needs Java ${MIN_JAVA_MAJOR}+, but ${java} is ${m ? `Java ${major}` : 'of unknown version'}. ` +
        'Install a newer one (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`) and put it first on PATH.',
    );
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** True when nothing listens on 127.0.0.1:`port` right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Absolute paths of the `*.jar` files in `dir`, sorted; [] when the folder does not exist. */
async function listJars(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith('.jar'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}
