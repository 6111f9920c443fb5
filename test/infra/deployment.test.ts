// The whole deployment of one area, synthesised once, offline, with cdk-nag's AWS Solutions rules as a
// validation plugin: what a security reviewer would check, asserted on the templates.

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MERSEYSIDE } from '#core/area-config.ts';
import { KEY_ADMINISTRATION_ACTIONS, KEY_USE_ACTIONS, SERVICE_TAG } from '#infra/constructs/key-policies.ts';
import { OVERDUE_TASKS_METRIC } from '#infra/constructs/monitoring.ts';
import { createDeployment, type Deployment } from '#infra/deployment.ts';
import { deploymentConfigFrom, EXAMPLE_NOTIFICATIONS } from '#infra/deployment-config.ts';
import { FUNCTION_GRANTS } from '#infra/function-grants.ts';
import { type FunctionSpec, functionSpecs } from '#infra/functions.ts';
import {
  checkReservedTotal,
  ReservedConcurrencyError,
  reservedConcurrencyOf,
} from '#infra/reserved-concurrency.ts';
import { isStaffOnlyRoute } from '#infra/routes.ts';
import { EdgeStack } from '#infra/stacks/edge-stack.ts';
import { StatefulStack } from '#infra/stacks/stateful-stack.ts';
import { STAFF_CLAIMS_FUNCTION } from '#infra/stacks/stateless-stack.ts';
import {
  CASE_REVIEW_DEFINITION,
  functionsHoldingTaskTokens,
  placeholdersOf,
} from '#infra/workflow-definition.ts';
import { countExecutionStart, countOverdueTask, metricsFromEnv } from '#shared/metrics.ts';
import { apiEvent } from '#test/support/api-events.ts';
import { emfWrittenDuring } from '#test/support/emf.ts';
import { invokeBundle, lambdaEnvironment, standIn } from '#test/support/lambda-bundle.ts';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const ACCOUNT = '123456789012';
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

// Actions AWS offers no resource-level permission for: the only ones allowed on Resource "*".
const UNSCOPABLE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

