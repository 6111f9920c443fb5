// CloudFormation's intrinsic functions, resolved to the resources of the local cloud. Each resource the
// app references gets the name and ARN its local counterpart has (a table its DynamoDB Local name, a
// function its worker's name, a secret the local Secrets Manager's ARN); `cfn-resolver-lib` then
// evaluates Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split and Fn::ImportValue with those
// values. That library leaves whatever it cannot resolve in place (a missing export would become its
// own name as a table name), so every reference is checked first: one that names nothing the
// assembly defines fails here, as it would fail CloudFormation's deployment.
import { createHash } from 'node:crypto';
import NodeEvaluator from 'cfn-resolver-lib';
import { tables } from '#data/table-specs.ts';

export type TemplateNode = unknown;

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, TemplateNode>;
  readonly Metadata?: Record<string, TemplateNode>;
}

export interface Template {
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: TemplateNode; Export?: { Name: TemplateNode } }>;
}

/** Where the local counterparts live, for the attributes that are addresses. */
export interface LocalAddresses {
  readonly region: string;
  readonly accountId: string;
  /** The local HTTP gateway, standing in for the HTTP API's endpoint. */
  readonly apiUrl: string;
  /** The local token issuer's audience, standing in for the user pool client's id. */
  readonly staffTokenAudience: string;
  /** Put before every table's name (TABLE_PREFIX), as `npm start` does. */
  readonly tablePrefix?: string;
}

export class UnresolvedReferenceError extends Error {
  override name = 'UnresolvedReferenceError';
}

const SUPPORTED = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Sub',
  'Fn::Select',
  'Fn::Split',
  'Fn::ImportValue',
]);

