// `npm start`: the whole service on this machine, until SIGINT or SIGTERM.
import { readLocalConfig } from '#local/config.ts';
import { startLocalCloud } from '#local/local-cloud.ts';

const write = (line: string) => process.stdout.write(`${line}\n`);
const fail = (error: unknown): never => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
};

const started = Date.now();
const config = await Promise.resolve()
  .then(() => readLocalConfig())
  .catch(fail);
const cloud = await startLocalCloud(config, (message) => process.stderr.write(`${message}\n`)).catch(fail);

write(`ASB case review service running (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
write(`  Pages and API     ${cloud.urls.api}   (health: ${cloud.urls.api}/health)`);
write(`  DynamoDB Local    ${cloud.urls.dynamodb}`);
write(`  Step Functions    ${cloud.urls.stepFunctions}`);
write(`  Data              ${config.dataDir}`);
write('Press Ctrl+C to stop.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    write(`Stopping (${signal})…`);
    cloud.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
