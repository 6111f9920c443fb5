// What CDK synthesised (the cloud assembly, `cdk.out`), read as the local cloud runs it: the functions
// the app invokes (through its HTTP API routes, its state machine and its user pool's triggers) with
// their bundles, handlers, settings and role policies; the state machine as CDK rendered it; the
// routes; the secrets. Every value comes from the templates, resolved to the local resources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type LocalAddresses,
  StackResolver,
  type Template,
  type TemplateNode,
  type TemplateResource,
} from '#local/deployed/template-values.ts';
import { type LocalSchedule, SCHEDULER_DEFAULTS } from '#local/schedules.ts';
import { substituteDefinition } from '#local/stepfunctions/definitions.ts';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[] | Record<string, unknown>;
}

export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** The identity an AWS call is made as: a function's or the state machine's role. */
export interface RoleIdentity {
  readonly roleArn: string;
  readonly roleName: string;
  readonly policies: readonly NamedPolicy[];
}

export interface DeployedFunction {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly codeDirectory: string;
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** The template's environment, resolved (paths still under Lambda's /var/task). */
  readonly environment: Readonly<Record<string, string>>;
  readonly role: RoleIdentity;
  /** The names of its aliases (`live`): what a caller may qualify its name with. */
  readonly aliases: readonly string[];
}

export interface DeployedStateMachine {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The definition as CloudFormation would create it: substitutions filled. */
  readonly definition: string;
  readonly role: RoleIdentity;
  /** The names of its aliases, on which executions start. */
  readonly aliases: readonly string[];
}

export interface DeployedRoute {
  readonly routeKey: string;
  readonly functionName: string;
  readonly authorizationType: string;
}

export interface DeployedSecret {
  readonly arn: string;
  readonly name: string;
  readonly generate?: { readonly PasswordLength?: number; readonly ExcludePunctuation?: boolean };
}

export interface DeployedAlarm {
  readonly logicalId: string;
  readonly stackName: string;
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** The metrics of a math-expression alarm. */
  readonly metrics: readonly { namespace: string; metricName: string; dimensions: Record<string, string> }[];
}

/** An EventBridge rule that invokes functions: its pattern as the template holds it. */
export interface DeployedRule {
  readonly logicalId: string;
  readonly eventPattern: Readonly<Record<string, unknown>>;
  /** The names of the functions it invokes. */
  readonly functionNames: readonly string[];
}

/** An EventBridge Scheduler schedule whose target is a function, and the role it invokes it as. */
export interface DeployedSchedule extends LocalSchedule {
  readonly logicalId: string;
  readonly role: RoleIdentity;
}

/** GuardDuty Malware Protection for S3 on a bucket: the prefixes it scans, and whether it tags. */
export interface DeployedMalwareProtectionPlan {
  readonly bucketName: string;
  readonly objectPrefixes: readonly string[];
  /** Whether it tags each object it scanned with its result (GuardDutyMalwareScanStatus). */
  readonly tagging: boolean;
  /** The role it reads and tags the objects as. */
  readonly role: RoleIdentity;
}

/** What one of CDK's BucketDeployments uploads: its staged folders, where to and with what headers. */
export interface DeployedStaticFiles {
  readonly directories: readonly string[];
  readonly keyPrefix: string;
  readonly contentType?: string;
  readonly cacheControl?: string;
}

/** A bucket's policy (AWS::S3::BucketPolicy), resolved. */
export interface DeployedBucketPolicy {
  readonly bucketName: string;
  readonly document: PolicyDocument;
}