/** A stable stand-in for the random part AWS puts in some names and ids. */
function suffixOf(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function stringProperty(resource: TemplateResource, name: string): string | undefined {
  const value = resource.Properties?.[name];
  return typeof value === 'string' ? value : undefined;
}

function constructPath(resource: TemplateResource): string {
  const path = resource.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? path : '';
}

/** The table's name in DynamoDB Local: the one `npm start` uses for the same table of data/table-specs.ts. */
function localTableName(logicalId: string, resource: TemplateResource, prefix: string): string {
  const named = stringProperty(resource, 'TableName');
  if (named) return named;
  const spec = tables.find((candidate) => constructPath(resource).endsWith(`/${candidate.id}/Resource`));
  return `${prefix}${spec?.localName ?? logicalId}`;
}

interface ResourceValues {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** The Ref and attributes of a resource's local counterpart. */
export function localValuesOf(
  logicalId: string,
  resource: TemplateResource,
  stackName: string,
  local: LocalAddresses,
): ResourceValues {
  const { region, accountId } = local;
  const arn = (service: string, resourcePart: string, inRegion = true) =>
    `arn:aws:${service}:${inRegion ? region : ''}:${accountId}:${resourcePart}`;
  switch (resource.Type) {
    case 'AWS::Lambda::Function': {
      const name = stringProperty(resource, 'FunctionName') ?? logicalId;
      return { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    }
    case 'AWS::IAM::Role': {
      const name = stringProperty(resource, 'RoleName') ?? logicalId;
      return { ref: name, attributes: { Arn: `arn:aws:iam::${accountId}:role/${name}`, RoleId: name } };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const name = stringProperty(resource, 'ManagedPolicyName') ?? logicalId;
      const policyArn = `arn:aws:iam::${accountId}:policy/${name}`;
      return { ref: policyArn, attributes: { PolicyArn: policyArn } };
    }
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::DynamoDB::Table': {
      const name = localTableName(logicalId, resource, local.tablePrefix ?? '');
      return { ref: name, attributes: { Arn: arn('dynamodb', `table/${name}`) } };
    }
    case 'AWS::StepFunctions::StateMachine': {
      const name = stringProperty(resource, 'StateMachineName') ?? logicalId;
      const machineArn = arn('states', `stateMachine:${name}`);
      return { ref: machineArn, attributes: { Arn: machineArn, Name: name } };
    }
    case 'AWS::SecretsManager::Secret': {
      const name = stringProperty(resource, 'Name') ?? logicalId;
      const secretArn = arn('secretsmanager', `secret:${name}-${suffixOf(stackName + logicalId, 6)}`);
      return { ref: secretArn, attributes: { Id: secretArn } };
    }
    case 'AWS::KMS::Key': {
      const hex = suffixOf(stackName + logicalId, 32);
      const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      return { ref: id, attributes: { Arn: arn('kms', `key/${id}`), KeyId: id } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = stringProperty(resource, 'LogGroupName') ?? `/local/${logicalId}`;
      return { ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    }
    case 'AWS::SNS::Topic': {
      const topicArn = arn('sns', stringProperty(resource, 'TopicName') ?? logicalId);
      return { ref: topicArn, attributes: { TopicArn: topicArn } };
    }
    case 'AWS::Cognito::UserPool': {
      const id = `${region}_local`;
      return {
        ref: id,
        attributes: {
          Arn: arn('cognito-idp', `userpool/${id}`),
          ProviderName: `cognito-idp.${region}.amazonaws.com/${id}`,
          ProviderURL: `https://cognito-idp.${region}.amazonaws.com/${id}`,
          UserPoolId: id,
        },
      };
    }
    case 'AWS::Cognito::UserPoolClient':
      return { ref: local.staffTokenAudience, attributes: { ClientId: local.staffTokenAudience } };
    case 'AWS::Cognito::UserPoolDomain':
      return { ref: stringProperty(resource, 'Domain') ?? logicalId, attributes: {} };
    case 'AWS::CloudFront::Distribution': {
      // The local gateway serves the pages and the API that CloudFront fronts in AWS.
      const domain = new URL(local.apiUrl).host;
      return { ref: 'local', attributes: { DomainName: domain, Id: 'local' } };
    }
    case 'AWS::ApiGatewayV2::Api':
      return { ref: 'local', attributes: { ApiId: 'local', ApiEndpoint: local.apiUrl } };
    default:
      return { ref: logicalId, attributes: {} };
  }
}

/**
 * Worked out from other values, in this order: a bucket's name may join the account's id; versions name
 * their function, aliases their version.
 */
const QUALIFIED_TYPES = [
  'AWS::S3::Bucket',
  'AWS::Lambda::Version',
  'AWS::Lambda::Alias',
  'AWS::StepFunctions::StateMachineVersion',
  'AWS::StepFunctions::StateMachineAlias',
] as const;

// Each version is number 1 here: the local cloud runs one release, the one in the assembly.
const LOCAL_VERSION = '1';

/** What Ref and Fn::GetAtt give for a version or an alias, from what it names (resolved by `resolve`). */
function qualifiedValuesOf(
  logicalId: string,
  resource: TemplateResource,
  stackName: string,
  local: LocalAddresses,
  resolve: (node: TemplateNode) => string,
): ResourceValues {
  const properties = resource.Properties ?? {};
  const functionArn = () =>
    `arn:aws:lambda:${local.region}:${local.accountId}:function:${functionNameOf(resolve(properties.FunctionName))}`;
  switch (resource.Type) {
    case 'AWS::S3::Bucket': {
      // Unnamed, CloudFormation names it from the stack and the logical id (in lower case, as S3 wants).
      const name =
        properties.BucketName === undefined
          ? `${stackName}-${logicalId}`.toLowerCase().slice(0, 63)
          : resolve(properties.BucketName);
      return {
        ref: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${local.region}.amazonaws.com`,
        },
      };
    }
    case 'AWS::Lambda::Version': {
      const versionArn = `${functionArn()}:${LOCAL_VERSION}`;
      return { ref: versionArn, attributes: { Version: LOCAL_VERSION, FunctionArn: versionArn } };
    }
    case 'AWS::Lambda::Alias': {
      const aliasArn = `${functionArn()}:${String(properties.Name)}`;
      return { ref: aliasArn, attributes: { AliasArn: aliasArn } };
    }
    case 'AWS::StepFunctions::StateMachineVersion': {
      const versionArn = `${resolve(properties.StateMachineArn)}:${LOCAL_VERSION}`;
      return { ref: versionArn, attributes: { Arn: versionArn } };
    }
    default: {
      // A state machine alias: the state machine of the version it routes to, qualified with its name.
      const routes = [
        ...((properties.RoutingConfiguration as { StateMachineVersionArn: TemplateNode }[] | undefined) ??
          []),
        ...[properties.DeploymentPreference as { StateMachineVersionArn: TemplateNode } | undefined].filter(
          (preference) => preference !== undefined,
        ),
      ];
      const [route] = routes;
      if (!route) throw new UnresolvedReferenceError(`${resource.Type} routes to no version`);
      const machineArn = resolve(route.StateMachineVersionArn).split(':').slice(0, 7).join(':');
      const aliasArn = `${machineArn}:${String(properties.Name)}`;
      return { ref: aliasArn, attributes: { Arn: aliasArn } };
    }
  }
}

/** A function's name from its name or (partial or whole, maybe qualified) ARN, as Lambda takes either. */
function functionNameOf(functionNameOrArn: string): string {
  const parts = functionNameOrArn.split(':');
  const marker = parts.indexOf('function');
  return (marker >= 0 ? parts[marker + 1] : parts[0]) ?? functionNameOrArn;
}

const PSEUDO_PARAMETERS = (stackName: string, local: LocalAddresses) => ({
  'AWS::Region': local.region,
  'AWS::AccountId': local.accountId,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': stackName,
  'AWS::StackId': `arn:aws:cloudformation:${local.region}:${local.accountId}:stack/${stackName}/local`,
});

/** Resolves a stack's template fragments: every reference must name a resource, parameter or export. */
export class StackResolver {
  readonly stackName: string;
  readonly #pseudoParameters: Readonly<Record<string, string>>;
  readonly #refs: Record<string, string>;
  readonly #attributes: Record<string, Record<string, string>>;
  readonly #exports: Readonly<Record<string, string>>;

  constructor(
    stackName: string,
    template: Template,
    local: LocalAddresses,
    exports: Readonly<Record<string, string>>,
  ) {
    this.stackName = stackName;
    this.#exports = exports;
    this.#pseudoParameters = PSEUDO_PARAMETERS(stackName, local);
    this.#refs = { ...this.#pseudoParameters };
    this.#attributes = {};
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const values = localValuesOf(logicalId, resource, stackName, local);
      this.#refs[logicalId] = values.ref;
      this.#attributes[logicalId] = { ...values.attributes };
    }
    // A version's or an alias's ARN is its function's or state machine's with a qualifier: known once
    // those are, and an alias's once its version's is.
    for (const type of QUALIFIED_TYPES) {
      for (const [logicalId, resource] of Object.entries(template.Resources)) {
        if (resource.Type !== type) continue;
        const values = qualifiedValuesOf(logicalId, resource, stackName, local, (node) =>
          this.resolve<string>(node, logicalId),
        );
        this.#refs[logicalId] = values.ref;
        this.#attributes[logicalId] = { ...values.attributes };
      }
    }
  }

  /** The fragment with every intrinsic function evaluated; `where` names it in errors. */
  resolve<T = unknown>(fragment: TemplateNode, where: string): T {
    // The Ref values the library is given: the pseudo parameters (it reads the region and account
    // itself) and those of the names the fragment refers to, Fn::Sub's `${Resource.Attribute}` among
    // them by its whole name. It copies them on every call, and a stack holds hundreds of resources.
    const names = new Set<string>();
    this.#check(fragment, where, names);
    const refValues: Record<string, string> = { ...this.#pseudoParameters };
    for (const name of names) {
      const dot = name.indexOf('.');
      const value = dot < 0 ? this.#refs[name] : this.#attributes[name.slice(0, dot)]?.[name.slice(dot + 1)];
      if (value !== undefined) refValues[name] = value;
    }
    // The library reads a `Condition` key as a condition's name except under a resource's Properties,
    // so the fragment is evaluated as the one property of a stand-in resource.
    const evaluated = new NodeEvaluator(
      {
        Parameters: {},
        Conditions: {},
        Resources: { Fragment: { Type: 'Local::Fragment', Properties: { Value: fragment } } },
      },
      {
        RefResolvers: refValues,
        'Fn::GetAttResolvers': this.#attributes,
        'Fn::ImportValueResolvers': this.#exports,
      },
    ).evaluateNodes() as { Resources: { Fragment: { Properties: { Value: T } } } };
    return evaluated.Resources.Fragment.Properties.Value;
  }

  /** Refuses a reference that names nothing; adds the names the fragment's Refs and Subs use to `names`. */
  #check(node: TemplateNode, where: string, names: Set<string>): void {
    if (Array.isArray(node)) {
      for (const item of node) this.#check(item, where, names);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const entries = Object.entries(node);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
      if (!SUPPORTED.has(key))
        throw new UnresolvedReferenceError(`${where}: ${key} is not supported locally`);
      this.#checkFunction(key, argument, where, names);
    }
    for (const value of Object.values(node)) this.#check(value, where, names);
  }

  #checkFunction(key: string, argument: TemplateNode, where: string, names: Set<string>): void {
    const fail = (what: string) => {
      throw new UnresolvedReferenceError(`${where}: ${what} names nothing in ${this.stackName}`);
    };
    if (key === 'Ref') {
      if (typeof argument !== 'string' || !(argument in this.#refs)) fail(`Ref ${argument}`);
      names.add(argument as string);
    }
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = typeof argument === 'string' ? argument.split('.') : (argument as string[]);
      if (!id || !attribute || this.#attributes[id]?.[attribute] === undefined) {
        fail(`Fn::GetAtt ${id}.${attribute}`);
      }
    }
    if (key === 'Fn::ImportValue' && typeof argument === 'string' && !(argument in this.#exports)) {
      fail(`Fn::ImportValue ${argument} (no stack of the assembly exports it)`);
    }
    if (key === 'Fn::Sub') {
      const [text, variables = {}] =
        typeof argument === 'string' ? [argument, {}] : (argument as [string, object]);
      for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        if (name === undefined || name in variables) continue;
        const [id, attribute] = name.split('.');
        const known = attribute ? this.#attributes[id ?? '']?.[attribute] : this.#refs[name];
        if (known === undefined) fail(`Fn::Sub \${${name}}`);
        names.add(name);
      }
    }
  }
}
