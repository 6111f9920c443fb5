// The service's own CloudWatch metrics, written by Powertools in the embedded metric format: one
// namespace for all of them, and each function's Powertools service name (POWERTOOLS_SERVICE_NAME,
// which the stacks set per area and kind of function) as the `service` dimension the alarms select on.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

export const METRICS_NAMESPACE = 'AsbCaseReview';

/** 1 for each reminder about a human step past its deadline; the OverdueTasks alarm watches it. */
export const OVERDUE_TASKS_METRIC = 'OverdueTasks';

/** 1 for each case newly marked as needing attention (its workflow stopped); an alarm watches it. */
export const CASES_NEEDING_ATTENTION_METRIC = 'CasesNeedingAttention';

/**
 * Each attempt to start a case's first execution (functions/cases/case-review-starter.ts): 1 when it could
 * not be started (the next request about it, or the reconciler, starts it), 0 when it was, so the alarm
 * that watches it sees data and not silence. Counted by area, not by door: the API and the pages start
 * cases alike.
 */
export const EXECUTION_START_FAILURES_METRIC = 'ExecutionStartFailures';

export function metricsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Metrics {
  const serviceName = env.POWERTOOLS_SERVICE_NAME;
  return new Metrics({ namespace: METRICS_NAMESPACE, ...(serviceName && { serviceName }) });
}

/** Counts one reminder of a human step past its deadline, written out at once. */
export function countOverdueTask(metrics: Metrics): void {
  metrics.addMetric(OVERDUE_TASKS_METRIC, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/** Counts one case newly marked as needing attention, written out at once. */
export function countCaseNeedingAttention(metrics: Metrics): void {
  metrics.addMetric(CASES_NEEDING_ATTENTION_METRIC, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/** Counts one start of a case's first execution under the area, failed or not, written out at once. */
export function countExecutionStart(metrics: Metrics, area: string, failed: boolean): void {
  const single = metrics.singleMetric();
  single.clearDefaultDimensions();
  single.addDimension('area', area);
  single.addMetric(EXECUTION_START_FAILURES_METRIC, MetricUnit.Count, failed ? 1 : 0);
}

/**
 * The HTTP functions' middleware: publishes what a request counted when it ends, and with `coldStart` the
 * ColdStart metric on an instance's first request. Not Powertools' logMetrics, which also writes "No
 * application metrics to publish" on every request that counted nothing (most page views and reads):
 * a log line and about a millisecond of CPU each (a CPU profile of the pages).
 */
export function publishMetrics(
  metrics: Metrics,
  options: { readonly coldStart?: boolean } = {},
): MiddlewareObj<unknown, unknown, Error, Context> {
  // As publishing would, a request's dimensions and metadata end with it even when it counted nothing.
  const publish = () => {
    if (metrics.hasStoredMetrics()) {
      metrics.publishStoredMetrics();
    } else {
      metrics.clearDimensions();
      metrics.clearMetadata();
    }
  };
  return {
    before: (request) => {
      if (options.coldStart) metrics.captureColdStartMetric(request.context.functionName);
    },
    after: publish,
    onError: publish,
  };
}
