// The one Powertools module of every kind of function (the API's, the pages', the workflow's steps, the
// sign-in trigger): its logger and its metrics, named by the service name the stacks give each function
// (POWERTOOLS_SERVICE_NAME: the area and the kind, so that areas sharing an account keep their logs and
// metrics apart), or by its kind where nothing names it (on one machine). Events are never logged: they
// hold personal data.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { metricsFromEnv } from '#shared/metrics.ts';

export type FunctionKind = 'api' | 'web' | 'workflow' | 'auth';

export interface Powertools {
  readonly serviceName: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

type Env = Readonly<Record<string, string | undefined>>;

export function powertoolsFrom(kind: FunctionKind, env: Env = process.env): Powertools {
  const serviceName = env.POWERTOOLS_SERVICE_NAME || `asb-case-review-${kind}`;
  return {
    serviceName,
    logger: new Logger({ serviceName }),
    metrics: metricsFromEnv({ POWERTOOLS_SERVICE_NAME: serviceName }),
  };
}

// One of each per kind and function instance: the local runtime runs every kind in one process.
const built = new Map<FunctionKind, Powertools>();

/** The function instance's logger and metrics, built from the environment on first use. */
export function powertools(kind: FunctionKind): Powertools {
  let tools = built.get(kind);
  if (tools === undefined) {
    tools = powertoolsFrom(kind);
    built.set(kind, tools);
  }
  return tools;
}
