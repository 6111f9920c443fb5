// `npm run reconcile`: the reconciler (functions/workflow/reconcile.ts) run once, on demand: every open
// case whose execution is not running is marked as needing attention and resumed at its wait. Talks to
// the local runtime (DYNAMODB_PORT, STEPFUNCTIONS_PORT as `npm start` uses them, tables and state
// machine by their local names) or, with --aws, to AWS (CASES_TABLE, STATISTICS_TABLE and
// STATE_MACHINE_ARN, the stack's StateMachineAliasArn output, must be set; credentials and region as the AWS SDK finds them). Prints what it did;
// exits 2 on a usage or connection error.
import { parseArgs } from 'node:util';
import { casesTable, statisticsTable } from '#data/table-specs.ts';
import { LOCAL_REGION, LOCAL_STATE_MACHINE_ALIAS_ARN } from '#infra/functions.ts';
import { reconcileCases, reconcilerDependenciesFromEnv } from '#workflow/reconcile.ts';

const USAGE = 'Usage: npm run reconcile [-- --aws]';

function localEnv(): NodeJS.ProcessEnv {
  // The SDK's clients find their region and credentials in process.env, not in the settings passed to
  // them; the local endpoints answer any credentials.
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  return {
    ...process.env,
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${process.env.DYNAMODB_PORT || '8000'}`,
    STEPFUNCTIONS_ENDPOINT: `http://127.0.0.1:${process.env.STEPFUNCTIONS_PORT || '8083'}`,
    CASES_TABLE: casesTable.localName,
    STATISTICS_TABLE: statisticsTable.localName,
    STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ALIAS_ARN,
  };
}

async function main(): Promise<number> {
  // CasesNeedingAttention is written as Lambda forwards it to CloudWatch; on a terminal it would only
  // be noise in the report.
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  let aws: boolean;
  try {
    aws = parseArgs({ options: { aws: { type: 'boolean' } } }).values.aws ?? false;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  try {
    const report = await reconcileCases(reconcilerDependenciesFromEnv(aws ? process.env : localEnv()));
    const lines = [
      `Checked ${report.checked} open case(s).`,
      ...report.resumed.map(({ reference, execution }) => `Resumed ${reference} as ${execution}.`),
      ...report.started.map((reference) => `Started ${reference}.`),
      ...report.cleared.map((reference) => `${reference} is running again: no longer needs attention.`),
      ...report.held.map(
        (reference) =>
          `${reference} failed again at once when resumed: left for 12 hours; see its execution.`,
      ),
      ...report.retained.map((reference) => `${reference} was closed without a retention date: given one.`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`Could not reconcile: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

if (import.meta.main) process.exitCode = await main();
