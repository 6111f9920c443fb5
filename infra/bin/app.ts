// The CDK app: one deployment per PCC area, settings from the context (`-c areaConfig=... -c
// notifications=...`, see README "Deploy to AWS"), checked by cdk-nag's AWS Solutions rules at synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createDeployment } from '#infra/deployment.ts';
import { deploymentConfigFrom } from '#infra/deployment-config.ts';

// Cross-stack references stay CloudFormation exports, which keep the stateful stack from dropping
// anything the stateless stack still uses.
const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
createDeployment(
  app,
  deploymentConfigFrom((key) => app.node.tryGetContext(key), Object.keys(app.node.getAllContext())),
  process.env.CDK_DEFAULT_ACCOUNT,
);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
