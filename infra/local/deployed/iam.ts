// IAM on one machine: each deployed function (and the state machine) calls AWS with credentials of
// its own, and the local endpoints evaluate that caller's role policies from the template on every
// call with @cloud-copilot/iam-simulate, answering AccessDenied as AWS would. A call signed with any
// other access key (a person with the AWS CLI) is not a deployed function's and is let through, as
// `npm start` lets every call through.
import { randomBytes } from 'node:crypto';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { NamedPolicy, PolicyDocument, RoleIdentity } from '#local/deployed/cloud-assembly.ts';

export interface Caller {
  /** The function's name (or the state machine's), as the report of calls names it. */
  readonly name: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The assumed-role session AWS would name in a denial. */
  readonly principalArn: string;
  readonly identity: RoleIdentity;
}

/** One thing a call needs allowed: an action on a resource, with the request's condition keys. */
export interface AuthorisationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

export interface Denial {
  readonly caller: Caller;
  readonly request: AuthorisationRequest;
  /** AWS's wording: "User: <session> is not authorized to perform: <action> on resource: <arn> …". */
  readonly message: string;
}

/** A call a function made, as recorded for the report of what each function does. */
export interface RecordedCall {
  readonly caller: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: AuthorisationRequest['context'];
  readonly allowed: boolean;
  /** Refused by the resource's own policy (a bucket's quarantine), which the role would have allowed. */
  readonly refusedByResourcePolicy?: boolean;
}

// Step Functions authorises a callback token's answer against the state machine the token belongs to
// (AWS's denials name it), although the Service Authorization Reference lists no resource type for
// these actions; the validating simulation refuses anything but "*" for them.
const STATE_MACHINE_SCOPED_WITHOUT_RESOURCE_TYPE = new Set([
  'states:SendTaskSuccess',
  'states:SendTaskFailure',
  'states:SendTaskHeartbeat',
]);

export interface CallerReport {
  readonly caller: string;
  readonly role: string;
  readonly granted: readonly string[];
  readonly calls: readonly string[];
}

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
}

const statementsOf = (document: RoleIdentity['policies'][number]['document']): Statement[] =>
  [document.Statement].flat() as Statement[];

export class IamSimulationError extends Error {
  override name = 'IamSimulationError';
}

export class LocalIam {
  readonly #callers = new Map<string, Caller>();
  readonly #accountId: string;
  readonly #calls: RecordedCall[] = [];
  // The simulation's decisions, per set of identity policies (a caller's, or the administrator's) and then
  // per principal, request and resource policy. The policies are the template's and never change while
  // the local cloud runs, and the simulation depends on nothing but its input, so the same input is
  // decided once (most of the deployed mode's own CPU went on simulating the same few calls again).
  readonly #decisions = new WeakMap<readonly NamedPolicy[], Map<string, string>>();

  constructor(accountId: string) {
    this.#accountId = accountId;
  }

  /** New credentials for a function's (or the state machine's) role. */
  addCaller(name: string, identity: RoleIdentity): Caller {
    const caller: Caller = {
      name,
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      principalArn: `arn:aws:sts::${this.#accountId}:assumed-role/${identity.roleName}/${name}`,
      identity,
    };
    this.#callers.set(caller.accessKeyId, caller);
    return caller;
  }

  /** The caller signing with this access key, or undefined for anyone else. */
  callerOf(accessKeyId: string | undefined): Caller | undefined {
    return accessKeyId === undefined ? undefined : this.#callers.get(accessKeyId);
  }

