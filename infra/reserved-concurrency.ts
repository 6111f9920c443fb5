// Concurrent instances reserved for each function, so a flood on one route (or a burst of workflow
// steps) cannot take the instances every other function needs, and caps what one function can cost.
// Lambda keeps 100 of an account's concurrency unreserved, so the defaults (247 in all) suit an
// account with the standard 1,000 and leave room for another area beside this one. An account with a
// lower limit (new accounts start lower) fails to deploy with Lambda's own error: deploy with
// `-c reservedConcurrency=off`, or one smaller number for every function, until the limit is raised.
import type { FunctionSpec } from '#infra/functions.ts';

/** Lambda's unreserved minimum and an account's standard limit. */
export const UNRESERVED_MINIMUM = 100;
export const STANDARD_ACCOUNT_LIMIT = 1000;

const DEFAULTS: Readonly<Record<string, number>> = {
  // The public's door takes the floods (the WAF limits each client); staff are a few hundred at most.
  ResidentPages: 30,
  StaffPages: 20,
  Applications: 20,
  Cases: 20,
  CaseActions: 20,
  CaseLinks: 10,
  Statistics: 20,
  Health: 5,
  StaffTokenClaims: 20,
  // One run at a time is enough, and two at once would only race each other to the same cases.
  Reconciler: 1,
  // A daily run deleting the files of cases whose retention ended: one at a time.
  EvidenceRetention: 1,
};
/** Each workflow step: executions are many but short, and Step Functions retries a throttled step. */
const WORKFLOW_DEFAULT = 8;

export class ReservedConcurrencyError extends Error {
  constructor(total: number) {
    super(
      `Reserving ${total} concurrent instances would leave fewer than ${UNRESERVED_MINIMUM} of a standard ` +
        `account's ${STANDARD_ACCOUNT_LIMIT} unreserved: pass a smaller -c reservedConcurrency, or off`,
    );
    this.name = 'ReservedConcurrencyError';
  }
}

export function reservedConcurrencyOf(
  spec: FunctionSpec,
  setting: 'default' | 'off' | number,
): number | undefined {
  if (setting === 'off') return undefined;
  if (typeof setting === 'number') return setting;
  return DEFAULTS[spec.id] ?? (spec.workflow ? WORKFLOW_DEFAULT : 10);
}

/** Fails at synth when the functions would reserve more than a standard account can give. */
export function checkReservedTotal(reservations: readonly (number | undefined)[]): number {
  const total = reservations.reduce<number>((sum, each) => sum + (each ?? 0), 0);
  if (total > STANDARD_ACCOUNT_LIMIT - UNRESERVED_MINIMUM) throw new ReservedConcurrencyError(total);
  return total;
}