export interface DeployedApp {
  readonly directory: string;
  readonly functions: readonly DeployedFunction[];
  readonly rules: readonly DeployedRule[];
  readonly schedules: readonly DeployedSchedule[];
  readonly malwareProtectionPlans: readonly DeployedMalwareProtectionPlan[];
  readonly bucketPolicies: readonly DeployedBucketPolicy[];
  /** The static files CDK uploads at deployment (Custom::CDKBucketDeployment), as staged in the assembly. */
  readonly staticFiles: readonly DeployedStaticFiles[];
  readonly stateMachines: readonly DeployedStateMachine[];
  readonly routes: readonly DeployedRoute[];
  readonly secrets: readonly DeployedSecret[];
  readonly alarms: readonly DeployedAlarm[];
  /**
   * The custom headers CloudFront adds to every request to its origins, by name; a value may be a
   * dynamic reference to a secret (`{{resolve:secretsmanager:<arn>:SecretString:::}}`).
   */
  readonly originHeaders: Readonly<Record<string, string>>;
}

export class CloudAssemblyError extends Error {
  override name = 'CloudAssemblyError';
}

interface StackArtifact {
  readonly name: string;
  readonly template: Template;
  readonly assetPaths: ReadonlyMap<string, string>;
}

interface Manifest {
  readonly artifacts: Record<
    string,
    { type: string; properties?: { templateFile?: string; file?: string }; dependencies?: string[] }
  >;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

function readStacks(directory: string): StackArtifact[] {
  let manifest: Manifest;
  try {
    manifest = readJson<Manifest>(join(directory, 'manifest.json'));
  } catch (error) {
    throw new CloudAssemblyError(`No cloud assembly in ${directory} (run npm run synth)`, { cause: error });
  }
  const artifacts = Object.entries(manifest.artifacts);
  return artifacts
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([name, artifact]) => {
      const templateFile = artifact.properties?.templateFile ?? `${name}.template.json`;
      // The stack's asset manifest maps each uploaded object (a bundle's zip, a definition file) to
      // the folder or file in the assembly it is made from.
      const assetPaths = new Map<string, string>();
      for (const dependency of artifact.dependencies ?? []) {
        const assets = manifest.artifacts[dependency];
        if (assets?.type !== 'cdk:asset-manifest' || !assets.properties?.file) continue;
        const { files = {} } = readJson<{
          files?: Record<
            string,
            { source: { path: string }; destinations: Record<string, { objectKey: string }> }
          >;
        }>(join(directory, assets.properties.file));
        for (const file of Object.values(files)) {
          for (const destination of Object.values(file.destinations)) {
            assetPaths.set(destination.objectKey, join(directory, file.source.path));
          }
        }
      }
      return { name, template: readJson<Template>(join(directory, templateFile)), assetPaths };
    });
}

const ofType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** Fn::GetAtt [X, Arn] or Ref X: the logical id it names. */
function referencedId(node: TemplateNode): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const getAtt = (node as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  const ref = (node as { Ref?: unknown }).Ref;
  return typeof ref === 'string' ? ref : undefined;
}

