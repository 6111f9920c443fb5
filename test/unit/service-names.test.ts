// The API's metrics carry the service name the stacks give each function (POWERTOOLS_SERVICE_NAME,
// per area and kind), so that two areas in one account never mix their metrics.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
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
