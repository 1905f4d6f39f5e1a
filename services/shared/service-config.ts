/** Config shapes of the pipeline services (parsed in each service's main). */
import { z } from 'zod';
import { brokerList, hostPort, httpUrl, logLevel } from './config.ts';

export const kafkaShape = { KAFKA_BROKERS: brokerList };
export const temporalShape = {
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
};
export const clickhouseShape = {
  CLICKHOUSE_URL: httpUrl,
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default('influence'),
};
export const commonShape = {
  LOG_LEVEL: logLevel,
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(0),
};