// Every acknowledged cdk-nag finding, reviewed; a new one must be added here on purpose.
const REVIEWED_ACKNOWLEDGEMENTS = new Set([
  'AwsSolutions-SMG4',
  'AwsSolutions-APIG4',
  'AwsSolutions-S1',
  'AwsSolutions-CFR1',
  'AwsSolutions-CFR4',
  'AwsSolutions-IAM5[Resource::*]',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
  // CDK's deployment-time functions that turn on the evidence bucket's EventBridge notifications and put
  // its CORS rule.
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  // GuardDuty Malware Protection's own EventBridge rule for the evidence bucket, which its role manages.
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:eu-west-2:123456789012:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]',
  // The evidence objects, by the one prefix each function (and GuardDuty) reads or writes.
  ...['clean', 'uploads'].map(
    (prefix) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::asb-evidence-merseyside-123456789012/${prefix}/*]`,
  ),
  // CDK's deployment-time function that uploads the static files: its runtime and its grants on CDK's
  // staging bucket and the static files' bucket.
  'AwsSolutions-L1',
  ...[
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-123456789012-eu-west-2/*',
    'Resource::<WebStaticFiles99E5C265.Arn>/*',
  ].map((finding) => `AwsSolutions-IAM5[${finding}]`),
]);

describe('the deployment of one area', () => {
  let app: App;
  let deployment: Deployment;
  let assembly: CloudAssembly;
  let stateful: Template;
  let edge: Template;
  let stateless: Template;
  let edgeAlarms: Template;
  const logicalId = (construct: IConstruct) =>
    Stack.of(construct).resolve((construct as CfnElement).logicalId) as string;
  const functionLogicalId = (id: string) => {
    const fn = deployment.stateless.functions.get(id);
    if (!fn) throw new Error(`no function ${id}`);
    return logicalId(fn.function.node.defaultChild as IConstruct);
  };
  /** The function's `live` alias, which the state machine calls. */
  const aliasLogicalId = (id: string) => {
    const alias = deployment.stateless.functions.get(id)?.alias;
    if (!alias) throw new Error(`no alias of function ${id}`);
    return logicalId(alias.node.defaultChild as IConstruct);
  };
  const policiesOf = (template: Template) => {
    const statements: { id: string; statement: Statement }[] = [];
    for (const [id, resource] of Object.entries(template.toJSON().Resources as Resources)) {
      const properties = resource.Properties ?? {};
      const documents =
        resource.Type === 'AWS::IAM::Policy'
          ? [properties.PolicyDocument]
          : resource.Type === 'AWS::IAM::Role'
            ? ((properties.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument)
            : [];
      for (const document of documents as { Statement: Statement[] }[]) {
        for (const statement of document.Statement) statements.push({ id, statement });
      }
    }
    return statements;
  };
  const rolePolicyStatements = (functionId: string) => {
    const fn = deployment.stateless.functions.get(functionId);
    if (!fn) throw new Error(`no function ${functionId}`);
    const role = logicalId(fn.role.node.defaultChild as IConstruct);
    return Object.values(stateless.toJSON().Resources as Resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          asList(resource.Properties?.Roles as unknown[]).some((ref) => JSON.stringify(ref).includes(role)),
      )
      .flatMap((resource) => {
        const document = resource.Properties?.PolicyDocument as { Statement: Statement[] } | undefined;
        return document?.Statement ?? [];
      });
  };
  const actionsOf = (statements: Statement[]) => new Set(statements.flatMap((s) => asList(s.Action)));
  const functionProperties = (id: string) =>
    (stateless.toJSON().Resources as Resources)[functionLogicalId(id)]?.Properties as {
      Code: { S3Key: string };
      Environment: { Variables: Record<string, unknown> };
    };
  const bundleOf = (id: string) =>
    join(assembly.directory, `asset.${functionProperties(id).Code.S3Key.replace(/\.zip$/, '')}`);

  beforeAll(() => {
    app = new App({
      outdir: mkdtempSync(join(tmpdir(), 'cdk-test-')),
      context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' },
    });
    const settings: Record<string, string> = {
      notifications: EXAMPLE_NOTIFICATIONS,
      alarmEmail: 'alarms@merseyside-pcc.example',
    };
    deployment = createDeployment(
      app,
      deploymentConfigFrom((key) => settings[key]),
      ACCOUNT,
    );
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    assembly = app.synth();
    stateful = Template.fromStack(deployment.stateful);
    edge = Template.fromStack(deployment.edge);
    stateless = Template.fromStack(deployment.stateless);
    edgeAlarms = Template.fromStack(deployment.edgeAlarms);
  });

  describe('review at synth', () => {
    it('has no cdk-nag AWS Solutions finding that is not acknowledged, error or warning', () => {
      // Prepare
      const checks = new AwsSolutionsChecks(undefined, { verbose: true });

      // Act
      const report = checks.validateScope(app);

      // Assess
      expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`)).toEqual(
        [],
      );
      expect(report.success).toBe(true);
    });

    it('writes a validation report without violations (cdk-nag and CloudFormation checks alike)', () => {
      // Act
      const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
        pluginReports: { pluginName: string; violations: unknown[] }[];
      };

      // Assess
      expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
    });

    it('acknowledges only reviewed findings, each with a reason a reviewer can weigh', () => {
      // Prepare
      const acknowledgements: { id: string; reason: string; path: string }[] = [];
      const visit = (construct: IConstruct) => {
        for (const entry of construct.node.metadata) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            acknowledgements.push({
              id: id.replace(/^annotation::/i, ''),
              reason,
              path: construct.node.path,
            });
          }
        }
        for (const child of construct.node.children) visit(child);
      };

      // Act
      visit(app);

      // Assess
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const { id, reason, path } of acknowledgements) {
        expect(REVIEWED_ACKNOWLEDGEMENTS.has(id), `${id} at ${path}`).toBe(true);
        expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(150);
      }
    });
  });

  describe('functions', () => {
    it('builds one function per entry of infra/functions.ts, plus the sign-in trigger', () => {
      // Assess
      expect([...deployment.stateless.functions.keys()].sort()).toEqual(
        functionSpecs.map((s) => s.id).sort(),
      );
      stateless.hasResourceProperties('AWS::Cognito::UserPool', {
        LambdaConfig: {
          PreTokenGeneration: { 'Fn::GetAtt': [Match.stringLikeRegexp(STAFF_CLAIMS_FUNCTION.id), 'Arn'] },
        },
      });
    });

    it('runs every function on nodejs24.x and ARM (one carrying native packages on their x86_64 build), traced, logging JSON to its own log group', () => {
      // Prepare
      const functions = stateless.toJSON().Resources as Resources;

      // Assess
      for (const spec of functionSpecs) {
        const id = functionLogicalId(spec.id);
        expect(functions[id]?.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: [spec.nativePackages ? 'x86_64' : 'arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
          Environment: {
            Variables: expect.objectContaining({
              NODE_OPTIONS: '--enable-source-maps',
              POWERTOOLS_LOGGER_LOG_EVENT: 'false',
              POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
              AREA_CONFIG_FILE: '/var/task/area-config.json',
            }),
          },
        });
      }
    });

    it('reserves concurrency for every function, leaving a standard account at least 100 unreserved', () => {
      // Prepare
      const functions = Object.values(stateless.findResources('AWS::Lambda::Function')).filter((fn) =>
        String((fn.Properties as { Description?: string }).Description).startsWith('ASB case review:'),
      );
      const reserved = functions.map(
        (fn) => (fn.Properties as { ReservedConcurrentExecutions?: number }).ReservedConcurrentExecutions,
      );

      // Assess
      expect(reserved).toHaveLength(functionSpecs.length + 1);
      for (const each of reserved) expect(each).toBeGreaterThan(0);
      expect(checkReservedTotal(reserved)).toBeLessThanOrEqual(900);
      // The total the README's "Deploy" gives, and "From one area to all 43" counts areas by.
      expect(checkReservedTotal(reserved)).toBe(253);
      expect(reservedConcurrencyOf(functionSpecs[0] as FunctionSpec, 'off')).toBeUndefined();
      expect(reservedConcurrencyOf(functionSpecs[0] as FunctionSpec, 3)).toBe(3);
      expect(() => checkReservedTotal(Array.from({ length: 10 }, () => 100))).toThrow(
        ReservedConcurrencyError,
      );
    });

    it('keeps every log group for a set time, encrypted with the logs key', () => {
      // Assess
      stateless.allResourcesProperties('AWS::Logs::LogGroup', {
        RetentionInDays: Match.anyValue(),
        KmsKeyId: Match.anyValue(),
      });
      edge.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    });

    it('bundles each function with its source map, the AWS SDK inside (chunks for first use beside it), and the validated area config', () => {
      // Prepare: a function that sends no messages (those also carry their notification settings)
      const key = (stateless.toJSON().Resources as Resources)[functionLogicalId('CaseLinks')]?.Properties
        ?.Code as {
        S3Key: string;
      };
      const bundle = join(assembly.directory, `asset.${key.S3Key.replace(/\.zip$/, '')}`);

      // Assess
      expect(readdirSync(bundle).sort()).toEqual([
        'area-config.json',
        'chunks',
        'index.mjs',
        'index.mjs.map',
      ]);
      expect(JSON.parse(readFileSync(join(bundle, 'area-config.json'), 'utf8'))).toEqual(MERSEYSIDE);
      expect(readFileSync(join(bundle, 'index.mjs'), 'utf8')).toContain('DynamoDBDocumentClient');
      const code = readdirSync(bundle, { recursive: true, encoding: 'utf8' }).filter((file) =>
        file.endsWith('.mjs'),
      );
      for (const file of code) {
        expect(readFileSync(join(bundle, file), 'utf8')).not.toMatch(/(?:from|import\()\s*["']@aws-sdk\//);
      }
    });

    it('carries no chunk its code cannot load: each is imported by index.mjs or another chunk it carries', () => {
      for (const { id } of functionSpecs) {
        // Prepare
        const bundle = bundleOf(id);
        const code = readdirSync(bundle, { recursive: true, encoding: 'utf8' }).filter(
          (file) => file.endsWith('.mjs') && !file.startsWith('node_modules'),
        );
        const source = (file: string) => readFileSync(join(bundle, file), 'utf8');

        // Assess
        for (const chunk of code.filter((file) => file.startsWith('chunks/'))) {
          const name = chunk.slice('chunks/'.length);
          const importers = code.filter((file) => file !== chunk && source(file).includes(name));
          expect(importers, `${id}: ${chunk}`).not.toEqual([]);
        }
      }
    });
  });

  describe('the pages functions as deployed', () => {
    it('answer the pages from their bundles with the environment the template gives them, not a 5xx', async () => {
      // Prepare: Secrets Manager as the functions reach it, holding the pages' session secret; each door's
      // bundle with its own environment
      const door = (id: string, event: APIGatewayProxyEventV2) => {
        const bundle = bundleOf(id);
        return {
          bundle,
          event,
          env: lambdaEnvironment(functionProperties(id).Environment.Variables, bundle),
        };
      };
      const doors = [
        door('ResidentPages', apiEvent('GET /')),
        door('StaffPages', apiEvent('GET /staff/sign-in')),
      ];
      const ORIGIN_VALUE = 'o'.repeat(48);
      const asked: string[] = [];
      const secretsManager = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        request.on('end', () => {
          const { SecretId, VersionStage } = JSON.parse(body) as { SecretId: string; VersionStage?: string };
          response.setHeader('content-type', 'application/x-amz-json-1.1');
          // Both secrets never rotated here: a current version only.
          if (VersionStage !== undefined && VersionStage !== 'AWSCURRENT') {
            response.statusCode = 400;
            response.end(
              JSON.stringify({ __type: 'ResourceNotFoundException', Message: `no ${VersionStage}` }),
            );
            return;
          }
          // The origin secret, which the pages check on every request.
          if (doors.some(({ env }) => SecretId === env.ORIGIN_SECRET_ARN)) {
            response.end(JSON.stringify({ ARN: SecretId, Name: 'origin', SecretString: ORIGIN_VALUE }));
            return;
          }
          asked.push(SecretId);
          response.end(JSON.stringify({ ARN: SecretId, Name: 'pages', SecretString: 'c'.repeat(44) }));
        });
      });
      await new Promise<void>((resolveListen) => secretsManager.listen(0, '127.0.0.1', resolveListen));
      const { port } = secretsManager.address() as AddressInfo;
      // As CloudFront passes them on, with the origin secret.
      const fromEdge = (event: APIGatewayProxyEventV2) => ({
        ...event,
        headers: { ...event.headers, 'x-origin-verify': ORIGIN_VALUE },
      });

      // Act
      const [start, signIn] = await Promise.all(
        doors.map(({ bundle, env, event }) =>
          invokeBundle(bundle, { ...env, AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${port}` }, [
            fromEdge(event),
          ]).then(([response]) => response),
        ),
      ).finally(() => secretsManager.close());

      // Assess
      for (const { env } of doors) expect(env.SITE_URL).toMatch(/^https:\/\/[a-z0-9.-]+$/);
      expect(asked).toEqual(doors.map(({ env }) => env.WEB_SESSION_SECRET_ARN));
      expect(start?.statusCode).toBe(200);
      expect(start?.body).toContain('Knowsley');
      // Staff go to the user pool's sign-in and come back to this site's callback.
      const { env } = doors[1] as (typeof doors)[number];
      expect(signIn?.statusCode).toBe(302);
      const location = new URL(signIn?.headers?.location ?? '');
      expect(location.origin).toBe(env.STAFF_SIGN_IN_URL);
      expect(location.searchParams.get('redirect_uri')).toBe(`${env.SITE_URL}/staff/callback`);
    });

    it('load the Step Functions client with their first workflow call, not at a cold start', () => {
      for (const id of ['ResidentPages', 'StaffPages']) {
        // Prepare: what a cold start loads (index.mjs and the chunks it imports, not those it import()s)
        const bundle = bundleOf(id);
        const loaded = new Set<string>();
        const next = [join(bundle, 'index.mjs')];
        for (let file = next.pop(); file !== undefined; file = next.pop()) {
          if (loaded.has(file)) continue;
          loaded.add(file);
          for (const [, imported = ''] of readFileSync(file, 'utf8').matchAll(
            /(?:from|import)"(\.\/[^"]+\.mjs)"/g,
          ))
            next.push(join(dirname(file), imported));
        }
        const code = readdirSync(bundle, { recursive: true, encoding: 'utf8' })
          .filter((file) => file.endsWith('.mjs'))
          .map((file) => join(bundle, file));
        const stepFunctions = (file: string) => readFileSync(file, 'utf8').includes('com.amazonaws.sfn');

        // Assess
        expect(code.filter(stepFunctions), id).not.toEqual([]);
        expect([...loaded].filter(stepFunctions), id).toEqual([]);
      }
    });

    it("carries each door's own pages only: no staff page in the resident's bundle, no resident's page in the staff's", () => {
      // Prepare: the code each bundle holds (index.mjs and its chunks), and views only one door renders
      const code = (id: string) =>
        readdirSync(bundleOf(id), { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile() && entry.name.endsWith('.mjs'))
          .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
          .join('\n');
      const resident = code('ResidentPages');
      const staff = code('StaffPages');

      // Assess
      for (const view of [
        'staff/case.njk',
        'staff/worklist.njk',
        'staff/annual-return.njk',
        'pcc/referrals.njk',
      ]) {
        expect(staff, view).toContain(view);
        expect(resident, view).not.toContain(view);
      }
      for (const view of ['start.njk', 'track/status.njk', 'apply/confirmation.njk', 'statistics.njk']) {
        expect(resident, view).toContain(view);
        expect(staff, view).not.toContain(view);
      }
    });

    it("carries its own door's compiled templates only, and signs the evidence bucket's links without the S3 client", () => {
      for (const [id, own, other] of [
        ['ResidentPages', 'resident', 'staff'],
        ['StaffPages', 'staff', 'resident'],
      ] as const) {
        // Prepare
        const bundle = bundleOf(id);
        const built = readdirSync(join(bundle, '.build/web'));
        const code = readdirSync(bundle, { recursive: true, encoding: 'utf8' })
          .filter((file) => file.endsWith('.mjs'))
          .map((file) => readFileSync(join(bundle, file), 'utf8'))
          .join('\n');

        // Assess
        expect(built, id).toContain(`templates.${own}.cjs`);
        expect(built, id).not.toContain(`templates.${other}.cjs`);
        expect(code, id).not.toContain('com.amazonaws.s3');
      }
    });

    it('gives the pages the address CloudFront serves them at, the one the sign-in client returns to', () => {
      // Prepare
      const siteUrl = functionProperties('StaffPages').Environment.Variables.SITE_URL;
      const client = Object.values(stateless.findResources('AWS::Cognito::UserPoolClient'))[0]
        ?.Properties as {
        CallbackURLs: unknown[];
      };

      // Assess
      expect(siteUrl).toEqual({
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^WebDistribution/), 'DomainName'] }],
        ],
      });
      expect(client.CallbackURLs.map(standIn)).toEqual([`${standIn(siteUrl)}/staff/callback`]);
    });
  });

  describe('least privilege', () => {
    it('grants no wildcard action anywhere', () => {
      for (const template of [stateful, edge, stateless]) {
        for (const { id, statement } of policiesOf(template)) {
          for (const action of asList(statement.Action)) {
            expect(action, id).not.toBe('*');
            expect(action, id).not.toMatch(/^[a-z0-9-]+:\*$/);
          }
        }
      }
    });

    it('uses Resource "*" only for actions that have no resource-level permission', () => {
      for (const template of [stateful, edge, stateless]) {
        for (const { id, statement } of policiesOf(template)) {
          if (!asList(statement.Resource).includes('*')) continue;
          for (const action of asList(statement.Action))
            expect(UNSCOPABLE_ACTIONS.has(action), `${id} ${action}`).toBe(true);
        }
      }
    });

    it('names every table and index a function may use, with no index wildcard', () => {
      // Prepare
      const statements = rolePolicyStatements('CaseActions').filter((s) =>
        asList(s.Action).some((a) => a.startsWith('dynamodb:')),
      );

      // Assess
      expect(statements).toHaveLength(1);
      const resources = JSON.stringify(statements[0]?.Resource);
      expect(resources).not.toContain('*');
      for (const index of ['by-csp-deadline', 'by-csp-stage-deadline', 'by-pcc-deadline']) {
        expect(resources).toContain(`/index/${index}`);
      }
      expect(actionsOf(statements)).not.toContain('dynamodb:Scan');
    });

    it('lets only the functions that deliver decisions, and the one holding task tokens, answer the workflow', () => {
      // Prepare
      const tokenHolders = functionsHoldingTaskTokens(readFileSync(CASE_REVIEW_DEFINITION, 'utf8')).map(
        (s) => s.id,
      );

      // Assess
      expect(tokenHolders).toEqual(['RegisterTask']);
      for (const spec of functionSpecs) {
        const actions = actionsOf(rolePolicyStatements(spec.id));
        expect(actions.has('states:SendTaskSuccess'), spec.id).toBe(
          ['RegisterTask', 'CaseActions', 'ResidentPages', 'StaffPages'].includes(spec.id),
        );
        // New cases start their execution; reading a case starts it if it never started; the
        // reconciler resumes a case whose workflow stopped, HandOver goes on with a case older than the
        // execution's year allows.
        expect(actions.has('states:StartExecution'), spec.id).toBe(
          ['Applications', 'Cases', 'ResidentPages', 'StaffPages', 'Reconciler', 'HandOver'].includes(
            spec.id,
          ),
        );
      }
    });

    it('gives each function exactly the table actions its code uses, the public statistics none on cases but reading sessions', () => {
      // Prepare
      const tableActions = (id: string) => {
        const found: Record<string, string[]> = {};
        for (const statement of rolePolicyStatements(id)) {
          const actions = asList(statement.Action).filter((action) => action.startsWith('dynamodb:'));
          if (actions.length === 0) continue;
          const table = ['CasesTable', 'StatisticsTable', 'IdempotencyTable'].find((name) =>
            JSON.stringify(statement.Resource).includes(name),
          );
          found[table ?? 'unknown'] = actions.map((action) => action.replace('dynamodb:', '')).sort();
        }
        return found;
      };

      // Assess
      expect(tableActions('Statistics')).toEqual({
        CasesTable: ['GetItem'],
        StatisticsTable: ['Query', 'UpdateItem'],
      });
      expect(tableActions('Cases')).toEqual({ CasesTable: ['BatchGetItem', 'GetItem', 'PutItem', 'Query'] });
      for (const spec of functionSpecs) {
        const listed = Object.fromEntries(
          [...(FUNCTION_GRANTS[spec.id]?.tables ?? new Map()).entries()]
            .filter(([, actions]) => actions.length > 0)
            .map(([table, actions]) => [table.id, [...actions].sort()]),
        );
        expect(tableActions(spec.id), spec.id).toEqual(listed);
        for (const actions of Object.values(tableActions(spec.id))) {
          expect(actions, spec.id).not.toContain('BatchWriteItem');
        }
      }
    });

    it("states each function's grants in the README exactly as the template has them", () => {
      // Prepare
      const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
      const rows = new Map(
        [...readme.matchAll(/^ *\| `([A-Za-z]+)` +\|(.*)\|(.*)\|\s*$/gm)].map((match) => [
          match[1],
          [match[2]?.trim(), match[3]?.trim()],
        ]),
      );
      const ORDER = [
        'GetItem',
        'BatchGetItem',
        'Query',
        'ConditionCheckItem',
        'PutItem',
        'UpdateItem',
        'DeleteItem',
      ];
      const TABLES: [string, string][] = [
        ['CasesTable', 'cases'],
        ['StatisticsTable', 'statistics'],
        ['IdempotencyTable', 'idempotency'],
      ];
      const BASELINE = /^(logs|xray|kms):|^dynamodb:/;

      // Assess
      for (const spec of functionSpecs) {
        const statements = rolePolicyStatements(spec.id);
        const tables = TABLES.flatMap(([id, name]) => {
          const actions = statements
            .filter((statement) => JSON.stringify(statement.Resource).includes(id))
            .flatMap((statement) => asList(statement.Action))
            .filter((action) => action.startsWith('dynamodb:'))
            .map((action) => action.replace('dynamodb:', ''))
            .sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
          return actions.length > 0 ? [`${name}: ${actions.join(', ')}`] : [];
        });
        const others = [...actionsOf(statements)].filter((action) => !BASELINE.test(action)).sort();
        expect(rows.get(spec.id), spec.id).toEqual([
          tables.join('; ') || '—',
          others.map((action) => `\`${action}\``).join(', ') || '—',
        ]);
      }
    });

    it('lets the pages functions alone read their session secret, at any version stage, and names it', () => {
      // Prepare
      const secretId = logicalId(deployment.stateful.webSessionSecret.node.defaultChild as IConstruct);
      const readsSessionSecret = (id: string) =>
        rolePolicyStatements(id).filter(
          (statement) =>
            asList(statement.Action).includes('secretsmanager:GetSecretValue') &&
            JSON.stringify(statement.Resource).includes(secretId),
        );

      // Assess
      for (const spec of functionSpecs) {
        const statements = readsSessionSecret(spec.id);
        expect(statements.length > 0, spec.id).toBe(['ResidentPages', 'StaffPages'].includes(spec.id));
        // A rotation's AWSPENDING and AWSPREVIOUS are read as well as AWSCURRENT (session/keys.ts).
        for (const statement of statements) expect(statement.Condition, spec.id).toBeUndefined();
      }
      const output = stateless.findOutputs('WebSessionSecretArn').WebSessionSecretArn?.Value;
      expect(JSON.stringify(output)).toContain(secretId);
    });

    it('gives the health check nothing but its own logs, tracing and the origin secret', () => {
      // Assess
      expect(actionsOf(rolePolicyStatements('Health'))).toEqual(
        new Set([
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'secretsmanager:GetSecretValue',
          'kms:Decrypt',
        ]),
      );
    });

    it('runs the reconciler each day, letting it read, mark and close cases and list and start executions only', () => {
      // Assess
      stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 6 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/London',
        State: 'ENABLED',
        Target: { Arn: { 'Fn::GetAtt': [functionLogicalId('Reconciler'), 'Arn'] } },
      });
      const statements = rolePolicyStatements('Reconciler');
      const caseData = new Set(
        statements
          .filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')))
          .flatMap((s) => asList(s.Action)),
      );
      // Marking needs GetItem/Query/UpdateItem; a retention date for a case closed without one, as
      // CloseCase gives it, PutItem on the case and UpdateItem on the year's counters.
      expect(caseData).toEqual(
        new Set(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
      );
      const workflow = new Set(
        statements.flatMap((s) => asList(s.Action)).filter((action) => action.startsWith('states:')),
      );
      expect(workflow).toEqual(new Set(['states:StartExecution', 'states:ListExecutions']));
      expect(functionProperties('Reconciler').Environment.Variables).toHaveProperty('STATE_MACHINE_ARN');
    });

    it("lets the state machine invoke exactly the workflow functions' live aliases", () => {
      // Prepare
      const invoke = policiesOf(stateless).filter(({ statement }) =>
        asList(statement.Action).includes('lambda:InvokeFunction'),
      );

      const scheduled = ['Reconciler', 'EvidenceRetention'].map((id) =>
        JSON.stringify({ 'Fn::GetAtt': [functionLogicalId(id), 'Arn'] }),
      );
      const isScheduled = ({ statement }: { statement: Statement }) =>
        asList(statement.Resource).some((resource) => scheduled.includes(JSON.stringify(resource)));
      const byStateMachine = invoke.filter((entry) => !isScheduled(entry));

      // Assess: besides the state machine, only the daily schedules invoke a function each, the
      // reconciler and the evidence retention.
      expect(invoke.filter(isScheduled).map(({ statement }) => asList(statement.Resource).length)).toEqual([
        1, 1,
      ]);
      expect(byStateMachine).toHaveLength(1);
      expect(asList(byStateMachine[0]?.statement.Resource)).toEqual(
        functionSpecs.filter((s) => s.workflow).map((s) => ({ Ref: aliasLogicalId(s.id) })),
      );
    });
  });

  describe('the workflow', () => {
    it("is retained on stack deletion together with its role and that role's policies", () => {
      // Prepare
      const machine = Object.values(stateless.findResources('AWS::StepFunctions::StateMachine'))[0] as {
        DeletionPolicy?: string;
        Properties: { RoleArn: { 'Fn::GetAtt': [string, string] } };
      };
      const roleId = machine.Properties.RoleArn['Fn::GetAtt'][0];
      const resources = stateless.toJSON().Resources as Record<
        string,
        { DeletionPolicy?: string; Properties?: { Roles?: unknown[] } }
      >;
      const policies = Object.values(resources).filter((resource) =>
        JSON.stringify(resource.Properties?.Roles ?? []).includes(roleId),
      );

      // Assess
      expect(machine.DeletionPolicy).toBe('Retain');
      expect(resources[roleId]?.DeletionPolicy).toBe('Retain');
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) expect(policy.DeletionPolicy).toBe('Retain');
    });

    it('is a Standard state machine logging every event without execution data, traced and encrypted', () => {
      stateless.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
        TracingConfiguration: { Enabled: true },
        EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: Match.anyValue() },
      });
    });

    it("deploys the ASL file as it is, with each placeholder filled by the right function's live alias", () => {
      // Prepare
      const [machine] = Object.values(stateless.findResources('AWS::StepFunctions::StateMachine'));
      const properties = machine?.Properties as {
        DefinitionS3Location: { Key: string };
        DefinitionSubstitutions: Record<string, unknown>;
      };
      const file = readFileSync(CASE_REVIEW_DEFINITION, 'utf8');
      const deployed = readFileSync(
        join(assembly.directory, `asset.${properties.DefinitionS3Location.Key}`),
        'utf8',
      );

      // Act: fill each placeholder the way CloudFormation will, with the function it names
      const render = (definition: string) =>
        definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_whole, name: string) =>
          JSON.stringify(properties.DefinitionSubstitutions[name]).replaceAll('"', "'"),
        );

      // Assess
      expect(deployed).toBe(file);
      expect(new Set(Object.keys(properties.DefinitionSubstitutions))).toEqual(placeholdersOf(file));
      for (const spec of functionSpecs.filter((s) => s.workflow)) {
        expect(properties.DefinitionSubstitutions[`${spec.id}FunctionArn`]).toEqual({
          Ref: aliasLogicalId(spec.id),
        });
      }
      const rendered = JSON.parse(render(deployed)) as {
        States: Record<string, { Arguments?: { FunctionName?: string } }>;
      };
      for (const state of Object.values(rendered.States)) {
        const name = state.Arguments?.FunctionName;
        if (name !== undefined) expect(name).toMatch(/^\{'Ref':'Functions\w+Alias\w+'\}$/);
      }
    });
  });

  describe('releases', () => {
    it('publishes a version of each workflow function on each change and points its live alias at it', () => {
      for (const spec of functionSpecs.filter((s) => s.workflow)) {
        const version = (stateless.toJSON().Resources as Resources)[aliasLogicalId(spec.id)]?.Properties as {
          FunctionName: unknown;
          FunctionVersion: { 'Fn::GetAtt': [string, string] };
          Name: string;
        };
        expect(version.Name, spec.id).toBe('live');
        expect(version.FunctionName, spec.id).toEqual({ Ref: functionLogicalId(spec.id) });
        const published = (stateless.toJSON().Resources as Resources)[
          version.FunctionVersion['Fn::GetAtt'][0]
        ];
        expect(published?.Type, spec.id).toBe('AWS::Lambda::Version');
        expect(published?.Properties?.FunctionName, spec.id).toEqual({ Ref: functionLogicalId(spec.id) });
      }
    });

    it('publishes a retained version of the state machine on each revision, routed all traffic by its live alias', () => {
      // Prepare
      const machineId = Object.keys(stateless.findResources('AWS::StepFunctions::StateMachine'))[0] as string;
      const versions = stateless.findResources('AWS::StepFunctions::StateMachineVersion');
      const [versionId, version] = Object.entries(versions)[0] as [string, Record<string, unknown>];

      // Assess
      expect(Object.keys(versions)).toHaveLength(1);
      expect(version).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          StateMachineArn: { Ref: machineId },
          StateMachineRevisionId: { 'Fn::GetAtt': [machineId, 'StateMachineRevisionId'] },
        },
      });
      stateless.resourceCountIs('AWS::StepFunctions::StateMachineAlias', 1);
      stateless.hasResourceProperties('AWS::StepFunctions::StateMachineAlias', {
        Name: 'live',
        RoutingConfiguration: [{ StateMachineVersionArn: { 'Fn::GetAtt': [versionId, 'Arn'] }, Weight: 100 }],
      });
    });

    it('starts every execution on the alias: the starters are told its ARN and may start nowhere else', () => {
      // Prepare
      const aliasId = Object.keys(stateless.findResources('AWS::StepFunctions::StateMachineAlias'))[0];
      const machineId = Object.keys(stateless.findResources('AWS::StepFunctions::StateMachine'))[0];
      const starters = ['Applications', 'Cases', 'ResidentPages', 'StaffPages', 'Reconciler', 'HandOver'];

      // Assess
      for (const id of starters) {
        const start = rolePolicyStatements(id).filter((s) =>
          asList(s.Action).includes('states:StartExecution'),
        );
        expect(start, id).toEqual([
          expect.objectContaining({
            Resource: { Ref: machineId },
            Condition: { 'ForAnyValue:StringEquals': { 'states:StateMachineQualifier': 'live' } },
          }),
        ]);
        if (id !== 'HandOver') {
          expect(functionProperties(id).Environment.Variables.STATE_MACHINE_ARN, id).toEqual({
            Ref: aliasId,
          });
        }
      }
      // HandOver is named by the definition, so it knows the alias by name (its ARN would be a cycle).
      expect(functionProperties('HandOver').Environment.Variables.STATE_MACHINE_ALIAS).toBe('live');
      stateless.hasOutput('StateMachineAliasArn', { Value: { Ref: aliasId } });
    });

    it("gives operators the scripts' --aws settings and the restore's key as outputs", () => {
      // Prepare
      const reconciler = functionProperties('Reconciler').Environment.Variables;

      // Assess
      stateless.hasOutput('CasesTable', { Value: reconciler.CASES_TABLE });
      stateless.hasOutput('StatisticsTable', { Value: reconciler.STATISTICS_TABLE });
      stateless.hasOutput('StateMachineAliasArn', { Value: reconciler.STATE_MACHINE_ARN });
      // And the key a restored table is given: the one the tables are encrypted with.
      const [table] = Object.values(stateful.findResources('AWS::DynamoDB::GlobalTable'));
      const [keyId] = table?.Properties.Replicas[0].SSESpecification.KMSMasterKeyId['Fn::GetAtt'] ?? [];
      stateless.hasOutput('DataKeyArn', {
        Value: { 'Fn::ImportValue': Match.stringLikeRegexp(`:ExportsOutputFnGetAtt${keyId}Arn`) },
      });
    });
  });

  describe('staff sign-in', () => {
    it('requires MFA, enforces threat protection and lets no one sign themselves up', () => {
      stateless.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        DeletionProtection: 'ACTIVE',
        Schema: Match.arrayWith(
          ['csp', 'agency', 'pccArea'].map((name) =>
            Match.objectLike({ Name: name, AttributeDataType: 'String' }),
          ),
        ),
      });
      for (const group of ['officer', 'agency', 'pcc']) {
        stateless.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
      }
    });

    it('lets staff change their name but not the CSP, agency or area they act for', () => {
      stateless.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        PreventUserExistenceErrors: 'ENABLED',
        WriteAttributes: ['name'],
      });
    });

    it("lets the staff's pages, and no other function, sign staff out of the user pool", () => {
      // Prepare
      const userPool = logicalId(deployment.stateless.identity.userPool.node.defaultChild as IConstruct);

      // Assess
      for (const spec of functionSpecs) {
        const statements = rolePolicyStatements(spec.id).filter((s) =>
          asList(s.Action).includes('cognito-idp:AdminUserGlobalSignOut'),
        );
        expect(statements.length, spec.id).toBe(spec.id === 'StaffPages' ? 1 : 0);
        for (const statement of statements) {
          expect(asList(statement.Action)).toEqual(['cognito-idp:AdminUserGlobalSignOut']);
          expect(statement.Resource).toEqual({ 'Fn::GetAtt': [userPool, 'Arn'] });
        }
      }
    });

    it('opens no sign-in flow to the API but refreshing a token (staff sign in through the managed login)', () => {
      stateless.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlows: ['code'],
      });
    });

    it('keeps ID and access tokens to an hour, and revokes them with their refresh token', () => {
      stateless.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        EnableTokenRevocation: true,
        IdTokenValidity: 60,
        AccessTokenValidity: 60,
        TokenValidityUnits: Match.objectLike({ IdToken: 'minutes', AccessToken: 'minutes' }),
      });
    });

    it('puts the JWT authorizer on the staff-only routes and on no other', () => {
      // Prepare
      const routes = stateless.findResources('AWS::ApiGatewayV2::Route');

      // Assess
      const keys = functionSpecs.flatMap((s) => s.routes);
      expect(Object.keys(routes)).toHaveLength(keys.length);
      for (const route of Object.values(routes)) {
        const key = route.Properties.RouteKey as string;
        expect(keys).toContain(key);
        expect(route.Properties.AuthorizationType ?? 'NONE', key).toBe(
          isStaffOnlyRoute(key) ? 'JWT' : 'NONE',
        );
      }
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
      });
    });

    it('deploys no /local/ route: POST /local/token exists only in the local runtime (contract.md)', () => {
      const keys = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')).map(
        (route) => route.Properties.RouteKey as string,
      );

      expect(keys.filter((key) => key.split(' ')[1]?.startsWith('/local/'))).toEqual([]);
      expect(keys).toContain('POST /api/applications');
    });
  });

  describe('the edge', () => {
    it('puts a WAF web ACL with managed rules and a rate limit on applications in front of CloudFront', () => {
      edge.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'CLOUDFRONT',
        Rules: Match.arrayWith([
          Match.objectLike({
            Statement: {
              ManagedRuleGroupStatement: Match.objectLike({ Name: 'AWSManagedRulesCommonRuleSet' }),
            },
          }),
          Match.objectLike({
            Name: 'ApplicationsRateLimit',
            Action: { Block: Match.objectLike({ CustomResponse: Match.objectLike({ ResponseCode: 429 }) }) },
            Statement: { RateBasedStatement: Match.objectLike({ Limit: 20, AggregateKeyType: 'IP' }) },
          }),
        ]),
      });
      expect(JSON.stringify(edge.findResources('AWS::WAFv2::WebACL'))).toContain('/api/applications');
      stateless.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({ WebACLId: Match.anyValue() }),
      });
    });

    it('adds the origin secret, from Secrets Manager, to every request CloudFront passes to the API', () => {
      // Prepare
      const [distribution] = Object.values(stateless.findResources('AWS::CloudFront::Distribution')) as {
        Properties: {
          DistributionConfig: {
            Origins: {
              OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
              S3OriginConfig?: unknown;
            }[];
          };
        };
      }[];
      // The static files' bucket is the distribution's other origin (test/infra/edge-origin.test.ts).
      const origins = (distribution?.Properties.DistributionConfig.Origins ?? []).filter(
        (origin) => !origin.S3OriginConfig,
      );
      const secretId = logicalId(deployment.stateless.originSecret.node.defaultChild as IConstruct);

      // Assess
      expect(origins.length).toBeGreaterThan(0);
      for (const origin of origins) {
        expect(origin.OriginCustomHeaders?.map((header) => header.HeaderName)).toEqual(['x-origin-verify']);
        const value = JSON.stringify(origin.OriginCustomHeaders?.[0]?.HeaderValue);
        // A dynamic reference CloudFormation resolves at deployment: the value is in no template.
        expect(value).toContain('{{resolve:secretsmanager:');
        expect(value).toContain(secretId);
      }
      stateless.hasResource('AWS::SecretsManager::Secret', {
        Properties: Match.objectLike({
          GenerateSecretString: Match.objectLike({ ExcludePunctuation: true }),
          KmsKeyId: Match.anyValue(),
        }),
      });
    });

    it('has every HTTP function check that header against the secret, and only them read it', () => {
      // Prepare
      const secretId = logicalId(deployment.stateless.originSecret.node.defaultChild as IConstruct);
      const readsOriginSecret = (id: string) =>
        rolePolicyStatements(id).some(
          (statement) =>
            asList(statement.Action).includes('secretsmanager:GetSecretValue') &&
            JSON.stringify(statement.Resource).includes(secretId),
        );

      // Assess
      for (const spec of functionSpecs) {
        const http = spec.routes.length > 0;
        expect(readsOriginSecret(spec.id), spec.id).toBe(http);
        const environment = functionProperties(spec.id).Environment.Variables;
        if (http) expect(JSON.stringify(environment.ORIGIN_SECRET_ARN), spec.id).toContain(secretId);
        else expect(environment, spec.id).not.toHaveProperty('ORIGIN_SECRET_ARN');
      }
    });

    it('counts only the final submission of an application against the rate limit, not each step of the form', () => {
      // Prepare
      const [acl] = Object.values(edge.findResources('AWS::WAFv2::WebACL'));
      if (!acl) throw new Error('no web ACL');
      const rule = (acl.Properties as { Rules: { Name: string; Statement: unknown }[] }).Rules.find(
        (candidate) => candidate.Name === 'ApplicationsRateLimit',
      );
      if (!rule) throw new Error('no ApplicationsRateLimit rule');
      const paths = (
        rule.Statement as {
          RateBasedStatement: {
            ScopeDownStatement: {
              AndStatement: { Statements: { OrStatement?: { Statements: unknown[] } }[] };
            };
          };
        }
      ).RateBasedStatement.ScopeDownStatement.AndStatement.Statements.flatMap(
        (statement) => statement.OrStatement?.Statements ?? [],
      ).map((statement) => {
        const match = (
          statement as { ByteMatchStatement: { SearchString: string; PositionalConstraint: string } }
        ).ByteMatchStatement;
        return `${match.PositionalConstraint} ${match.SearchString}`;
      });

      // Assess
      expect(paths).toEqual(['STARTS_WITH /api/applications', 'EXACTLY /apply/check']);
    });

    it("keeps CloudFront's logs, whose paths can hold case references, for 30 days", () => {
      stateless.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
      });
    });

    it("tells residents in the privacy notice how long backups, CloudFront's, the WAF's and the API's logs keep what they hold", () => {
      // Prepare
      const notice = readFileSync(join(import.meta.dirname, '../../functions/web/views/privacy.njk'), 'utf8');
      const months = (days: unknown) => `${Number(days) / 30} months`;
      const [plan] = Object.values(stateful.findResources('AWS::Backup::BackupPlan'));
      const backupDays = plan?.Properties?.BackupPlan.BackupPlanRule[0].Lifecycle.DeleteAfterDays;
      const cloudFrontLogs = Object.entries(stateless.findResources('AWS::S3::Bucket')).find(([id]) =>
        id.startsWith('WebAccessLogs'),
      )?.[1];
      const cloudFrontDays = cloudFrontLogs?.Properties?.LifecycleConfiguration.Rules[0].ExpirationInDays;
      const [wafLogs] = Object.values(edge.findResources('AWS::Logs::LogGroup'));
      const apiLogs = Object.entries(stateless.findResources('AWS::Logs::LogGroup')).find(([id]) =>
        id.startsWith('ApiAccessLogs'),
      )?.[1];

      // Assess
      expect(notice).toContain(
        `each copy is deleted after ${backupDays} days, so your information is gone from them at most ${backupDays} days after`,
      );
      expect(notice).toContain(`kept for ${cloudFrontDays} days by the network that delivers the website`);
      expect(wafLogs?.Properties?.RetentionInDays).toBe(apiLogs?.Properties?.RetentionInDays);
      expect(notice).toContain(
        `for ${months(wafLogs?.Properties?.RetentionInDays)} by the firewall that protects it and by the service itself`,
      );
    });

    it('encrypts the WAF logs with a key of its own in us-east-1, which only their log group may use', () => {
      edge.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: 'aws-waf-logs-asb-case-review-merseyside',
        KmsKeyId: Match.anyValue(),
      });
      edge.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'logs.us-east-1.amazonaws.com' },
              Condition: {
                ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() },
              },
            }),
          ]),
        },
      });
    });

    it('serves HTTPS only, to the API over TLS 1.2, with security headers and access logs', () => {
      stateless.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
          // Beside the API, the static files' bucket (test/infra/edge-origin.test.ts).
          Origins: Match.arrayWith([
            Match.objectLike({
              CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
            }),
          ]),
          Logging: Match.objectLike({ IncludeCookies: false }),
        }),
      });
      stateless.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            StrictTransportSecurity: Match.objectLike({ Override: true, IncludeSubdomains: true }),
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ContentSecurityPolicy: Match.objectLike({ Override: false }),
          }),
        }),
      });
    });
  });

  describe('monitoring', () => {
    it('alarms on failed executions, overdue tasks, server errors and throttles, to an encrypted topic', () => {
      // Prepare
      const alarms = Object.values(stateless.findResources('AWS::CloudWatch::Alarm')).map(
        (alarm) => alarm.Properties as Record<string, unknown>,
      );

      // Assess
      const overdue = alarms.find((alarm) => alarm.MetricName === OVERDUE_TASKS_METRIC.metricName);
      const remind = (stateless.toJSON().Resources as Resources)[functionLogicalId('Remind')]?.Properties as {
        Environment: { Variables: Record<string, string> };
      };
      expect(overdue).toMatchObject({
        Namespace: OVERDUE_TASKS_METRIC.namespace,
        Dimensions: [{ Name: 'service', Value: 'asb-case-review-merseyside-workflow' }],
      });
      // The reminder step's Powertools metrics carry exactly this namespace and service dimension.
      expect(remind.Environment.Variables).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: OVERDUE_TASKS_METRIC.namespace,
        POWERTOOLS_SERVICE_NAME: 'asb-case-review-merseyside-workflow',
      });
      expect(alarms.some((alarm) => alarm.MetricName === '5xx')).toBe(true);
      expect(alarms.some((alarm) => JSON.stringify(alarm.Metrics ?? '').includes('ExecutionsFailed'))).toBe(
        true,
      );
      const throttles = alarms.filter((alarm) => alarm.MetricName === 'Throttles');
      expect(throttles).toHaveLength(functionSpecs.length + 1);
      for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
      stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      stateless.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'alarms@merseyside-pcc.example',
      });
      stateless.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });

  describe('recovery and alarms that matter', () => {
    const alarmsOf = (template: Template): ({ id: string } & Record<string, unknown>)[] =>
      Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([id, alarm]) => ({
        ...(alarm.Properties as Record<string, unknown>),
        id,
      }));

    it('starts the reconciler at once when an execution of this state machine fails, times out or is aborted', () => {
      // Prepare
      const [ruleId, rule] = Object.entries(stateless.findResources('AWS::Events::Rule'))[0] ?? [];
      const machine = Object.keys(stateless.findResources('AWS::StepFunctions::StateMachine'))[0];

      // Assess
      expect(rule?.Properties).toMatchObject({
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: machine }] },
        },
        Targets: [
          expect.objectContaining({ Arn: { 'Fn::GetAtt': [functionLogicalId('Reconciler'), 'Arn'] } }),
        ],
      });
      stateless.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      });
      const failed = alarmsOf(stateless).find((alarm) => alarm.id.includes('FailedExecutions'));
      expect(JSON.stringify(failed?.Metrics)).toContain('MatchedEvents');
      expect(JSON.stringify(failed?.Metrics)).toContain(ruleId);
      expect(failed).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    });

    it("alarms on every function's errors, the sign-in trigger's first, DynamoDB's own errors and cases needing attention", () => {
      // Prepare
      const alarms = alarmsOf(stateless);
      const errors = alarms.filter((alarm) => alarm.MetricName === 'Errors');

      // Assess
      expect(errors).toHaveLength(functionSpecs.length + 1);
      const signIn = errors.find((alarm) => alarm.id.includes(STAFF_CLAIMS_FUNCTION.id));
      expect(signIn).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, Period: 60 });
      for (const table of ['CasesTable', 'StatisticsTable', 'IdempotencyTable']) {
        const system = alarms.find((alarm) => alarm.id.includes(`${table}SystemErrors`));
        expect(JSON.stringify(system?.Metrics), table).toContain('SystemErrors');
      }
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AsbCaseReview',
        MetricName: 'CasesNeedingAttention',
        Dimensions: [{ Name: 'service', Value: 'asb-case-review-merseyside-workflow' }],
        Statistic: 'Sum',
      });
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: 'ThrottledEvents',
        Dimensions: [{ Name: 'APIName', Value: 'StartExecution' }],
      });
    });

    it('alarms at once only where one datapoint means a person is affected, otherwise when errors persist', () => {
      // Prepare
      const alarms = alarmsOf(stateless);
      const atOnce = alarms.filter((alarm) => alarm.Threshold === 1 && alarm.EvaluationPeriods === 1);

      // Assess
      expect(atOnce.map((alarm) => alarm.id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
        'MonitoringCasesNeedingAttention',
        'MonitoringExecutionStartFailures',
        'MonitoringFailedExecutions',
        'MonitoringOverdueTasks',
        `Monitoring${STAFF_CLAIMS_FUNCTION.id}Errors`,
      ]);
      for (const alarm of alarms.filter((candidate) => !atOnce.includes(candidate))) {
        expect(alarm.EvaluationPeriods, alarm.id).toBeGreaterThan(1);
      }
    });

    it('alarms at once on a case stored but not started, watching exactly what the functions that start cases write', async () => {
      // Prepare
      const [alarm, ...others] = alarmsOf(stateless).filter((candidate) =>
        candidate.id.includes('ExecutionStartFailures'),
      );
      const starters = functionSpecs.filter((spec) => FUNCTION_GRANTS[spec.id]?.startsExecutions);

      // Act: each starter's count, failed and started, as it writes it with the environment the template gives it
      const written = await Promise.all(
        starters.map(async (spec) => {
          const env = lambdaEnvironment(functionProperties(spec.id).Environment.Variables, bundleOf(spec.id));
          const documents = await emfWrittenDuring(() => {
            countExecutionStart(metricsFromEnv(env), 'merseyside', true);
            countExecutionStart(metricsFromEnv(env), 'merseyside', false);
          });
          return { spec: spec.id, documents };
        }),
      );

      // Assess
      expect(others).toEqual([]);
      expect(alarm).toMatchObject({
        Threshold: 1,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Statistic: 'Sum',
      });
      expect(starters.map((spec) => spec.id).sort()).toEqual([
        'Applications',
        'Cases',
        'ResidentPages',
        'StaffPages',
      ]);
      for (const { spec, documents } of written) {
        expect(
          documents.map((document) => document.ExecutionStartFailures),
          spec,
        ).toEqual([1, 0]);
        for (const document of documents) {
          const [set] = document._aws.CloudWatchMetrics;
          expect(
            { Namespace: set?.Namespace, MetricName: set?.Metrics[0]?.Name, Dimensions: set?.Dimensions },
            spec,
          ).toEqual({
            Namespace: alarm?.Namespace,
            MetricName: alarm?.MetricName,
            Dimensions: [['area']],
          });
          expect(alarm?.Dimensions, spec).toEqual([{ Name: 'area', Value: document.area }]);
        }
      }
    });

    it("alarms in us-east-1 on CloudFront's 5xx rate and on a flood of WAF blocks, to an encrypted topic there", () => {
      // Assess
      expect(deployment.edgeAlarms.region).toBe('us-east-1');
      edgeAlarms.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/CloudFront',
        MetricName: '5xxErrorRate',
        Dimensions: Match.arrayWith([{ Name: 'Region', Value: 'Global' }]),
        EvaluationPeriods: 3,
      });
      edge.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/WAFV2',
        MetricName: 'BlockedRequests',
        Dimensions: Match.arrayWith([{ Name: 'Rule', Value: 'ALL' }]),
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
      });
      edge.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      edge.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'alarms@merseyside-pcc.example',
      });
    });
  });

  describe('the OverdueTasks alarm', () => {
    it('watches exactly the metric the reminder step writes with the environment the template gives it', async () => {
      // Prepare
      const [alarm, ...others] = Object.entries(stateless.findResources('AWS::CloudWatch::Alarm'))
        .filter(([id]) => id.includes('OverdueTasks'))
        .map(
          ([, resource]) =>
            resource.Properties as {
              Namespace: string;
              MetricName: string;
              Dimensions: { Name: string; Value: string }[];
              Statistic: string;
            },
        );
      const remindEnv = lambdaEnvironment(
        functionProperties('Remind').Environment.Variables,
        bundleOf('Remind'),
      );

      // Act
      const documents = await emfWrittenDuring(() => countOverdueTask(metricsFromEnv(remindEnv)));

      // Assess
      expect(others).toEqual([]);
      expect(alarm?.Statistic).toBe('Sum');
      expect(documents).toHaveLength(1);
      const [document] = documents;
      expect(document?._aws.CloudWatchMetrics).toEqual([
        {
          Namespace: alarm?.Namespace,
          Dimensions: [alarm?.Dimensions.map((dimension) => dimension.Name)],
          Metrics: [{ Name: alarm?.MetricName, Unit: 'Count' }],
        },
      ]);
      for (const dimension of alarm?.Dimensions ?? [])
        expect(document?.[dimension.Name]).toBe(dimension.Value);
      expect(document?.[alarm?.MetricName ?? '']).toBe(1);
    });
  });

  describe('keys', () => {
    interface KeyStatement {
      Sid?: string;
      Effect: string;
      Principal: { AWS?: unknown; Service?: string };
      Action: string | string[];
      Condition?: Record<string, Record<string, unknown>>;
    }
    const keysOf = (template: Template) =>
      Object.fromEntries(
        Object.entries(template.findResources('AWS::KMS::Key')).map(([id, key]) => [
          id,
          (key.Properties.KeyPolicy as { Statement: KeyStatement[] }).Statement,
        ]),
      );
    const keyId = (key: IConstruct) => logicalId(key.node.defaultChild as IConstruct);
    const isAccount = (statement: KeyStatement) =>
      JSON.stringify(statement.Principal.AWS ?? '').endsWith(`:iam::${ACCOUNT}:root"]]}`);
    const usesOf = (statement: KeyStatement) =>
      asList(statement.Action).filter((action) => action !== 'kms:DescribeKey');
    const cryptographic = (action: string) =>
      /^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant)/.test(action);

    it('separates the administrators of every key from its users: they cannot encrypt or decrypt, users cannot administer', () => {
      // Prepare
      const keys = { ...keysOf(stateful), ...keysOf(edge) };

      // Assess
      expect(Object.keys(keys)).toHaveLength(3);
      for (const [id, statements] of Object.entries(keys)) {
        const administration = statements.filter((statement) => statement.Sid === 'KeyAdministration');
        expect(administration, id).toHaveLength(1);
        expect(administration[0]).toMatchObject({
          Effect: 'Allow',
          Action: [...KEY_ADMINISTRATION_ACTIONS],
          Condition: { StringNotEquals: { [`aws:PrincipalTag/${SERVICE_TAG.key}`]: SERVICE_TAG.value } },
        });
        expect(isAccount(administration[0] as KeyStatement), id).toBe(true);
        expect(asList(administration[0]?.Action ?? []).some(cryptographic), id).toBe(false);
        for (const statement of statements) {
          // Every statement is one written on purpose, with its conditions: none that CDK added by itself.
          expect(statement.Sid, id).toEqual(expect.any(String));
          expect(statement.Condition, `${id} ${statement.Sid}`).toBeDefined();
          expect(asList(statement.Action), `${id} ${statement.Sid}`).not.toContain('kms:*');
          if (statement === administration[0]) continue;
          const administers = usesOf(statement).filter((action) =>
            (KEY_ADMINISTRATION_ACTIONS as readonly string[]).includes(action),
          );
          expect(administers, `${id} ${statement.Sid}`).toEqual([]);
        }
      }
    });

    it('lets this account use the data key only through DynamoDB, Secrets Manager, S3 and AWS Backup, or as its state machines', () => {
      // Prepare
      const statements = keysOf(stateful)[keyId(deployment.stateful.key)] ?? [];
      const users = statements.filter((statement) => statement.Sid !== 'KeyAdministration');

      // Assess
      expect(users.map((statement) => statement.Sid).sort()).toEqual([
        'LogDeliveryOfThisAccount',
        'StateMachineLogsOfThisAccount',
        'StateMachinesOfThisAccount',
        'UseThroughTheServicesOfThisAccount',
      ]);
      const byService = users.find((statement) => statement.Sid === 'UseThroughTheServicesOfThisAccount');
      expect(byService?.Action).toEqual([...KEY_USE_ACTIONS]);
      expect(byService?.Condition).toEqual({
        StringEquals: {
          'kms:ViaService': ['dynamodb', 'secretsmanager', 's3', 'backup'].map(
            (service) => `${service}.eu-west-2.amazonaws.com`,
          ),
        },
      });
      const machines = users.find((statement) => statement.Sid === 'StateMachinesOfThisAccount');
      expect(machines?.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(JSON.stringify(machines?.Condition)).toContain(
        `"kms:EncryptionContext:aws:states:stateMachineArn":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":states:eu-west-2:${ACCOUNT}:stateMachine:*"]]}`,
      );
      for (const statement of users.filter((candidate) => !isAccount(candidate))) {
        expect(statement.Principal).toEqual({ Service: 'delivery.logs.amazonaws.com' });
        expect(statement.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
      }
    });

    it('encrypts every log group and the alarm topic with the logs key, which only CloudWatch may use', () => {
      // Prepare
      const logsKey = keyId(deployment.stateful.logsKey);
      const dataKey = keyId(deployment.stateful.key);
      const statements = keysOf(stateful)[logsKey] ?? [];

      // Assess
      for (const group of Object.values(stateless.findResources('AWS::Logs::LogGroup'))) {
        expect(JSON.stringify(group.Properties?.KmsKeyId)).toContain(logsKey);
      }
      for (const topic of Object.values(stateless.findResources('AWS::SNS::Topic'))) {
        expect(JSON.stringify(topic.Properties?.KmsMasterKeyId)).toContain(logsKey);
      }
      const users = statements.filter((statement) => statement.Sid !== 'KeyAdministration');
      expect(users.map((statement) => statement.Principal)).toEqual([
        { Service: 'logs.eu-west-2.amazonaws.com' },
        { Service: 'cloudwatch.amazonaws.com' },
      ]);
      // The data key stays with the data: the state machine's history, the tables, secrets and backups.
      const [machine] = Object.values(stateless.findResources('AWS::StepFunctions::StateMachine'));
      expect(JSON.stringify(machine?.Properties?.EncryptionConfiguration)).toContain(dataKey);
      stateful.allResourcesProperties('AWS::SecretsManager::Secret', {
        KmsKeyId: { 'Fn::GetAtt': [dataKey, 'Arn'] },
      });
    });

    it("tags every role the service's functions and workflow run as, which keeps them from administering a key", () => {
      // Prepare
      const roles = [...deployment.stateless.functions.values()].map((fn) => fn.role);
      const resources = stateless.toJSON().Resources as Resources;
      const workflowRole = Object.values(resources).find(
        (resource) =>
          resource.Type === 'AWS::IAM::Role' &&
          JSON.stringify(resource.Properties?.AssumeRolePolicyDocument).includes('states.amazonaws.com'),
      );

      // Assess
      for (const role of [
        ...roles.map((role) => resources[logicalId(role.node.defaultChild as IConstruct)]),
        workflowRole,
      ]) {
        expect(role?.Properties?.Tags).toContainEqual({ Key: SERVICE_TAG.key, Value: SERVICE_TAG.value });
      }
    });

    it('with a key administrator role, lets that role and the deploying role alone administer, and that role use no key', () => {
      // Prepare
      const roleArn = 'arn:aws:iam::123456789012:role/security/asb-key-administrators';
      const app = new App();
      const env = { account: ACCOUNT, region: 'eu-west-2' };
      const administered = [
        new StatefulStack(app, 'Administered', { env, keyAdministrators: { roleArn } }),
        new EdgeStack(app, 'AdministeredEdge', {
          env: { ...env, region: 'us-east-1' },
          name: 'merseyside',
          applicationRateLimit: 20,
          keyAdministrators: { roleArn },
        }),
      ];

      // Act
      const keys = administered.map((stack) => ({
        region: stack.region,
        keys: keysOf(Template.fromStack(stack)),
      }));

      // Assess
      for (const { region, keys: byId } of keys) {
        for (const statements of Object.values(byId)) {
          expect(statements.find((statement) => statement.Sid === 'KeyAdministration')?.Condition).toEqual({
            ArnEquals: {
              'aws:PrincipalArn': [
                roleArn,
                {
                  'Fn::Sub': `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${region}`,
                },
              ],
            },
          });
          const denied = statements.find((statement) => statement.Sid === 'KeyAdministratorsDoNotUseIt');
          expect(denied).toMatchObject({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn } },
          });
          expect(asList(denied?.Action ?? [])).toEqual(
            KEY_USE_ACTIONS.filter((action) => action !== 'kms:DescribeKey'),
          );
        }
      }
    });
  });

  describe('the stateful stack', () => {
    it('keeps the secrets encrypted with the data key and retained', () => {
      stateful.allResourcesProperties('AWS::SecretsManager::Secret', { KmsKeyId: Match.anyValue() });
      for (const secret of Object.values(stateful.findResources('AWS::SecretsManager::Secret'))) {
        expect(secret.DeletionPolicy).toBe('Retain');
      }
    });

    it("lets CloudWatch Logs use the key only for this account's log groups", () => {
      stateful.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'logs.eu-west-2.amazonaws.com' },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
            }),
          ]),
        },
      });
    });

    it('is protected from deletion', () => {
      expect(deployment.stateful.terminationProtection).toBe(true);
    });

    it('backs the tables up daily into a locked vault encrypted with the data key, kept 35 days', () => {
      // Assess
      stateful.hasResourceProperties('AWS::Backup::BackupVault', {
        EncryptionKeyArn: Match.anyValue(),
        LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 35, ChangeableForDays: 3 },
      });
      stateful.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: Match.objectLike({
          BackupPlanRule: [
            Match.objectLike({
              ScheduleExpression: 'cron(0 2 * * ? *)',
              Lifecycle: { DeleteAfterDays: 35 },
            }),
          ],
        }),
      });
      const selection = JSON.stringify(stateful.findResources('AWS::Backup::BackupSelection'));
      for (const table of ['CasesTable', 'StatisticsTable', 'IdempotencyTable']) {
        expect(selection, table).toContain(table);
      }
      for (const vault of Object.values(stateful.findResources('AWS::Backup::BackupVault'))) {
        expect(vault.DeletionPolicy).toBe('Retain');
      }
    });

    it('copies each backup to another account when a vault there is given', () => {
      // Prepare
      const vault = 'arn:aws:backup:eu-west-2:210987654321:backup-vault:asb-case-review-copies';

      // Act
      const copied = Template.fromStack(
        new StatefulStack(new App(), 'Copied', {
          env: { account: ACCOUNT, region: 'eu-west-2' },
          backupCopyVaultArn: vault,
        }),
      );

      // Assess
      copied.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: Match.objectLike({
          BackupPlanRule: [
            Match.objectLike({
              CopyActions: [{ DestinationBackupVaultArn: vault, Lifecycle: { DeleteAfterDays: 35 } }],
            }),
          ],
        }),
      });
    });

    it('lets log delivery use the key only for this account, by source account and ARN', () => {
      stateful.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'delivery.logs.amazonaws.com' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': ACCOUNT },
                ArnLike: { 'aws:SourceArn': Match.anyValue() },
              },
            }),
          ]),
        },
      });
    });
  });
  describe('evidence files', () => {
    const bucketName = `asb-evidence-merseyside-${ACCOUNT}`;
    const ruleTargeting = (functionId: string) => {
      const rules = Object.values(stateless.findResources('AWS::Events::Rule')).filter((rule) =>
        JSON.stringify(rule.Properties?.Targets).includes(functionLogicalId(functionId)),
      );
      expect(rules, functionId).toHaveLength(1);
      return rules[0]?.Properties as { EventPattern: unknown; State: string };
    };

    it('keeps them in a bucket encrypted with the data key, private, TLS only and versioned', () => {
      stateful.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: bucketName,
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
            }),
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
      });
      stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('sends each object created under uploads/, and nothing else, to ProcessUpload', () => {
      expect(ruleTargeting('ProcessUpload')).toMatchObject({
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { bucket: { name: [bucketName] }, object: { key: [{ prefix: 'uploads/' }] } },
        },
      });
    });

    it('scans every cleaned copy with GuardDuty Malware Protection, tagging each with its result', () => {
      // Prepare
      const [plan] = Object.values(stateful.findResources('AWS::GuardDuty::MalwareProtectionPlan'));
      if (!plan) throw new Error('no malware protection plan');
      const role = (plan.Properties as { Role: { 'Fn::GetAtt': [string, string] } }).Role['Fn::GetAtt'][0];

      // Assess
      expect(plan.Properties).toMatchObject({
        ProtectedResource: { S3Bucket: { BucketName: bucketName, ObjectPrefixes: ['clean/'] } },
        Actions: { Tagging: { Status: 'ENABLED' } },
      });
      stateful.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
            }),
          ],
        },
      });
      const [policy] = Object.values(stateful.findResources('AWS::IAM::Policy')).filter((candidate) =>
        JSON.stringify(candidate.Properties?.Roles).includes(role),
      );
      if (!policy) throw new Error('no policy of the malware protection role');
      const statements = (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument
        .Statement;
      for (const statement of statements.filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')))) {
        for (const resource of asList(statement.Resource).map(standIn)) {
          expect(resource).toMatch(
            new RegExp(
              `^arn:aws:s3:::${bucketName}(/clean/\\*|/malware-protection-resource-validation-object)?$`,
            ),
          );
        }
      }
      expect(actionsOf(statements)).toContain('s3:PutObjectTagging');
    });

    it('never serves an object GuardDuty found a threat in, whoever asks', () => {
      // Prepare
      const statements = Object.values(stateful.findResources('AWS::S3::BucketPolicy')).flatMap(
        (policy) =>
          (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
      );
      const quarantine = statements.filter((statement) =>
        JSON.stringify(statement).includes('THREATS_FOUND'),
      );

      // Assess
      expect(quarantine).toHaveLength(1);
      expect({ ...quarantine[0], Resource: asList(quarantine[0]?.Resource).map(standIn) }).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: [`arn:aws:s3:::${bucketName}/clean/*`],
        Condition: { StringEquals: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'THREATS_FOUND' } },
      });
    });

    it("sends GuardDuty's result for each cleaned copy of this bucket to ScanResult", () => {
      expect(ruleTargeting('ScanResult')).toMatchObject({
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.guardduty'],
          'detail-type': ['GuardDuty Malware Protection Object Scan Result'],
          detail: { s3ObjectDetails: { bucketName: [bucketName], objectKey: [{ prefix: 'clean/' }] } },
        },
      });
    });

    it('lets ProcessUpload read only uploads/ and write only clean/, and ScanResult neither', () => {
      const objects = (id: string, action: string) =>
        rolePolicyStatements(id)
          .filter((s) => asList(s.Action).includes(action))
          .flatMap((s) => asList(s.Resource).map(standIn));

      expect(objects('ProcessUpload', 's3:GetObject')).toEqual([`arn:aws:s3:::${bucketName}/uploads/*`]);
      expect(objects('ProcessUpload', 's3:PutObject')).toEqual([`arn:aws:s3:::${bucketName}/clean/*`]);
      expect([...actionsOf(rolePolicyStatements('ScanResult'))].filter((a) => a.startsWith('s3:'))).toEqual(
        [],
      );
    });

    it("takes a browser's POST from the site's own address only (CORS), the rule put at deployment", () => {
      // Prepare
      const calls = Object.values(stateless.findResources('Custom::AWS'));
      const call = JSON.parse(standIn(calls[0]?.Properties?.Create));
      const siteUrl = stateless.findOutputs('SiteUrl').SiteUrl?.Value;
      const puts = Object.values(stateless.findResources('AWS::IAM::Policy'))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
        .filter((statement) => asList(statement.Action).includes('s3:PutBucketCORS'));

      // Assess
      expect(calls).toHaveLength(1);
      expect(call).toMatchObject({
        service: 'S3',
        action: 'putBucketCors',
        parameters: {
          Bucket: bucketName,
          CORSConfiguration: {
            CORSRules: [{ AllowedOrigins: [standIn(siteUrl)], AllowedMethods: ['POST'] }],
          },
        },
      });
      expect(
        puts.map((statement) => [asList(statement.Action), asList(statement.Resource).map(standIn)]),
      ).toEqual([[['s3:PutBucketCORS'], [`arn:aws:s3:::${bucketName}`]]]);
    });

    it("deletes every version of a case's files each night, EvidenceRetention listing versions and deleting only under the two prefixes", () => {
      // Prepare
      const statements = rolePolicyStatements('EvidenceRetention');
      const resourcesOf = (action: string) =>
        statements
          .filter((s) => asList(s.Action).includes(action))
          .flatMap((s) => asList(s.Resource).map(standIn));

      // Assess
      stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 3 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/London',
        State: 'ENABLED',
        Target: { Arn: { 'Fn::GetAtt': [functionLogicalId('EvidenceRetention'), 'Arn'] } },
      });
      expect(resourcesOf('s3:ListBucketVersions')).toEqual([`arn:aws:s3:::${bucketName}`]);
      expect(resourcesOf('s3:DeleteObjectVersion').sort()).toEqual([
        `arn:aws:s3:::${bucketName}/clean/*`,
        `arn:aws:s3:::${bucketName}/uploads/*`,
      ]);
      expect(resourcesOf('s3:GetObject')).toEqual([]);
    });

    it("carries sharp in the ProcessUpload bundle with its build for Lambda's x86_64 Linux, and no other", () => {
      // Prepare
      const modules = join(bundleOf('ProcessUpload'), 'node_modules');
      const builds = readdirSync(join(modules, '@img')).filter((name) => name.startsWith('sharp-'));

      // Assess: sharp's JavaScript (and the packages it needs) is bundled; only its compiled build is carried.
      expect(readFileSync(join(bundleOf('ProcessUpload'), 'index.mjs'), 'utf8')).toContain(
        '@img/sharp-linux-x64/sharp.node',
      );
      expect(readdirSync(modules)).toEqual(['@img']);
      expect(builds.sort()).toEqual(['sharp-libvips-linux-x64', 'sharp-linux-x64']);
      expect(functionProperties('ProcessUpload')).toMatchObject({ Architectures: ['x86_64'] });
    });
  });
});
