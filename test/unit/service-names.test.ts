// The API's metrics carry the service name the stacks give each function (POWERTOOLS_SERVICE_NAME,
// per area and kind), so that two areas in one account never mix their metrics; the HTTP functions
// publish what each request counted, and nothing for one that counted nothing.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#test/support/api-events.ts';
import { emfWrittenDuring } from '#test/support/emf.ts';

describe("the API's Powertools service name", () => {
  it('is the one the function is deployed with', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'asb-case-review-exampleshire-api');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const { powertools } = await import('#shared/powertools.ts');
    const { metrics } = powertools('api');

    // Act
    const documents = await emfWrittenDuring(() => {
      metrics.addMetric('ApplicationsSubmitted', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    });
    vi.unstubAllEnvs();

    // Assess
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      service: 'asb-case-review-exampleshire-api',
      ApplicationsSubmitted: 1,
    });
    expect(documents[0]?._aws.CloudWatchMetrics[0]?.Namespace).toBe('AsbCaseReview');
  });
});

describe('publishMetrics', () => {
  it('publishes what a request counted and the ColdStart once, and writes nothing for a request that counted nothing', async () => {
    // Prepare: an instance Lambda started on demand, whose first request is its cold start
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const { metricsFromEnv, publishMetrics } = await import('#shared/metrics.ts');
    const metrics = metricsFromEnv();
    const handler = middy(async (count: boolean) => {
      if (count) metrics.addMetric('DecisionsRecorded', MetricUnit.Count, 1);
    }).use(publishMetrics(metrics, { coldStart: true }));
    // Powertools writes its warnings to standard error through a console of its own.
    const warnings = vi.spyOn(process.stderr, 'write');

    // Act
    const first = await emfWrittenDuring(() => handler(false, lambdaContext()));
    const counted = await emfWrittenDuring(() => handler(true, lambdaContext()));
    const nothing = await emfWrittenDuring(() => handler(false, lambdaContext()));
    vi.unstubAllEnvs();

    // Assess
    expect(first.map((document) => Object.keys(document).filter((key) => key !== '_aws'))).toEqual([
      expect.arrayContaining(['ColdStart']),
    ]);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ DecisionsRecorded: 1 });
    expect(nothing).toEqual([]);
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });
});