/** Reads the assembly in `directory`, resolved to the local resources at `local`. */
export function readCloudAssembly(directory: string, local: LocalAddresses): DeployedApp {
  const stacks = readStacks(directory);
  // Exports first: a stack's Fn::ImportValue reads what another stack's Outputs export.
  const exports: Record<string, string> = {};
  for (const stack of stacks) {
    const resolver = new StackResolver(stack.name, stack.template, local, {});
    for (const [outputId, output] of Object.entries(stack.template.Outputs ?? {})) {
      if (!output.Export) continue;
      try {
        const name = resolver.resolve<string>(output.Export.Name, `${stack.name} output ${outputId}`);
        exports[name] = resolver.resolve<string>(output.Value, `${stack.name} output ${outputId}`);
      } catch {
        // An output of something with no local counterpart: no function can use it either.
      }
    }
  }

  const functions: DeployedFunction[] = [];
  const stateMachines: DeployedStateMachine[] = [];
  const routes: DeployedRoute[] = [];
  const secrets: DeployedSecret[] = [];
  const alarms: DeployedAlarm[] = [];
  const rules: DeployedRule[] = [];
  const schedules: DeployedSchedule[] = [];
  const malwareProtectionPlans: DeployedMalwareProtectionPlan[] = [];
  const bucketPolicies: DeployedBucketPolicy[] = [];
  const staticFiles: DeployedStaticFiles[] = [];
  const originHeaders: Record<string, string> = {};
  for (const stack of stacks) {
    const resolver = new StackResolver(stack.name, stack.template, local, exports);
    const { template } = stack;
    const invoked = invokedFunctions(template);
    for (const logicalId of invoked) {
      functions.push(readFunction(stack, resolver, logicalId));
    }
    for (const [logicalId, resource] of ofType(template, 'AWS::StepFunctions::StateMachine')) {
      stateMachines.push(readStateMachine(stack, resolver, logicalId, resource));
    }
    routes.push(...readRoutes(template, resolver, stack.name));
    for (const [logicalId, resource] of ofType(template, 'AWS::SecretsManager::Secret')) {
      secrets.push({
        arn: resolver.resolve<string>({ Ref: logicalId }, logicalId),
        name: (resource.Properties?.Name as string | undefined) ?? logicalId,
        ...(resource.Properties?.GenerateSecretString !== undefined && {
          generate: resource.Properties.GenerateSecretString as DeployedSecret['generate'],
        }),
      });
    }
    for (const [logicalId, resource] of ofType(template, 'AWS::CloudWatch::Alarm')) {
      alarms.push(readAlarm(stack.name, logicalId, resource, resolver));
    }
    for (const [logicalId, resource] of ofType(template, 'AWS::Events::Rule')) {
      const functionNames = ruleTargets(template, resource).map((id) =>
        resolver.resolve<string>({ Ref: id }, `${stack.name} ${logicalId} target`),
      );
      if (functionNames.length === 0 || resource.Properties?.EventPattern === undefined) continue;
      rules.push({
        logicalId,
        eventPattern: resolveIntrinsics(
          resource.Properties.EventPattern,
          resolver,
          `${stack.name} ${logicalId} pattern`,
        ) as Record<string, unknown>,
        functionNames,
      });
    }
    for (const [logicalId, resource] of ofType(template, 'AWS::Scheduler::Schedule')) {
      schedules.push(readSchedule(stack, resolver, logicalId, resource));
    }
    for (const [logicalId, resource] of ofType(template, 'AWS::GuardDuty::MalwareProtectionPlan')) {
      const { S3Bucket } = resolveIntrinsics(
        resource.Properties?.ProtectedResource ?? {},
        resolver,
        `${stack.name} ${logicalId}`,
      ) as { S3Bucket?: { BucketName: string; ObjectPrefixes?: string[] } };
      const actions = resource.Properties?.Actions as { Tagging?: { Status?: string } } | undefined;
      if (S3Bucket) {
        malwareProtectionPlans.push({
          bucketName: S3Bucket.BucketName,
          objectPrefixes: S3Bucket.ObjectPrefixes ?? [],
          tagging: actions?.Tagging?.Status === 'ENABLED',
          role: readRole(stack, resolver, resource.Properties?.Role ?? null, `${stack.name} ${logicalId}`),
        });
      }
    }
    for (const [logicalId, resource] of ofType(template, 'Custom::CDKBucketDeployment')) {
      const properties = resource.Properties ?? {};
      const metadata = (properties.SystemMetadata ?? {}) as Record<string, string>;
      const directories = ((properties.SourceObjectKeys ?? []) as string[]).map((key) => {
        const path = stack.assetPaths.get(key);
        if (!path)
          throw new CloudAssemblyError(`${stack.name} ${logicalId}: the assembly has no asset ${key}`);
        return path;
      });
      staticFiles.push({
        directories,
        keyPrefix: (properties.DestinationBucketKeyPrefix as string | undefined) ?? '',
        ...(metadata['content-type'] && { contentType: metadata['content-type'] }),
        ...(metadata['cache-control'] && { cacheControl: metadata['cache-control'] }),
      });
    }
    for (const [logicalId, resource] of ofType(template, 'AWS::S3::BucketPolicy')) {
      const where = `${stack.name} ${logicalId}`;
      bucketPolicies.push({
        bucketName: resolver.resolve<string>(resource.Properties?.Bucket, where),
        document: resolver.resolve<PolicyDocument>(resource.Properties?.PolicyDocument, where),
      });
    }
    for (const [logicalId, resource] of ofType(template, 'AWS::CloudFront::Distribution')) {
      const config = resource.Properties?.DistributionConfig as
        | { Origins?: { OriginCustomHeaders?: { HeaderName: string; HeaderValue: TemplateNode }[] }[] }
        | undefined;
      for (const header of (config?.Origins ?? []).flatMap((origin) => origin.OriginCustomHeaders ?? [])) {
        originHeaders[header.HeaderName] = resolver.resolve<string>(
          header.HeaderValue,
          `${stack.name} ${logicalId} origin header ${header.HeaderName}`,
        );
      }
    }
  }
  return {
    directory,
    functions,
    rules,
    schedules,
    malwareProtectionPlans,
    bucketPolicies,
    staticFiles,
    stateMachines,
    routes,
    secrets,
    alarms,
    originHeaders,
  };
}

