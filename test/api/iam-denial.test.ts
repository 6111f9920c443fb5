// IAM is enforced in the deployed mode: in a copy of the synthesised assembly, one grant is taken out of
// one function's role (the Applications function may no longer put items in the cases table), and the
// journey's first step fails at exactly that call, refused with DynamoDB's AccessDeniedException, while
// everything that grant does not cover still works.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { cloudAssembly } from '#test/support/cloud-assembly.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';

interface Statement {
  Action: string | string[];
}
interface Resource {
  Type: string;
  Properties: { Roles?: { Ref: string }[]; PolicyDocument?: { Statement: Statement[] } };
}

const REMOVED = 'dynamodb:PutItem';

/** A copy of the assembly (templates copied, bundles linked) whose Applications role lacks `action`. */
function withoutGrant(assembly: string, action: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'asb-assembly-'));
  for (const entry of readdirSync(assembly)) {
    if (entry.endsWith('-Stateless.template.json')) {
      const template = JSON.parse(readFileSync(join(assembly, entry), 'utf8')) as {
        Resources: Record<string, Resource>;
      };
      const policies = Object.entries(template.Resources).filter(
        ([id, resource]) =>
          resource.Type === 'AWS::IAM::Policy' && id.startsWith('FunctionsApplicationsRole'),
      );
      for (const [, policy] of policies) {
        for (const statement of policy.Properties.PolicyDocument?.Statement ?? []) {
          statement.Action = [statement.Action].flat().filter((granted) => granted !== action);
        }
      }
      writeFileSync(join(copy, entry), JSON.stringify(template));
    } else {
      symlinkSync(join(assembly, entry), join(copy, entry));
    }
  }
  return copy;
}

let service: LocalService;
let api: ApiClient;
let copy: string;

beforeAll(async () => {
  copy = withoutGrant(await cloudAssembly(), REMOVED);
  mkdirSync(copy, { recursive: true });
  service = await startLocalService({ mode: 'deployed', cloudAssembly: copy });
  api = new ApiClient(service);
}, 300_000);

afterAll(async () => {
  await service?.stop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('the deployed mode without one grant', { timeout: 120_000 }, () => {
  it('refuses the call that needs it with AccessDenied, and the journey stops there', async () => {
    // Act
    const submitted = await api.post('/api/applications', applicationBody({ csp: 'sefton' }));
    const report = (await (await fetch(`${service.url}/local/aws-calls`)).json()) as {
      functions: { caller: string; granted: string[]; calls: string[] }[];
    };

    // Assess
    expect(submitted.status).toBe(500);
    const applications = report.functions.find((fn) => fn.caller.startsWith('FunctionsApplications'));
    expect(applications?.granted).not.toContain(REMOVED);
    expect(applications?.calls).toContainEqual(
      expect.stringMatching(
        /^dynamodb:PutItem arn:aws:dynamodb:eu-west-2:000000000000:table\/[\w.-]*asb-cases \(denied\)$/,
      ),
    );
    expect(service.output()).toContain('AccessDeniedException');
  });

  it('still serves what the removed grant does not cover', async () => {
    expect((await api.get('/api/statistics')).status).toBe(200);
    expect((await fetch(`${service.url}/`)).status).toBe(200);
  });
});
