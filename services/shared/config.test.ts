import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  brokerList,
  ConfigError,
  endpointsShape,
  hostPort,
  httpUrl,
  logLevelFromEnv,
  parseConfig,
} from './config.ts';

/** Runs `fn`, expecting a ConfigError, and returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('parses a complete environment', () => {
    const cfg = parseConfig(endpointsShape, {
      KAFKA_BROKERS: '127.0.0.1:9092,kafka-2:19092',
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'influence',
      CLICKHOUSE_URL: 'http://default:secret@127.0.0.1:8123',
      LOG_LEVEL: 'debug',
    });
    expect(cfg).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092', 'kafka-2:19092'],
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'influence',
      CLICKHOUSE_URL: 'http://default:secret@127.0.0.1:8123',
      LOG_LEVEL: 'debug',
    });
  });

  it('treats an empty string as unset: optionals stay undefined and defaults apply', () => {
    const cfg = parseConfig(endpointsShape, {
      KAFKA_BROKERS: '',
      TEMPORAL_ADDRESS: '',
      TEMPORAL_NAMESPACE: '',
      CLICKHOUSE_URL: '',
      LOG_LEVEL: '',
    });
    expect(cfg).toEqual({ TEMPORAL_NAMESPACE: 'default', LOG_LEVEL: 'info' });
    expect(cfg.KAFKA_BROKERS).toBeUndefined();
    expect(cfg.CLICKHOUSE_URL).toBeUndefined();
  });

  it('reports an empty required variable as missing, not as an empty value', () => {
    const shape = { SECRET: z.string().min(1) };
    const err = configError(() => parseConfig(shape, { SECRET: '' }));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatch(/^SECRET: /);
    expect(err.issues[0]).toMatch(/expected string, received undefined/);
  });

  it('ignores variables outside the shape', () => {
    expect(parseConfig({ A: z.string() }, { A: 'x', PATH: '/bin', HOME: '/root' })).toEqual({ A: 'x' });
  });

  it('lists every issue, each with its variable, in the error and its message', () => {
    const err = configError(() =>
      parseConfig(
        { ...endpointsShape, TOKEN: z.string().min(16), PORT: z.coerce.number().int().max(65535) },
        {
          KAFKA_BROKERS: '127.0.0.1:9092,nohost',
          TEMPORAL_ADDRESS: 'http://localhost:7233',
          CLICKHOUSE_URL: 'ftp://example.com',
          LOG_LEVEL: 'loud',
          TOKEN: 'short',
          PORT: '70000',
        },
      ),
    );
    expect(err.name).toBe('ConfigError');
    expect(err.issues).toEqual([
      'KAFKA_BROKERS.1: expected host:port',
      'TEMPORAL_ADDRESS: expected host:port',
      expect.stringMatching(/^CLICKHOUSE_URL: /),
      expect.stringMatching(/^LOG_LEVEL: .*"fatal"\|"error"\|"warn"\|"info"\|"debug"\|"trace"\|"silent"/),
      expect.stringMatching(/^TOKEN: .*16/),
      expect.stringMatching(/^PORT: .*65535/),
    ]);
    expect(err.message.split('\n')[0]).toBe('invalid configuration:');
    for (const issue of err.issues) expect(err.message).toContain(`\n  - ${issue}`);
  });
});

describe('brokerList', () => {
  it.each([
    ['127.0.0.1:9092', ['127.0.0.1:9092']],
    ['a:1,b:2', ['a:1', 'b:2']],
    [' a:1 , b:2 ,', ['a:1', 'b:2']],
    ['kafka.internal:65535', ['kafka.internal:65535']],
  ])('%j → %j', (text, brokers) => {
    expect(brokerList.parse(text)).toEqual(brokers);
  });

  it.each([
    ['', 'no broker'],
    [' , ,', 'only separators'],
    ['localhost', 'no port'],
    ['localhost:', 'empty port'],
    [':9092', 'no host'],
    ['host:123456', 'six-digit port'],
    ['host:port', 'port not a number'],
    ['a b:9092', 'space in the host'],
    ['a:1;b:2', 'wrong separator'],
    ['a:1,b', 'one good, one bad'],
  ])('rejects %j (%s)', (text) => {
    expect(brokerList.safeParse(text).success).toBe(false);
  });
});

describe('hostPort and httpUrl', () => {
  it('accept what they name and reject the rest', () => {
    expect(hostPort.safeParse('localhost:7233').success).toBe(true);
    expect(hostPort.safeParse('localhost').success).toBe(false);
    expect(hostPort.safeParse('http://localhost:7233').success).toBe(false);
    expect(httpUrl.safeParse('http://127.0.0.1:8123').success).toBe(true);
    expect(httpUrl.safeParse('https://u:p@ch.example.com:8443/?database=x').success).toBe(true);
    expect(httpUrl.safeParse('ftp://example.com').success).toBe(false);
    expect(httpUrl.safeParse('not a url').success).toBe(false);
  });
});

describe('logLevelFromEnv', () => {
  it('reads LOG_LEVEL, falling back to info when unset, empty or invalid', () => {
    expect(logLevelFromEnv({ LOG_LEVEL: 'warn' })).toBe('warn');
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ LOG_LEVEL: '' })).toBe('info');
    expect(logLevelFromEnv({ LOG_LEVEL: 'verbose' })).toBe('info');
  });
});