/** The logical id of what a version or alias belongs to (a function, a state machine); the id itself otherwise. */
function ownerId(template: Template, id: string): string {
  const resource = template.Resources[id];
  const properties = resource?.Properties ?? {};
  switch (resource?.Type) {
    case 'AWS::Lambda::Version':
    case 'AWS::Lambda::Alias':
      return ownerId(template, referencedId(properties.FunctionName) ?? id);
    case 'AWS::StepFunctions::StateMachineVersion':
      return ownerId(template, referencedId(properties.StateMachineArn) ?? id);
    case 'AWS::StepFunctions::StateMachineAlias': {
      const routes = [
        ...((properties.RoutingConfiguration as { StateMachineVersionArn?: TemplateNode }[] | undefined) ??
          []),
        (properties.DeploymentPreference as { StateMachineVersionArn?: TemplateNode } | undefined) ?? {},
      ];
      const version = routes.map((route) => referencedId(route.StateMachineVersionArn)).find(Boolean);
      return version ? ownerId(template, version) : id;
    }
    default:
      return id;
  }
}

/** The names of the aliases of the function or state machine `logicalId`. */
function aliasesOf(template: Template, logicalId: string, aliasType: string): string[] {
  return ofType(template, aliasType)
    .filter(([aliasId]) => ownerId(template, aliasId) === logicalId)
    .map(([, alias]) => String(alias.Properties?.Name))
    .sort();
}

/**
 * The fragment with each intrinsic function in it resolved, and nothing else touched. An event pattern's
 * one-field objects (`{"name": [...]}`) are not functions, but the resolver takes them as such.
 */
function resolveIntrinsics(node: TemplateNode, resolver: StackResolver, where: string): TemplateNode {
  if (Array.isArray(node)) return node.map((item) => resolveIntrinsics(item, resolver, where));
  if (typeof node !== 'object' || node === null) return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::'))) {
    return resolver.resolve(node, where);
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, resolveIntrinsics(value, resolver, where)]),
  );
}

/** The logical ids of the functions (not their versions or aliases) that an EventBridge rule targets. */
function ruleTargets(template: Template, rule: TemplateResource): string[] {
  const functionIds = new Set(ofType(template, 'AWS::Lambda::Function').map(([id]) => id));
  const targets = (rule.Properties?.Targets as { Arn?: TemplateNode }[] | undefined) ?? [];
  return targets
    .map((target) => referencedId(target.Arn ?? null))
    .map((id) => id && ownerId(template, id))
    .filter((id): id is string => id !== undefined && functionIds.has(id));
}

