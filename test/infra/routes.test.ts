import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functionSpecs } from '#infra/functions.ts';
import {
  InvalidRouteKeyError,
  isInfrastructureRoute,
  isStaffOnlyRoute,
  parseRouteKey,
} from '#infra/routes.ts';
import {
  CASE_REVIEW_DEFINITION,
  functionsHoldingTaskTokens,
  placeholdersOf,
} from '#infra/workflow-definition.ts';

describe('route keys', () => {
  it('reads a method and a path', () => {
    expect(parseRouteKey('POST /api/cases/{reference}/withdraw')).toEqual({
      method: 'POST',
      path: '/api/cases/{reference}/withdraw',
    });
    expect(() => parseRouteKey('/api/cases')).toThrow(InvalidRouteKeyError);
  });

  it('knows the contract’s staff-only routes whatever their parameters are called', () => {
    expect(isStaffOnlyRoute('GET /api/cases')).toBe(true);
    expect(isStaffOnlyRoute('POST /api/cases/{ref}/threshold-decision')).toBe(true);
    expect(isStaffOnlyRoute('POST /api/cases/{reference}/pcc-decision')).toBe(true);
    expect(isStaffOnlyRoute('POST /api/statistics/returns')).toBe(true);
  });

  it('leaves open the routes applicants and the public use', () => {
    for (const key of [
      'POST /api/applications',
      'GET /api/cases/{reference}',
      'POST /api/cases/{reference}/referral',
      'POST /api/cases/{reference}/withdraw',
      'GET /api/statistics',
      'GET /health',
    ]) {
      expect(isStaffOnlyRoute(key), key).toBe(false);
    }
    expect(isInfrastructureRoute('GET /health')).toBe(true);
    expect(isInfrastructureRoute('GET /api/statistics')).toBe(false);
  });

  it("sends each page to its door: staff's and the PCC's to the staff's pages, every other to the resident's", () => {
    // Prepare
    const pageKeys = (id: string) => functionSpecs.find((spec) => spec.id === id)?.routes ?? [];
    const isStaffPage = (key: string) => /^[A-Z]+ \/(staff|pcc)(\/|$)/.test(key);

    // Assess
    expect(pageKeys('StaffPages').length).toBeGreaterThan(0);
    expect(pageKeys('StaffPages').every(isStaffPage)).toBe(true);
    expect(pageKeys('ResidentPages')).toContain('ANY /{proxy+}');
    expect(pageKeys('ResidentPages').filter(isStaffPage)).toEqual([]);
    for (const spec of functionSpecs.filter((candidate) => !candidate.entry.startsWith('functions/web/'))) {
      expect(spec.routes.filter(isStaffPage), spec.id).toEqual([]);
    }
  });

  it('can read every route key of infra/functions.ts', () => {
    for (const key of functionSpecs.flatMap((spec) => spec.routes))
      expect(() => parseRouteKey(key)).not.toThrow();
  });
});

describe('the workflow definition', () => {
  const definition = readFileSync(CASE_REVIEW_DEFINITION, 'utf8');

  it('has one placeholder per workflow function', () => {
    expect(placeholdersOf(definition)).toEqual(
      new Set(functionSpecs.filter((spec) => spec.workflow).map((spec) => `${spec.id}FunctionArn`)),
    );
  });

  it('finds the functions invoked with a task token, in nested branches too', () => {
    // Prepare
    const nested = JSON.stringify({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Wait',
              States: {
                Wait: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                  // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, not a template
                  Arguments: { FunctionName: '${RegisterTaskFunctionArn}' },
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    });

    // Act and assess
    expect(functionsHoldingTaskTokens(definition).map((spec) => spec.id)).toEqual(['RegisterTask']);
    expect(functionsHoldingTaskTokens(nested).map((spec) => spec.id)).toEqual(['RegisterTask']);
  });
});
