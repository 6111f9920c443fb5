import { App } from 'aws-cdk-lib';
import { StatefulStack } from '#infra/stacks/stateful-stack.ts';

const app = new App();
const env = {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-2',
};
new StatefulStack(app, 'AsbCaseReviewStateful', { env, description: 'ASB case review: tables and keys' });