/** The logical id of the function (not its version or alias) a schedule targets, if a function. */
function scheduleTarget(template: Template, schedule: TemplateResource): string | undefined {
  const target = schedule.Properties?.Target as { Arn?: TemplateNode } | undefined;
  const id = referencedId(target?.Arn ?? null);
  const owner = id && ownerId(template, id);
  return owner && template.Resources[owner]?.Type === 'AWS::Lambda::Function' ? owner : undefined;
}

/**
 * The functions an HTTP API route integrates, a state machine names (by alias or not), a user pool
 * triggers, an EventBridge rule or a schedule targets.
 */
function invokedFunctions(template: Template): string[] {
  const functionIds = new Set(ofType(template, 'AWS::Lambda::Function').map(([id]) => id));
  const named = new Set<string>();
  const collect = (node: TemplateNode) => {
    const reference = referencedId(node);
    const id = reference && ownerId(template, reference);
    if (id && functionIds.has(id)) named.add(id);
    if (typeof node === 'object' && node !== null) for (const value of Object.values(node)) collect(value);
  };
  for (const [, integration] of ofType(template, 'AWS::ApiGatewayV2::Integration')) {
    collect(integration.Properties?.IntegrationUri);
  }
  for (const [, machine] of ofType(template, 'AWS::StepFunctions::StateMachine')) {
    collect(machine.Properties?.DefinitionSubstitutions);
    collect(machine.Properties?.DefinitionString);
  }
  for (const [, pool] of ofType(template, 'AWS::Cognito::UserPool')) collect(pool.Properties?.LambdaConfig);
  for (const [, rule] of ofType(template, 'AWS::Events::Rule')) {
    for (const id of ruleTargets(template, rule)) named.add(id);
  }
  for (const [, schedule] of ofType(template, 'AWS::Scheduler::Schedule')) {
    const id = scheduleTarget(template, schedule);
    if (id) named.add(id);
  }
  return [...named].sort();
}

function assetPath(
  stack: StackArtifact,
  location: TemplateNode,
  resolver: StackResolver,
  where: string,
): string {
  const { S3Key, Key } = resolver.resolve<{ S3Key?: string; Key?: string }>(location, where);
  const path = stack.assetPaths.get(S3Key ?? Key ?? '');
  if (!path) throw new CloudAssemblyError(`${where}: the assembly has no asset ${S3Key ?? Key}`);
  return path;
}

function readRole(
  stack: StackArtifact,
  resolver: StackResolver,
  roleNode: TemplateNode,
  where: string,
): RoleIdentity {
  const roleId = referencedId(roleNode);
  const role = roleId ? stack.template.Resources[roleId] : undefined;
  if (!roleId || role?.Type !== 'AWS::IAM::Role') {
    throw new CloudAssemblyError(`${where}: its role is not an AWS::IAM::Role of ${stack.name}`);
  }
  const policies: NamedPolicy[] = [];
  for (const inline of (role.Properties?.Policies as { PolicyName: string; PolicyDocument: unknown }[]) ??
    []) {
    policies.push({
      name: inline.PolicyName,
      document: resolver.resolve<PolicyDocument>(
        inline.PolicyDocument,
        `${roleId} policy ${inline.PolicyName}`,
      ),
    });
  }
  for (const [policyId, policy] of ofType(stack.template, 'AWS::IAM::Policy')) {
    const roles = (policy.Properties?.Roles as TemplateNode[] | undefined) ?? [];
    if (!roles.some((attached) => referencedId(attached) === roleId)) continue;
    policies.push({
      name: policyId,
      document: resolver.resolve<PolicyDocument>(policy.Properties?.PolicyDocument, policyId),
    });
  }
  for (const managed of (role.Properties?.ManagedPolicyArns as TemplateNode[] | undefined) ?? []) {
    const policyId = referencedId(managed);
    const policy = policyId ? stack.template.Resources[policyId] : undefined;
    if (policy?.Type !== 'AWS::IAM::ManagedPolicy' || !policyId) {
      throw new CloudAssemblyError(
        `${where}: its role has the managed policy ${JSON.stringify(managed)}, whose document the assembly does not hold`,
      );
    }
    policies.push({
      name: policyId,
      document: resolver.resolve<PolicyDocument>(policy.Properties?.PolicyDocument, policyId),
    });
  }
  return {
    roleArn: resolver.resolve<string>({ 'Fn::GetAtt': [roleId, 'Arn'] }, roleId),
    roleName: resolver.resolve<string>({ Ref: roleId }, roleId),
    policies,
  };
}

