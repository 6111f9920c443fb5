// `npm start`: the whole service on this machine from the TypeScript sources, until SIGINT or SIGTERM.
// `npm run start:deployed [-- <area file>]`: the same from what CDK synthesises (see README): the app is
// synthesised into DATA_DIR/cdk.out (or CLOUD_ASSEMBLY names an assembly already synthesised) and the
// local cloud runs its bundles, settings, state machine and IAM policies.
import { join } from 'node:path';
import { readLocalConfig } from '#local/config.ts';
import { synthesise } from '#local/deployed/synthesise.ts';
import { startLocalCloud } from '#local/local-cloud.ts';

const write = (line: string) => process.stdout.write(`${line}\n`);
const fail = (error: unknown): never => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
};

const [flag, areaFile] = process.argv.slice(2);
const deployed = flag === '--deployed';
const started = Date.now();
const config = await Promise.resolve()
  .then(() => readLocalConfig())
  .catch(fail);
let cloudAssembly: string | undefined;
if (deployed) {
  cloudAssembly = process.env.CLOUD_ASSEMBLY;
  if (!cloudAssembly) {
    write('Synthesising the CDK app…');
    const areaConfigFile = areaFile ?? process.env.AREA_CONFIG_FILE;
    cloudAssembly = await synthesise({
      outdir: join(config.dataDir, 'cdk.out'),
      ...(areaConfigFile && { areaConfigFile }),
    }).catch(fail);
  }
}
const cloud = await startLocalCloud(config, (message) => process.stderr.write(`${message}\n`), {
  ...(cloudAssembly && { cloudAssembly }),
}).catch(fail);

write(
  `ASB case review service running${deployed ? ' from the cloud assembly' : ''} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
write(`  Pages and API     ${cloud.urls.api}   (health: ${cloud.urls.api}/health)`);
write(`  DynamoDB Local    ${cloud.urls.dynamodb}`);
write(`  Step Functions    ${cloud.urls.stepFunctions}   (${cloud.stateMachineArns.join(', ')})`);
write(`  S3 (evidence)     ${cloud.urls.s3}   (bucket ${cloud.evidenceBucket})`);
if (cloud.urls.secretsManager) write(`  Secrets Manager   ${cloud.urls.secretsManager}`);
if (cloud.urls.lambda) write(`  Lambda (Invoke)   ${cloud.urls.lambda}`);
if (cloudAssembly) write(`  Cloud assembly    ${cloudAssembly}`);
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
