// The API's logger and metrics, one of each per function instance. Events are never logged: they hold
// personal data.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '#shared/metrics.ts';

const serviceName = 'asb-case-review-api';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