function readFunction(stack: StackArtifact, resolver: StackResolver, logicalId: string): DeployedFunction {
  const resource = stack.template.Resources[logicalId] as TemplateResource;
  const properties = resource.Properties ?? {};
  const where = `${stack.name} ${logicalId}`;
  if (typeof properties.Handler !== 'string' || typeof properties.Runtime !== 'string') {
    throw new CloudAssemblyError(`${where}: only functions deployed as a zip bundle can run locally`);
  }
  const environment = resolver.resolve<Record<string, unknown>>(
    (properties.Environment as { Variables?: TemplateNode } | undefined)?.Variables ?? {},
    `${where} environment`,
  );
  return {
    logicalId,
    name: resolver.resolve<string>({ Ref: logicalId }, where),
    arn: resolver.resolve<string>({ 'Fn::GetAtt': [logicalId, 'Arn'] }, where),
    codeDirectory: assetPath(stack, properties.Code, resolver, `${where} code`),
    handler: properties.Handler,
    runtime: properties.Runtime,
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memorySize: Number(properties.MemorySize ?? 128),
    environment: Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [name, String(value)]),
    ),
    role: readRole(stack, resolver, properties.Role, where),
    aliases: aliasesOf(stack.template, logicalId, 'AWS::Lambda::Alias'),
  };
}

function readStateMachine(
  stack: StackArtifact,
  resolver: StackResolver,
  logicalId: string,
  resource: TemplateResource,
): DeployedStateMachine {
  const properties = resource.Properties ?? {};
  const where = `${stack.name} ${logicalId}`;
  const text =
    properties.DefinitionString !== undefined
      ? resolver.resolve<string>(properties.DefinitionString, `${where} definition`)
      : readFileSync(
          assetPath(stack, properties.DefinitionS3Location, resolver, `${where} definition`),
          'utf8',
        );
  const substitutions = resolver.resolve<Record<string, string>>(
    properties.DefinitionSubstitutions ?? {},
    `${where} substitutions`,
  );
  return {
    logicalId,
    name: resolver.resolve<string>({ 'Fn::GetAtt': [logicalId, 'Name'] }, where),
    arn: resolver.resolve<string>({ Ref: logicalId }, where),
    definition: substituteDefinition(text, substitutions, where),
    role: readRole(stack, resolver, properties.RoleArn, where),
    aliases: aliasesOf(stack.template, logicalId, 'AWS::StepFunctions::StateMachineAlias'),
  };
}