  /**
   * The first of `requests` the caller's policies do not allow (with the resource's own policy, if it has
   * one, as a bucket policy), or undefined when all are allowed.
   */
  async authorise(
    caller: Caller,
    requests: readonly AuthorisationRequest[],
    resourcePolicy?: PolicyDocument,
  ): Promise<Denial | undefined> {
    for (const request of requests) {
      const result = await this.#evaluate(
        caller.principalArn,
        caller.identity.policies,
        request,
        resourcePolicy,
      );
      const allowed = result === 'Allowed';
      // A role's missing grant is a defect; a resource policy refusing what the role allows is its rule.
      const byResourcePolicy =
        !allowed &&
        resourcePolicy !== undefined &&
        (await this.#evaluate(caller.principalArn, caller.identity.policies, request, undefined)) ===
          'Allowed';
      this.#calls.push({
        caller: caller.name,
        action: request.action,
        resource: request.resource,
        ...(request.context && { context: request.context }),
        allowed,
        ...(byResourcePolicy && { refusedByResourcePolicy: true }),
      });
      if (!allowed) {
        return {
          caller,
          request,
          message: denialMessage(caller.principalArn, request, result, byResourcePolicy),
        };
      }
    }
    return undefined;
  }

  /**
   * Why the resource's policy refuses a request made by someone who is not a deployed function (a person
   * with the account's keys, allowed everything by their own policies), or undefined: an explicit deny
   * in a bucket policy binds everyone, as in AWS.
   */
  async deniedByResourcePolicy(
    request: AuthorisationRequest,
    resourcePolicy: PolicyDocument,
  ): Promise<string | undefined> {
    const principal = `arn:aws:iam::${this.#accountId}:user/local`;
    const result = await this.#evaluate(principal, ADMINISTRATOR, request, resourcePolicy);
    return result === 'Allowed' ? undefined : denialMessage(principal, request, result, true);
  }

  /** Every call authorised so far, in order. */
  calls(): readonly RecordedCall[] {
    return this.#calls;
  }

  /** Per caller: the actions its role allows, and the calls it made (each action on each resource once). */
  report(): CallerReport[] {
    return [...this.#callers.values()].map((caller) => ({
      caller: caller.name,
      role: caller.identity.roleName,
      granted: [
        ...new Set(
          caller.identity.policies.flatMap((policy) =>
            statementsOf(policy.document)
              .filter((statement) => statement.Effect === 'Allow')
              .flatMap((statement) => [statement.Action ?? []].flat()),
          ),
        ),
      ].sort(),
      calls: [
        ...new Set(
          this.#calls
            .filter((call) => call.caller === caller.name)
            .map((call) => `${call.action} ${call.resource}${contextOf(call)}${outcomeOf(call)}`),
        ),
      ].sort(),
    }));
  }

  async #evaluate(
    principal: string,
    policies: readonly NamedPolicy[],
    request: AuthorisationRequest,
    resourcePolicy: PolicyDocument | undefined,
  ): Promise<string> {
    let decisions = this.#decisions.get(policies);
    if (!decisions) {
      decisions = new Map();
      this.#decisions.set(policies, decisions);
    }
    const key = JSON.stringify([
      principal,
      request.action,
      request.resource,
      request.context ?? {},
      resourcePolicy ?? null,
    ]);
    const decided = decisions.get(key);
    if (decided !== undefined) return decided;
    const result = await this.#simulate(principal, policies, request, resourcePolicy);
    decisions.set(key, result);
    return result;
  }

  async #simulate(
    principal: string,
    policies: readonly NamedPolicy[],
    request: AuthorisationRequest,
    resourcePolicy: PolicyDocument | undefined,
  ): Promise<string> {
    const simulation = {
      identityPolicies: policies.map((policy) => ({ name: policy.name, policy: policy.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy && { resourcePolicy }),
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId: this.#accountId },
        contextVariables: { ...request.context },
      },
    };
    if (STATE_MACHINE_SCOPED_WITHOUT_RESOURCE_TYPE.has(request.action)) {
      return runUnsafeSimulation(simulation, {});
    }
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') {
      throw new IamSimulationError(
        `Cannot evaluate ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`,
      );
    }
    return result.overallResult;
  }
}

/** What a person with the account's administrator keys may do. */
const ADMINISTRATOR: readonly NamedPolicy[] = [
  {
    name: 'AdministratorAccess',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
];

/** AWS's wording of a denial: by no allowing identity policy, or by a resource policy's explicit deny. */
function denialMessage(
  principal: string,
  request: AuthorisationRequest,
  result: string,
  byResourcePolicy: boolean,
): string {
  const why =
    result !== 'ExplicitlyDenied'
      ? `because no identity-based policy allows the ${request.action} action`
      : `with an explicit deny in ${byResourcePolicy ? 'a resource-based' : 'an identity-based'} policy`;
  return `User: ${principal} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`;
}

/** Nothing for a call allowed; else who refused it. */
function outcomeOf(call: RecordedCall): string {
  if (call.allowed) return '';
  return call.refusedByResourcePolicy ? ' (refused by the resource policy)' : ' (denied)';
}

/** The condition keys a call was authorised with, as ` (key=value, …)`; nothing when it had none. */
function contextOf(call: RecordedCall): string {
  const entries = Object.entries(call.context ?? {});
  return entries.length === 0
    ? ''
    : ` (${entries.map(([key, value]) => `${key}=${[value].flat().join('|')}`).join(', ')})`;
}

/** The access key id of a SigV4-signed request (`Credential=<key>/<date>/<region>/<service>/aws4_request`). */
export function accessKeyOf(authorization: string | string[] | undefined): string | undefined {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  return header ? /Credential=([^/,\s]+)\//.exec(header)?.[1] : undefined;
}
