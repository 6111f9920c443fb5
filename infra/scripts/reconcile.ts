// `npm run reconcile`: the reconciler (functions/workflow/reconcile.ts) run once, on demand: every open
// case whose execution is not running is marked as needing attention and resumed at its wait. Talks to
// the local runtime (its DynamoDB and tables as script-data.ts finds them, STEPFUNCTIONS_PORT as `npm
// start` uses it, and the `live` alias of the one state machine the local engine runs, which under `npm
// run start:deployed` is named by the template's logical id) or, with --aws, to AWS (CASES_TABLE,
// STATISTICS_TABLE and STATE_MACHINE_ARN, the stack's StateMachineAliasArn output, must be set;
// credentials and region as the AWS SDK finds them). The area is AREA_CONFIG_FILE's, else Merseyside;
// tables holding another area's counts are refused. Prints what it did; exits 2 on a usage or
// connection error.
import { parseArgs } from 'node:util';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { createStepFunctionsClient } from '#clients/stepfunctions.ts';
import { LIVE_ALIAS, LOCAL_REGION } from '#infra/functions.ts';
import { checkTablesServe, localTables } from '#infra/scripts/script-data.ts';
import { reconcileCases, reconcilerDependenciesFromEnv } from '#workflow/reconcile.ts';

const USAGE = 'Usage: npm run reconcile [-- --aws]';

/** The `live` alias of the one state machine the local engine at `endpoint` runs. */
async function localStateMachineAlias(endpoint: string): Promise<string> {
  const client = createStepFunctionsClient({ STEPFUNCTIONS_ENDPOINT: endpoint });
  try {
    const { stateMachines = [] } = await client.send(new ListStateMachinesCommand({}));
    const [machine, ...others] = stateMachines;
    if (machine?.stateMachineArn === undefined || others.length > 0) {
      throw new Error(`expected one state machine at ${endpoint}, found ${stateMachines.length}`);
    }
    return `${machine.stateMachineArn}:${LIVE_ALIAS}`;
  } finally {
    client.destroy();
  }
}

async function localEnv(): Promise<NodeJS.ProcessEnv> {
  // The SDK's clients find their region and credentials in process.env, not in the settings passed to
  // them; the local endpoints answer any credentials.
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  const stepFunctions = `http://127.0.0.1:${process.env.STEPFUNCTIONS_PORT || '8083'}`;
  return {
    ...process.env,
    ...localTables(),
    STEPFUNCTIONS_ENDPOINT: stepFunctions,
    STATE_MACHINE_ARN: await localStateMachineAlias(stepFunctions),
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
    const deps = reconcilerDependenciesFromEnv(aws ? process.env : await localEnv());
    await checkTablesServe(deps.data, deps.area);
    const report = await reconcileCases(deps);
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
