// The CDK app for the fictional example area, given nothing but its area file (README "Deploy to AWS"):
// it synthesises with cdk-nag's rules and names everything after that area, nothing after Merseyside.
// Bundling and CDK's CloudFormation checks are skipped here (test/infra/deployment.test.ts runs both).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { OVERDUE_TASKS_METRIC } from '#infra/constructs/monitoring.ts';
import { createDeployment, type Deployment } from '#infra/deployment.ts';
import { deploymentConfigFrom } from '#infra/deployment-config.ts';
import { EXAMPLE_AREA, EXAMPLE_AREA_FILE } from '#test/support/example-area.ts';

describe('the deployment of the example area', () => {
  let app: App;
  let deployment: Deployment;
  let stateless: Template;

  beforeAll(() => {
    app = new App({
      outdir: mkdtempSync(join(tmpdir(), 'cdk-example-area-')),
      context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong', 'aws:cdk:bundling-stacks': [] },
      // CDK's CloudFormation checks (warnings only) are held to by test/infra/deployment.test.ts; here
      // they were most of the synthesis's CPU.
      builtinCloudFormationValidation: false,
    });
    deployment = createDeployment(
      app,
      deploymentConfigFrom((key) => ({ areaConfig: EXAMPLE_AREA_FILE })[key]),
      '123456789012',
    );
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
    stateless = Template.fromStack(deployment.stateless);
  });

  it('synthesises without a cdk-nag finding that is not acknowledged', () => {
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);

    // Assess
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('names the stacks, the workflow functions’ service and the alarm after the area', () => {
    // Prepare
    const workflowService = `asb-case-review-${EXAMPLE_AREA.id}-workflow`;

    // Assess
    expect(
      [deployment.stateful, deployment.edge, deployment.stateless].map((stack) => stack.stackName),
    ).toEqual([
      'AsbCaseReview-exampleshire-Stateful',
      'AsbCaseReview-exampleshire-Edge',
      'AsbCaseReview-exampleshire-Stateless',
    ]);
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: workflowService } },
    });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: OVERDUE_TASKS_METRIC.metricName,
      Dimensions: [{ Name: 'service', Value: workflowService }],
    });
    expect(JSON.stringify(stateless.toJSON())).not.toMatch(/merseyside/i);
  });
});
