// One deployment of the service for one PCC area: the stateful stack (tables, key, secrets), the edge
// stack (the WAF, in us-east-1 as CloudFront requires), the stateless stack (everything else) and the
// edge alarms (CloudFront's metrics exist in us-east-1 only).
// Stack names carry the area, so several areas can share an account without clashing.
import { type App, Tags } from 'aws-cdk-lib';
import { SERVICE_TAG } from '#infra/constructs/key-policies.ts';
import type { DeploymentConfig } from '#infra/deployment-config.ts';
import { EdgeAlarmsStack } from '#infra/stacks/edge-alarms-stack.ts';
import { EdgeStack } from '#infra/stacks/edge-stack.ts';
import { StatefulStack } from '#infra/stacks/stateful-stack.ts';
import { StatelessStack } from '#infra/stacks/stateless-stack.ts';

export interface Deployment {
  readonly stateful: StatefulStack;
  readonly edge: EdgeStack;
  readonly stateless: StatelessStack;
  readonly edgeAlarms: EdgeAlarmsStack;
}

export function createDeployment(app: App, config: DeploymentConfig, account?: string): Deployment {
  const area = config.area.id;
  const prefix = `AsbCaseReview-${area}`;
  const env = { account, region: config.region };
  const keyAdministrators = { ...(config.keyAdminRoleArn && { roleArn: config.keyAdminRoleArn }) };
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    description: `ASB case review (${config.area.name}): tables, key and secrets`,
    terminationProtection: true,
    areaId: config.area.id,
    notifyApiKey: config.notifications.provider === 'govuk-notify',
    ...(config.backupCopyVaultArn && { backupCopyVaultArn: config.backupCopyVaultArn }),
    keyAdministrators,
  });
  const edge = new EdgeStack(app, `${prefix}-Edge`, {
    env: { account, region: 'us-east-1' },
    description: `ASB case review (${config.area.name}): web application firewall`,
    crossRegionReferences: true,
    name: area,
    applicationRateLimit: config.applicationRateLimit,
    ...(config.alarmEmail && { alarmEmail: config.alarmEmail }),
    keyAdministrators,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env,
    description: `ASB case review (${config.area.name}): functions, API, workflow, sign-in, web`,
    crossRegionReferences: true,
    config,
    stateful,
    webAclArn: edge.webAcl.attrArn,
  });
  const edgeAlarms = new EdgeAlarmsStack(app, `${prefix}-EdgeAlarms`, {
    env: { account, region: 'us-east-1' },
    description: `ASB case review (${config.area.name}): CloudFront alarms`,
    crossRegionReferences: true,
    distributionId: stateless.web.distribution.distributionId,
    topic: edge.topic,
  });
  // The key policies tell the service's roles apart by this tag (infra/constructs/key-policies.ts).
  Tags.of(app).add(SERVICE_TAG.key, SERVICE_TAG.value);
  Tags.of(app).add('pcc-area', area);
  return { stateful, edge, stateless, edgeAlarms };
}
