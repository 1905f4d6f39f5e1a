/**
 * STACK=containers for the test global setup: the same three images as docker-compose.yml
 * (Kafka in KRaft mode, the Temporal CLI dev server, ClickHouse server with the analyst user),
 * started with testcontainers on one Docker network with random host ports, then the topics and
 * the migrations of database `influence_test`. Needs a Docker engine; images are pulled on first
 * use. testcontainers' reaper removes the containers even when this process dies without stop().
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Connection } from '@temporalio/client';
import {
  GenericContainer,
  Network,
  Wait,
  type StartedNetwork,
  type StartedTestContainer,
} from 'testcontainers';
import { migrate } from '../../infra/clickhouse/migrate.ts';
import { localPassword } from '../../infra/local/clickhouse.ts';
import { REPO_ROOT } from '../../infra/local/config.ts';
import type { StackEndpoints } from '../../infra/local/stack.ts';
import { SEARCH_ATTRIBUTES } from '../../infra/local/temporal.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { TOPICS } from '../../schemas/topics.ts';
import { createKafka, ensureTopics } from '../../services/shared/kafka.ts';
import type { Logger } from '../../services/shared/logger.ts';

/** The images of docker-compose.yml; keep the two in step. */
export const IMAGES = {
  kafka: 'apache/kafka:3.9.1',
  temporal: 'temporalio/temporal:1.5.1',
  clickhouse: 'clickhouse/clickhouse-server:25.8',
} as const;

const DATABASE = 'influence_test';
const STARTUP_TIMEOUT_MS = 180_000;
const READY_TIMEOUT_MS = 120_000;

/** Kafka's listeners inside the container: other containers, the host, the KRaft controller. */
const KAFKA_INTERNAL_PORT = 19092;
const KAFKA_HOST_PORT = 9092;
const KAFKA_CONTROLLER_PORT = 9093;
/** Where the container's start script waits for the advertised host listener to appear. */
const KAFKA_ADVERTISED_FILE = '/tmp/influence-advertised-listeners';
const KAFKA_WAITING_LINE = 'influence: waiting for the advertised listeners';

const TEMPORAL_PORT = 7233;
const CLICKHOUSE_HTTP_PORT = 8123;
const CLICKHOUSE_USERS_XML = path.join(REPO_ROOT, 'infra', 'compose', 'clickhouse-users.xml');

/** The last lines a container printed, for error messages when it does not become ready. */
class LogTail {
  private readonly lines: string[] = [];
  private partial = '';
  private readonly max: number;

  constructor(max = 60) {
    this.max = max;
  }

  readonly consume = (stream: Readable): void => {
    stream.on('data', (chunk: Buffer | string) => {
      const text = this.partial + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
    });
  };

  text(): string {
    return [...this.lines, this.partial].filter((l) => l.length > 0).join('\n');
  }
}

/** Rethrows `err` with the end of the container's log appended. */
function withTail(err: unknown, name: string, tail: LogTail): Error {
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`${message}\n--- ${name} container log (tail) ---\n${tail.text()}`, { cause: err });
}

function urlWithCredentials(endpoint: string, user: string, password: string): string {
  const u = new URL(endpoint);
  u.username = user;
  u.password = password;
  return u.toString().replace(/\/$/, '');
}

/**
 * Kafka 3.9.1 in KRaft combined mode. The host listener must advertise the port Docker mapped,
 * which is known only once the container runs, so the container starts a shell that waits for
 * that address in a file, and then hands it to the image's own start script (`run` exports its
 * `NAME=value` arguments). Ready when a client on the host lists topics through the mapped port.
 */
