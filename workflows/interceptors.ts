/**
 * Workflow interceptors, loaded by the worker into every workflow's sandbox
 * (`interceptors.workflowModules`). One job: tell the worker's metrics when a workflow fails,
 * through a sink (workflow code cannot reach prom-client). A continue-as-new and a cancellation
 * are not failures. Sinks are not called during replay, so a failure counts once per attempt
 * that really ran: once for a failed execution, once per retry for a failing workflow task.
 */
import {
  ContinueAsNew,
  isCancellation,
  proxySinks,
  workflowInfo,
  type Sinks,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { failureType } from './failure-type.ts';

export interface MetricsSinks extends Sinks {
  metrics: {
    /** A workflow of `workflowType` ended its attempt with a failure of `failureType`. */
    workflowFailed(workflowType: string, failureType: string): void;
  };
}

const { metrics } = proxySinks<MetricsSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          if (!(err instanceof ContinueAsNew) && !isCancellation(err))
            metrics.workflowFailed(workflowInfo().workflowType, failureType(err));
          throw err;
        }
      },
    },
  ],
});
