// The API's logger and metrics, one of each per function instance. Events are never logged: they hold
// personal data. In AWS the stacks name each function's service after its area and kind
// (POWERTOOLS_SERVICE_NAME), so that areas sharing an account keep their logs and metrics apart.
import { Logger } from '@aws-lambda-powertools/logger';
import { metricsFromEnv } from '#shared/metrics.ts';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'asb-case-review-api';

export const logger = new Logger({ serviceName });
export const metrics = metricsFromEnv({ POWERTOOLS_SERVICE_NAME: serviceName });
