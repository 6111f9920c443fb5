// A process to SIGKILL: runs one long Pass-chain execution on the given DynamoDB table and prints
// `persisted <lastEventId>` after each stored advance, so the parent knows when to kill it.
// Usage: node stepfunctions-crash-child.ts <dynamodb endpoint> <table name> <chain length>
import { createStepFunctionsRuntime } from '#local/stepfunctions/runtime.ts';
import { machine, passChain } from '#test/support/stepfunctions-runtime.ts';

const [endpoint, tableName, length] = process.argv.slice(2) as [string, string, string];
const chain = machine('killed-chain', passChain(Number(length)));
const runtime = await createStepFunctionsRuntime({
  dynamodb: { endpoint },
  tableName,
  resolveFunction: () => undefined,
  hooks: {
    afterPersist: (record) => {
      process.stdout.write(`persisted ${record.lastEventId}\n`);
    },
  },
});
runtime.registerStateMachine(chain);
await runtime.resume();
await runtime.startExecution({ stateMachineArn: chain.arn, name: 'killed', input: '{"n":0}' });