function readSchedule(
  stack: StackArtifact,
  resolver: StackResolver,
  logicalId: string,
  resource: TemplateResource,
): DeployedSchedule {
  const properties = resource.Properties ?? {};
  const where = `${stack.name} ${logicalId}`;
  const target = (properties.Target ?? {}) as {
    Arn?: TemplateNode;
    RoleArn?: TemplateNode;
    Input?: TemplateNode;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  };
  const functionId = scheduleTarget(stack.template, resource);
  if (!functionId) {
    throw new CloudAssemblyError(
      `${where}: only a schedule whose target is a function of ${stack.name} runs locally`,
    );
  }
  const name = (properties.Name as string | undefined) ?? logicalId;
  const timeZone = properties.ScheduleExpressionTimezone as string | undefined;
  const input =
    target.Input === undefined ? undefined : resolver.resolve<string>(target.Input, `${where} input`);
  return {
    logicalId,
    name,
    arn: `arn:aws:scheduler:${resolver.resolve<string>({ Ref: 'AWS::Region' }, where)}:${resolver.resolve<string>({ Ref: 'AWS::AccountId' }, where)}:schedule/${(properties.GroupName as string | undefined) ?? 'default'}/${name}`,
    expression: resolver.resolve<string>(properties.ScheduleExpression, `${where} expression`),
    ...(timeZone !== undefined && { timeZone }),
    enabled: (properties.State ?? 'ENABLED') === 'ENABLED',
    targetArn: resolver.resolve<string>(target.Arn, `${where} target`),
    functionName: resolver.resolve<string>({ Ref: functionId }, `${where} target`),
    ...(input !== undefined && { input }),
    maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? SCHEDULER_DEFAULTS.maximumRetryAttempts,
    maximumEventAgeSeconds:
      target.RetryPolicy?.MaximumEventAgeInSeconds ?? SCHEDULER_DEFAULTS.maximumEventAgeSeconds,
    role: readRole(stack, resolver, target.RoleArn ?? null, where),
  };
}

function readRoutes(template: Template, resolver: StackResolver, stackName: string): DeployedRoute[] {
  return ofType(template, 'AWS::ApiGatewayV2::Route').map(([routeId, route]) => {
    const target = resolver.resolve<string>(route.Properties?.Target, `${stackName} ${routeId}`);
    const integrationId = target.replace(/^integrations\//, '');
    const integration = template.Resources[integrationId];
    const functionId = referencedId(integration?.Properties?.IntegrationUri);
    if (integration?.Type !== 'AWS::ApiGatewayV2::Integration' || !functionId) {
      throw new CloudAssemblyError(`${stackName} ${routeId}: its target ${target} is no Lambda integration`);
    }
    return {
      routeKey: route.Properties?.RouteKey as string,
      functionName: resolver.resolve<string>({ Ref: functionId }, routeId),
      authorizationType: (route.Properties?.AuthorizationType as string | undefined) ?? 'NONE',
    };
  });
}

function dimensionsOf(node: TemplateNode, resolver: StackResolver, where: string): Record<string, string> {
  const list = (node as { Name: TemplateNode; Value: TemplateNode }[] | undefined) ?? [];
  return Object.fromEntries(
    list.map((dimension) => {
      let value: string;
      try {
        value = String(resolver.resolve(dimension.Value, where));
      } catch {
        // A dimension naming a resource with no local counterpart (an HTTP API stage, a distribution).
        value = JSON.stringify(dimension.Value);
      }
      return [String(dimension.Name), value];
    }),
  );
}

function readAlarm(
  stackName: string,
  logicalId: string,
  resource: TemplateResource,
  resolver: StackResolver,
): DeployedAlarm {
  const properties = resource.Properties ?? {};
  const where = `${stackName} ${logicalId}`;
  const metrics = ((properties.Metrics as Record<string, unknown>[] | undefined) ?? []).flatMap((query) => {
    const stat = query.MetricStat as { Metric?: Record<string, TemplateNode> } | undefined;
    const metric = stat?.Metric;
    if (!metric) return [];
    return [
      {
        namespace: String(metric.Namespace),
        metricName: String(metric.MetricName),
        dimensions: dimensionsOf(metric.Dimensions, resolver, where),
      },
    ];
  });
  return {
    logicalId,
    stackName,
    ...(typeof properties.Namespace === 'string' && { namespace: properties.Namespace }),
    ...(typeof properties.MetricName === 'string' && { metricName: properties.MetricName }),
    dimensions: dimensionsOf(properties.Dimensions, resolver, where),
    metrics,
  };
}
