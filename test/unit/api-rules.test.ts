import { describe, expect, it } from 'vitest';
import { errorResponse } from '#api/http/error-responses.ts';
import type { Caller } from '#cases/caller.ts';
import { authoriseCaseAction, authoriseCaseRead, type CaseAccessFacts } from '#cases/case-access.ts';
import {
  accessCodeMatches,
  hashAccessCode,
  newAccessCode,
  newCaseReference,
  parseCaseReference,
} from '#cases/case-identifiers.ts';
import { applicantView, staffView } from '#cases/case-views.ts';
import { AccessCodeSealError, sealAccessCode, unsealAccessCode } from '#cases/sealed-access-code.ts';
import { decodeCursor, encodeCursor } from '#cases/worklist-cursor.ts';
import { ACTION_ROLES } from '#core/case-access.ts';
import { NO_REVIEW_YET } from '#core/case-review-state.ts';
import type { CaseView } from '#data/case-store.ts';

/** What the API would answer for what `run` throws: 'ok' when it throws nothing. */
function statusOf(run: () => unknown): number | 'ok' {
  try {
    run();
    return 'ok';
  } catch (error) {
    return errorResponse(error).statusCode;
  }
}

describe('case references', () => {
  it('name the CSP and read back however they are typed', () => {
    // Prepare
    const reference = newCaseReference('st-helens');
    // Act
    const typed = reference.toLowerCase().replace(/0/g, 'o').replace(/-/g, ' - ').replace(' - ', '-');
    // Assess
    expect(reference).toMatch(/^STH-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(parseCaseReference(reference)).toBe(reference);
    expect(parseCaseReference(typed.replace(/\s/g, ''))).toBe(reference);
    expect(parseCaseReference(reference.toLowerCase().replace(/-/g, ' '))).toBe(reference);
    expect(parseCaseReference(reference.replace(/-/g, ''))).toBe(reference);
  });

  it.each([[''], ['SEF'], ['SEF-1234'], ['SEF-1234-567U'], ['SEFTON-1234-5678'], ['x'.repeat(5000)]])(
    'refuses %j',
    (text) => {
      expect(parseCaseReference(text)).toBeUndefined();
    },
  );
});

describe('access codes', () => {
  it('carry at least 128 random bits and are stored as a hash that matches however they are typed', () => {
    // Prepare
    const code = newAccessCode();
    const stored = hashAccessCode(code);
    // Assess
    expect(code.replace(/-/g, '')).toMatch(/^[0-9A-HJKMNP-TV-Z]{28}$/);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(code);
    expect(accessCodeMatches(code.toLowerCase().replace(/-/g, ' '), stored)).toBe(true);
    expect(accessCodeMatches(newAccessCode(), stored)).toBe(false);
    expect(accessCodeMatches(code, 'not-a-hash')).toBe(false);
  });
});

describe('sealed access codes', () => {
  it('unseal only with the same material', () => {
    const sealed = sealAccessCode('ABCD-EFGH', 'key\0body');
    expect(sealed).not.toContain('ABCD');
    expect(unsealAccessCode(sealed, 'key\0body')).toBe('ABCD-EFGH');
    expect(() => unsealAccessCode(sealed, 'other\0body')).toThrow(AccessCodeSealError);
    expect(() => unsealAccessCode('v1.x', 'key\0body')).toThrow(AccessCodeSealError);
  });
});

describe('worklist cursors', () => {
  it('round-trip a key and refuse anything else with a 400 on cursor', () => {
    const key = { pk: 'CASE#SEF-1234-5678', sk: 'CASE', csp: 'sefton', deadlineKey: '2015-06-15#SEF' };
    expect(decodeCursor(encodeCursor(key) ?? '')).toEqual(key);
    expect(encodeCursor(undefined)).toBeNull();
    expect(decodeCursor(undefined)).toBeUndefined();
    for (const bad of [
      '!!',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
    ]) {
      expect(statusOf(() => decodeCursor(bad))).toBe(400);
    }
  });
});

describe('authorisation of cases', () => {
  const code = newAccessCode();
  const facts = (referral: boolean, sharedWith: string[] = []): CaseAccessFacts => ({
    case: {
      csp: 'sefton',
      pccArea: 'merseyside',
      sharedWith: sharedWith as never,
      referral: referral ? ({} as never) : null,
    },
    accessCodeHash: hashAccessCode(code),
  });
  const staff = (role: 'officer' | 'agency' | 'pcc', extra: Record<string, string> = {}): Caller => ({
    kind: 'staff',
    staff: { sub: `${role}-1`, name: 'Someone', role, pccArea: 'merseyside', ...extra },
  });

  it('lets each reader see only their own cases', () => {
    const shared = facts(true, ['police']);
    expect(statusOf(() => authoriseCaseRead({ kind: 'anonymous' }, shared))).toBe(401);
    expect(statusOf(() => authoriseCaseRead({ kind: 'applicant', accessCode: code }, shared))).toBe('ok');
    expect(
      statusOf(() => authoriseCaseRead({ kind: 'applicant', accessCode: newAccessCode() }, shared)),
    ).toBe(403);
    expect(statusOf(() => authoriseCaseRead(staff('officer', { csp: 'sefton' }), shared))).toBe('ok');
    expect(statusOf(() => authoriseCaseRead(staff('officer', { csp: 'wirral' }), shared))).toBe(403);
    expect(
      statusOf(() => authoriseCaseRead(staff('agency', { csp: 'sefton', agency: 'police' }), shared)),
    ).toBe('ok');
    expect(
      statusOf(() => authoriseCaseRead(staff('agency', { csp: 'sefton', agency: 'health' }), shared)),
    ).toBe(403);
    expect(statusOf(() => authoriseCaseRead(staff('pcc'), shared))).toBe('ok');
    expect(statusOf(() => authoriseCaseRead(staff('pcc'), facts(false)))).toBe(403);
  });

  it('lets only the contract’s roles take each action', () => {
    const shared = facts(true, ['police']);
    const callers: Record<string, Caller> = {
      applicant: { kind: 'applicant', accessCode: code },
      officer: staff('officer', { csp: 'sefton' }),
      agency: staff('agency', { csp: 'sefton', agency: 'police' }),
      pcc: staff('pcc'),
    };
    for (const [action, roles] of Object.entries(ACTION_ROLES)) {
      for (const [role, caller] of Object.entries(callers)) {
        const allowed = (roles as readonly string[]).includes(role);
        const status = statusOf(() =>
          authoriseCaseAction(action as keyof typeof ACTION_ROLES, caller, shared),
        );
        expect([action, role, status]).toEqual([action, role, allowed ? 'ok' : 403]);
      }
    }
  });
});

describe('case views', () => {
  const actor = { role: 'officer' as const, sub: 'sub-1', name: 'Olive Officer' };
  const view = {
    case: {
      reference: 'SEF-1234-5678',
      csp: 'sefton',
      pccArea: 'merseyside',
      stage: 'review-complete',
      receivedAt: '2015-06-01T10:00:00.000Z',
      recordedAt: '2015-06-01T10:00:00.000Z',
      channel: 'online',
      victimType: 'individual',
      onBehalf: false,
      cycle: 1,
      thresholdAssessment: {
        met: true,
        route: 'A',
        reasons: ['Three incidents.'],
        assessedAt: 'x',
        linkedReferences: ['SEF-9999-9999'],
      },
      thresholdDecision: { met: true, route: 'A', reason: 'Met.', at: '2015-06-02T10:00:00.000Z', by: actor },
      reviewOutcome: {
        heldOn: '2015-07-01',
        summary: 'Plan.',
        recommendations: [],
        at: 'x',
        cycle: 1,
        by: actor,
      },
      referral: null,
      pccDecision: null,
      closure: null,
      withdrawal: null,
      deadlines: { referralWindow: '2015-08-01T22:59:59.999Z' },
      nextDeadline: '2015-08-01T22:59:59.999Z',
      waitingFor: 'referral',
      sharedWith: ['police'],
    },
    applicant: {
      applicant: { name: 'Jane Example' },
      onBehalfOf: null,
      description: 'd',
      impact: 'i',
      incidents: [],
    },
    timeline: [
      { at: '1', type: 'a', summary: 'Shown', actor, audience: 'all' },
      { at: '2', type: 'b', summary: 'Internal note', actor, audience: 'staff' },
    ],
    audit: [{ at: '3', actor, what: 'read' }],
    responses: [{ agency: 'police', summary: 'Visited twice', at: '4', cycle: 1, by: actor, bodyHash: 'h' }],
    actions: [],
    review: { state: NO_REVIEW_YET, version: 0 },
    evidence: [],
    assignee: null,
    notes: [],
    accessCodeHash: 'h',
  } as unknown as CaseView;
  const now = new Date('2015-08-02T10:00:00Z');
  const contact = {
    name: 'Sefton Case Review Team',
    role: 'Case review team',
    phone: '0151 000 0000',
    email: null,
  };

  it('shows the applicant the decisions and reasons, without names, linked cases or internal notes', () => {
    const shown = applicantView(view, contact, now);
    const text = JSON.stringify(shown);
    expect(shown).toMatchObject({
      stage: 'review-complete',
      overdue: true,
      thresholdAssessment: { reasons: ['Three incidents.'] },
    });
    expect(shown.timeline).toEqual([{ at: '1', type: 'a', summary: 'Shown', actor: { role: 'officer' } }]);
    for (const hidden of [
      'Olive',
      'sub-1',
      'SEF-9999',
      'Internal note',
      'Visited',
      'Jane',
      'accessCodeHash',
    ]) {
      expect(text).not.toContain(hidden);
    }
  });

  it("shows every reader the case's contact and the victim's involvement, and the applicant nobody's name", () => {
    const involvement = { level: 'attend', attendance: 'online', consultOnPlan: true };
    const withReview = {
      ...view,
      review: { state: { ...NO_REVIEW_YET, involvement }, version: 1 },
    } as CaseView;
    const applicantSees = applicantView(withReview, contact, now);
    expect(applicantSees).toMatchObject({ contact, involvement });
    expect(JSON.stringify(applicantSees)).not.toContain('Olive');
    expect(staffView(withReview, contact, [], now)).toMatchObject({ contact, involvement });
  });

  it('shows staff everything but subjects and hashes, with the linked cases', () => {
    const linked = { reference: 'SEF-9999-9999', stage: 'awaiting-threshold-decision', receivedAt: 'r' };
    const shown = staffView(view, contact, [linked as unknown as CaseView['case']], now);
    const text = JSON.stringify(shown);
    expect(shown.timeline).toHaveLength(2);
    expect(shown.audit).toEqual([
      { at: '3', what: 'read', actor: { role: 'officer', name: 'Olive Officer' } },
    ]);
    expect(shown.agencyResponses[0]).toEqual({
      agency: 'police',
      summary: 'Visited twice',
      at: '4',
      cycle: 1,
      by: { role: 'officer', name: 'Olive Officer' },
    });
    expect(shown.links).toEqual([linked]);
    expect(text).not.toContain('sub-1');
    expect(text).not.toContain('"bodyHash"');
  });

  it('lists no file whose form expired (with its grace) without the file arriving, to anyone', () => {
    const uploadBy = '2015-08-02T08:00:00.000Z';
    const place = {
      addedBy: { role: 'applicant' },
      addedAt: '2015-08-02T07:45:00.000Z',
      size: 1,
      type: 'application/pdf',
    };
    const withFiles = {
      ...view,
      evidence: [
        { ...place, id: 'never-came', name: 'lost.pdf', verdict: 'pending', uploadBy },
        { ...place, id: 'arrived', name: 'diary.pdf', verdict: 'pending', uploadBy, receivedAt: uploadBy },
        {
          ...place,
          id: 'in-time',
          name: 'new.pdf',
          verdict: 'pending',
          uploadBy: '2015-08-02T09:30:00.000Z',
        },
      ],
    } as CaseView;

    for (const shown of [applicantView(withFiles, contact, now), staffView(withFiles, contact, [], now)]) {
      expect(shown.evidence.map((file) => file.id)).toEqual(['arrived', 'in-time']);
    }
  });
});
