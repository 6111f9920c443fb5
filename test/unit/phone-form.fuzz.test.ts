import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INCIDENTS, MAX_INVOLVED, MAX_OTHER_REPORTS, MAX_WITNESSES } from '#core/schemas/application.ts';
import { checkPeople, readPeople, withPeople } from '#web/apply/people.ts';
import {
  phoneApplicationBody,
  phoneApplicationIssues,
  phoneFormErrors,
  readPhoneForm,
  withBlockAdded,
} from '#web/apply/phone-form.ts';
import { applicationIssues } from '#web/apply/validate.ts';

const NOW = new Date('2015-07-10T09:00:00Z');

// Field names as the form writes them, with numbers anywhere from 0 to far past any limit, and others.
const fieldName = fc.oneof(
  fc.constantFrom('channel', 'name', 'postcode', 'receivedOn-day', 'forSomeoneElse', 'consentToShare', 'add'),
  fc
    .tuple(
      fc.constantFrom('incident', 'involved', 'witness'),
      fc.nat({ max: 500 }),
      fc.constantFrom('description', 'occurredOn-year', 'reportedTo', 'name', 'contact', 'hateMotivation'),
    )
    .map(([kind, number, field]) => `${kind}-${number}-${field}`),
  fc
    .tuple(
      fc.nat({ max: 60 }),
      fc.nat({ max: 60 }),
      fc.constantFrom('otherReportedTo', 'otherReportedOn-day'),
    )
    .map(([incident, report, field]) => `incident-${incident}-other-${report}-${field}`),
  fc.string(),
);
const form = fc
  .array(fc.tuple(fieldName, fc.string({ maxLength: 30 })), { maxLength: 40 })
  .map((entries) => new URLSearchParams(entries));

describe('the officer’s one-screen form', () => {
  it('reads any form into blocks within the limits, and every problem is placed on a field, never thrown', () => {
    fc.assert(
      fc.property(
        form,
        fc.constantFrom('incident', 'report-1', 'involved', 'witness', 'nothing'),
        (sent, add) => {
          const read = readPhoneForm(withBlockAdded(sent, add));
          expect(read.incidents.length).toBeGreaterThanOrEqual(1);
          expect(read.incidents.length).toBeLessThanOrEqual(MAX_INCIDENTS);
          expect(read.involved.length).toBeLessThanOrEqual(MAX_INVOLVED);
          expect(read.witnesses.length).toBeLessThanOrEqual(MAX_WITNESSES);
          for (const incident of read.incidents)
            expect(incident.reports.length).toBeLessThanOrEqual(MAX_OTHER_REPORTS);
          const issues = phoneApplicationIssues(phoneApplicationBody(read, 'sefton', NOW), 'sefton', NOW);
          const errors = phoneFormErrors(read, issues);
          // A form with no problem shown is one the schema takes: nothing is sent past a problem unseen.
          if (errors.length === 0) expect(issues).toEqual([]);
          if (read.boxErrors.length > 0) expect(errors.length).toBeGreaterThan(0);
          for (const error of errors) expect(error.href).toMatch(/^#[a-zA-Z][\w-]*$/);
        },
      ),
    );
  });
});

describe('the resident’s pages of people', () => {
  it('read any form into blocks within the limits, and save only what the schema takes, every problem placed on a box', () => {
    const context = { now: NOW, cspIds: ['sefton'] };
    fc.assert(
      fc.property(form, fc.constantFrom('involved', 'witness'), (sent, kind: 'involved' | 'witness') => {
        const draft = { mode: 'resident' as const, answers: { csp: 'sefton' }, incidents: [] };
        const blocks = readPeople(sent, kind);
        expect(blocks.length).toBeLessThanOrEqual(kind === 'involved' ? MAX_INVOLVED : MAX_WITNESSES);
        const errors = checkPeople(blocks, kind, draft, context);
        for (const error of errors) expect(error.href).toMatch(/^#(involved|witness)-\d+-[a-z]+$/);
        if (errors.length > 0) return;
        const saved = { ...draft, answers: withPeople(draft.answers, blocks, kind) };
        const list = kind === 'involved' ? 'involved' : 'witnesses';
        expect(applicationIssues(saved, context).filter((issue) => issue.path.startsWith(list))).toEqual([]);
      }),
    );
  });
});