async function startKafka(
  network: StartedNetwork,
  log: Logger,
): Promise<{ container: StartedTestContainer; brokers: string }> {
  const tail = new LogTail();
  const container = await new GenericContainer(IMAGES.kafka)
    .withNetwork(network)
    .withNetworkAliases('kafka')
    .withEnvironment({
      CLUSTER_ID: 'aW5mbHVlbmNlLWxlZGdlcg',
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS:
        `PLAINTEXT://0.0.0.0:${KAFKA_INTERNAL_PORT},PLAINTEXT_HOST://0.0.0.0:${KAFKA_HOST_PORT},` +
        `CONTROLLER://localhost:${KAFKA_CONTROLLER_PORT}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:
        'PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: `1@localhost:${KAFKA_CONTROLLER_PORT}`,
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withExposedPorts(KAFKA_HOST_PORT)
    .withCommand([
      'sh',
      '-c',
      `echo '${KAFKA_WAITING_LINE}'; ` +
        `while [ ! -s ${KAFKA_ADVERTISED_FILE} ]; do sleep 0.1; done; ` +
        `exec /etc/kafka/docker/run "KAFKA_ADVERTISED_LISTENERS=$(cat ${KAFKA_ADVERTISED_FILE})"`,
    ])
    .withWaitStrategy(Wait.forLogMessage(KAFKA_WAITING_LINE))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .withLogConsumer(tail.consume)
    .start();
  try {
    const brokers = `${container.getHost()}:${container.getMappedPort(KAFKA_HOST_PORT)}`;
    await container.copyContentToContainer([
      {
        content: `PLAINTEXT://kafka:${KAFKA_INTERNAL_PORT},PLAINTEXT_HOST://${brokers}\n`,
        target: KAFKA_ADVERTISED_FILE,
        mode: 0o644,
      },
    ]);
    // The probe's own connection errors are expected while the broker starts: keep them quiet.
    const kafka = createKafka({
      brokers: [brokers],
      clientId: 'containers-stack-probe',
      log: log.child({}, { level: 'fatal' }),
    });
    await waitFor(
      async () => {
        const admin = kafka.admin();
        try {
          await admin.connect();
          await admin.listTopics();
          return true;
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
      },
      { what: `Kafka (container) on ${brokers}`, timeoutMs: READY_TIMEOUT_MS, intervalMs: 500 },
    );
    return { container, brokers };
  } catch (err) {
    await container.stop().catch(() => undefined);
    throw withTail(err, 'kafka', tail);
  }
}

/**
 * The Temporal CLI's dev server (headless) with the project's search attributes. The image is
 * `FROM scratch` (no shell), so readiness is the CLI's own health command run as a Docker health
 * check, then a namespace lookup from the host through the mapped port.
 */
async function startTemporal(
  network: StartedNetwork,
): Promise<{ container: StartedTestContainer; address: string }> {
  const tail = new LogTail();
  const container = await new GenericContainer(IMAGES.temporal)
    .withNetwork(network)
    .withNetworkAliases('temporal')
    .withEnvironment({ TEMPORAL_VERSION_CHECK_DISABLED: '1' })
    .withCommand([
      'server',
      'start-dev',
      '--ip',
      '0.0.0.0',
      '--port',
      String(TEMPORAL_PORT),
      '--headless',
      '--dynamic-config-value',
      'frontend.enableServerVersionCheck=false',
      ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => [
        '--search-attribute',
        `${name}=${type}`,
      ]),
    ])
    .withExposedPorts(TEMPORAL_PORT)
    .withHealthCheck({
      test: ['CMD', '/temporal', 'operator', 'cluster', 'health', '--address', `127.0.0.1:${TEMPORAL_PORT}`],
      interval: 1_000,
      timeout: 5_000,
      retries: 120,
      startPeriod: 2_000,
    })
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .withLogConsumer(tail.consume)
    .start();
  try {
    const address = `${container.getHost()}:${container.getMappedPort(TEMPORAL_PORT)}`;
    await waitFor(
      async () => {
        const connection = await Connection.connect({ address, connectTimeout: '5s' });
        try {
          await connection.workflowService.describeNamespace({ namespace: 'default' });
          return true;
        } finally {
          await connection.close();
        }
      },
      { what: `Temporal (container) on ${address}`, timeoutMs: READY_TIMEOUT_MS, intervalMs: 500 },
    );
    return { container, address };
  } catch (err) {
    await container.stop().catch(() => undefined);
    throw withTail(err, 'temporal', tail);
  }
}

/**
 * ClickHouse server with infra/compose/clickhouse-users.xml: `default` as the writer and the
 * read-only `analyst`, each with a random password. Ready when the writer runs `SELECT 1`.
 */
