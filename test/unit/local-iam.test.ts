// The deployed mode's IAM: each call a function makes is decided against its role's policies (and a
// bucket's policy) and recorded, the same call again as much as the first, whatever was decided before.
import { describe, expect, it } from 'vitest';
import type { PolicyDocument, RoleIdentity } from '#local/deployed/cloud-assembly.ts';
import { LocalIam } from '#local/deployed/iam.ts';

const ACCOUNT = '000000000000';
const CASES = `arn:aws:dynamodb:eu-west-2:${ACCOUNT}:table/cases`;
const AUDIT = `arn:aws:dynamodb:eu-west-2:${ACCOUNT}:table/audit`;

const role: RoleIdentity = {
  roleArn: `arn:aws:iam::${ACCOUNT}:role/reader`,
  roleName: 'reader',
  policies: [
    {
      name: 'ReadCases',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 's3:GetObject'],
            Resource: [CASES, 'arn:aws:s3:::*'],
          },
        ],
      },
    },
  ],
};

const quarantine: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::evidence/*',
      Condition: { StringEquals: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'THREATS_FOUND' } },
    },
  ],
};

describe('LocalIam', () => {
  it('decides and records every call, a repeated one as the first', async () => {
    const iam = new LocalIam(ACCOUNT);
    const caller = iam.addCaller('ReadFunction', role);
    const results = [];
    for (const resource of [CASES, AUDIT, CASES, AUDIT]) {
      results.push(await iam.authorise(caller, [{ action: 'dynamodb:GetItem', resource }]));
    }
    expect(results.map((denial) => denial?.message)).toEqual([
      undefined,
      `User: ${caller.principalArn} is not authorized to perform: dynamodb:GetItem on resource: ${AUDIT} because no identity-based policy allows the dynamodb:GetItem action`,
      undefined,
      `User: ${caller.principalArn} is not authorized to perform: dynamodb:GetItem on resource: ${AUDIT} because no identity-based policy allows the dynamodb:GetItem action`,
    ]);
    expect(iam.calls().map((call) => [call.resource, call.allowed])).toEqual([
      [CASES, true],
      [AUDIT, false],
      [CASES, true],
      [AUDIT, false],
    ]);
  });

  it("decides a call by its condition keys and the resource's policy, not by an earlier call's", async () => {
    const iam = new LocalIam(ACCOUNT);
    const caller = iam.addCaller('ReadFunction', role);
    const read = (status: string, policy?: PolicyDocument) =>
      iam.authorise(
        caller,
        [
          {
            action: 's3:GetObject',
            resource: 'arn:aws:s3:::evidence/case/file',
            context: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': status },
          },
        ],
        policy,
      );
    expect(await read('THREATS_FOUND')).toBeUndefined();
    expect((await read('THREATS_FOUND', quarantine))?.message).toContain(
      'with an explicit deny in a resource-based policy',
    );
    expect(await read('NO_THREATS_FOUND', quarantine)).toBeUndefined();
    expect((await read('THREATS_FOUND', quarantine))?.message).toContain('explicit deny');
    expect(iam.calls().map((call) => [call.allowed, call.refusedByResourcePolicy ?? false])).toEqual([
      [true, false],
      [false, true],
      [true, false],
      [false, true],
    ]);
    const person = { action: 's3:GetObject', resource: 'arn:aws:s3:::evidence/case/file' };
    expect(
      await iam.deniedByResourcePolicy(
        { ...person, context: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'NO_THREATS_FOUND' } },
        quarantine,
      ),
    ).toBeUndefined();
    expect(
      await iam.deniedByResourcePolicy(
        { ...person, context: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'THREATS_FOUND' } },
        quarantine,
      ),
    ).toContain('explicit deny');
  });

  it('decides each caller by its own role', async () => {
    const iam = new LocalIam(ACCOUNT);
    const reader = iam.addCaller('ReadFunction', role);
    const other = iam.addCaller('OtherFunction', { ...role, roleName: 'other', policies: [] });
    const request = { action: 'dynamodb:GetItem', resource: CASES };
    expect(await iam.authorise(reader, [request])).toBeUndefined();
    expect((await iam.authorise(other, [request]))?.message).toContain(other.principalArn);
    expect(iam.report().map(({ caller, calls }) => [caller, calls])).toEqual([
      ['ReadFunction', [`dynamodb:GetItem ${CASES}`]],
      ['OtherFunction', [`dynamodb:GetItem ${CASES} (denied)`]],
    ]);
  });
});