async function startClickHouse(network: StartedNetwork): Promise<{
  container: StartedTestContainer;
  endpoint: string;
  url: string;
  analystUrl: string;
}> {
  const tail = new LogTail();
  const writerPassword = localPassword();
  const analystPassword = localPassword();
  const container = await new GenericContainer(IMAGES.clickhouse)
    .withNetwork(network)
    .withNetworkAliases('clickhouse')
    .withEnvironment({
      // Our users.d file defines `default`; the entrypoint must not restrict it to localhost.
      CLICKHOUSE_SKIP_USER_SETUP: '1',
      CLICKHOUSE_WRITER_PASSWORD: writerPassword,
      CLICKHOUSE_ANALYST_PASSWORD: analystPassword,
      CLICKHOUSE_ANALYST_DATABASE: DATABASE,
    })
    .withCopyFilesToContainer([
      {
        source: CLICKHOUSE_USERS_XML,
        target: '/etc/clickhouse-server/users.d/influence-users.xml',
        mode: 0o644,
      },
    ])
    .withUlimits({ nofile: { soft: 262_144, hard: 262_144 } })
    .withExposedPorts(CLICKHOUSE_HTTP_PORT)
    .withWaitStrategy(Wait.forHttp('/ping', CLICKHOUSE_HTTP_PORT).forStatusCode(200))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .withLogConsumer(tail.consume)
    .start();
  try {
    const endpoint = `http://${container.getHost()}:${container.getMappedPort(CLICKHOUSE_HTTP_PORT)}`;
    const auth = Buffer.from(`default:${writerPassword}`).toString('base64');
    await waitFor(
      async () => {
        const res = await fetch(`${endpoint}/?query=SELECT%201`, {
          headers: { Authorization: `Basic ${auth}` },
        });
        const body = (await res.text()).trim();
        if (res.ok && body === '1') return true;
        throw new Error(`HTTP ${res.status}: ${body.slice(0, 300)}`);
      },
      { what: `ClickHouse (container) on ${endpoint}`, timeoutMs: READY_TIMEOUT_MS, intervalMs: 250 },
    );
    return {
      container,
      endpoint,
      url: urlWithCredentials(endpoint, 'default', writerPassword),
      analystUrl: urlWithCredentials(endpoint, 'analyst', analystPassword),
    };
  } catch (err) {
    await container.stop().catch(() => undefined);
    throw withTail(err, 'clickhouse', tail);
  }
}

/**
 * Starts Kafka, Temporal and ClickHouse in containers (in parallel), creates the topics and
 * applies the migrations to `influence_test`. `stop()` removes the containers and the network.
 * @throws (after removing whatever it started) when Docker is unreachable, an image cannot be
 * pulled, or a part is not ready in time; the message ends with that container's log.
 */
export async function startContainersStack(
  log: Logger,
): Promise<{ endpoints: StackEndpoints; stop(): Promise<void> }> {
  const started = Date.now();
  const containers: StartedTestContainer[] = [];
  let network: StartedNetwork | undefined;
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const results = await Promise.allSettled(containers.map((c) => c.stop()));
    const failures: unknown[] = [];
    for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
    if (network) {
      try {
        await network.stop();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, `stopping the test containers failed ${failures.length} time(s)`);
    }
    log.info('test containers stopped');
  };

  try {
    log.info({ images: IMAGES }, 'starting the containers stack (the first run pulls the images)');
    network = await new Network().start();
    const [kafka, temporal, clickhouse] = await Promise.allSettled([
      startKafka(network, log),
      startTemporal(network),
      startClickHouse(network),
    ]);
    for (const r of [kafka, temporal, clickhouse])
      if (r.status === 'fulfilled') containers.push(r.value.container);
    if (kafka.status === 'rejected') throw kafka.reason;
    if (temporal.status === 'rejected') throw temporal.reason;
    if (clickhouse.status === 'rejected') throw clickhouse.reason;

    const endpoints: StackEndpoints = {
      kafka: { brokers: kafka.value.brokers, external: false },
      temporal: { address: temporal.value.address, namespace: 'default', ui: null, external: false },
      clickhouse: {
        endpoint: clickhouse.value.endpoint,
        url: clickhouse.value.url,
        analyst_url: clickhouse.value.analystUrl,
        database: DATABASE,
        external: false,
      },
    };

    const admin = createKafka({
      brokers: [endpoints.kafka.brokers],
      clientId: 'containers-stack',
      log,
    }).admin();
    await admin.connect();
    try {
      const { created } = await ensureTopics(admin, TOPICS);
      log.info({ topics: created.length }, 'topics created');
    } finally {
      await admin.disconnect();
    }
    await migrate({ url: endpoints.clickhouse.url, database: DATABASE, log });

    log.info(
      {
        seconds: (Date.now() - started) / 1000,
        kafka: endpoints.kafka.brokers,
        temporal: endpoints.temporal.address,
        clickhouse: endpoints.clickhouse.endpoint,
      },
      'containers stack ready',
    );
    return { endpoints, stop };
  } catch (err) {
    await stop().catch((stopErr: unknown) => log.warn({ err: stopErr }, 'cleaning up after a failed start'));
    throw err;
  }
}
