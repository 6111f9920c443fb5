// The local notifier: one file per message, written once however often the step runs.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactParagraph } from '#core/case-review-messages.ts';
import { renderMessage } from '#shared/messages.ts';
import { messageId, type Notification, type TemplateFacts } from '#shared/notifier.ts';
import { createOutboxNotifier, listOutbox } from '#shared/outbox-notifier.ts';

let directory: string;
const clock = () => new Date('2026-03-02T09:00:00.000Z');

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'outbox-test-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const notMet: Notification = {
  to: {
    kind: 'applicant',
    reference: 'SEF-AAAA-BBBB',
    csp: 'sefton',
    contact: {
      name: 'Sam Resident',
      email: 'sam@example.com',
      address: '12 Acacia Avenue',
      postcode: 'L20 1AA',
      contactPreference: 'email',
    },
  },
  template: 'threshold-not-met',
  key: '1',
  facts: {
    reason: 'Only one incident was reported.',
    referralDeadline: '2026-04-14T22:59:59.999Z',
    cspName: 'Sefton',
    contact: {
      name: 'Sefton Council anti-social behaviour team',
      role: 'Case review team',
      phone: '0151 934 4444',
      email: null,
    },
  },
};

describe('createOutboxNotifier', () => {
  it('writes the same notification once, however often it is sent', async () => {
    // Prepare
    const notifier = createOutboxNotifier({ directory: join(directory, 'outbox'), clock });

    // Act
    await Promise.all([notifier.notify(notMet), notifier.notify(notMet), notifier.notify(notMet)]);
    await notifier.notify({ ...notMet, key: '2' });

    // Assess
    const messages = await listOutbox(join(directory, 'outbox'));
    expect(messages).toHaveLength(2);
    expect(messages.map((message) => message.id)).toContain(messageId(notMet));
    expect(await readdir(join(directory, 'outbox'))).toHaveLength(2);
  });

  it('keeps the letter: recipient, subject and plain-English body with the reasons and escalation route', async () => {
    // Prepare
    const notifier = createOutboxNotifier({ directory, clock });

    // Act
    await notifier.notify(notMet);

    // Assess
    const [message] = await listOutbox(directory);
    expect(message).toMatchObject({
      createdAt: '2026-03-02T09:00:00.000Z',
      template: 'threshold-not-met',
      to: { kind: 'applicant', contact: { email: 'sam@example.com' } },
      subject: 'Your ASB case review SEF-AAAA-BBBB: the threshold was not met',
    });
    expect(message?.body).toContain('Dear Sam Resident,');
    expect(message?.body).toContain('Only one incident was reported.');
    expect(message?.body).toContain('You need to ask by 14 April 2026');
    expect(message?.body).toContain('contact Sefton Council anti-social behaviour team: phone 0151 934 4444');
    expect(message?.body).not.toContain('contact the council’s anti-social behaviour team');
  });

  it('makes its folder again when it was removed after the first message', async () => {
    // Prepare
    const outbox = join(directory, 'outbox');
    const notifier = createOutboxNotifier({ directory: outbox, clock });
    await notifier.notify(notMet);
    await rm(outbox, { recursive: true });

    // Act
    await notifier.notify({ ...notMet, key: '2' });

    // Assess
    expect((await listOutbox(outbox)).map((message) => message.id)).toEqual([
      messageId({ ...notMet, key: '2' }),
    ]);
  });

  it('lists an outbox that does not exist yet as empty', async () => {
    expect(await listOutbox(join(directory, 'missing'))).toEqual([]);
  });
});

describe('renderMessage', () => {
  it('ends every message to the applicant with their contact and a phone number, never "the council" alone', () => {
    // Prepare: one of each template the applicant is sent
    const contact = notMet.facts.contact;
    const at = '2026-04-14T22:59:59.999Z';
    const action = { action: 'Visit the neighbour', owner: 'police', dueBy: '2026-04-30' } as const;
    const findings = { persistence: 'Weekly.', harm: 'Sleepless.', adequacy: 'Nobody visited.' };
    const outcome = { heldOn: '2026-03-01', summary: 'A plan was agreed.', findings };
    const meeting = {
      at,
      format: 'online',
      location: 'https://meet.example.org/review',
      chair: { name: 'Pat Chair', organisation: 'Sefton CVS', independent: true },
      rescheduled: false,
    } as const;
    const plan = { actions: 1, open: 0, done: 1, cannotBeDone: 0 };
    const letters: { [T in keyof TemplateFacts]?: TemplateFacts[T] } = {
      'application-acknowledged': { thresholdDecisionDue: at, cspName: 'Sefton', accessCode: 'A-B', contact },
      'new-access-code': { accessCode: 'A-B', contact },
      'threshold-met': { route: 'A', reason: 'Three incidents.', reviewDue: at, cspName: 'Sefton', contact },
      'threshold-not-met': notMet.facts,
      'review-outcome': {
        ...outcome,
        recommendations: [],
        referralDeadline: at,
        cspName: 'Sefton',
        contact,
      },
      'draft-action-plan': { outcome, actions: [action], respondBy: '2026-03-08', contact },
      'final-action-plan': { actions: [action], changes: 'None.', referralDeadline: at, contact },
      'action-finished': {
        action: { ...action, id: '1-1' },
        status: 'done',
        note: 'Visited.',
        openActions: 0,
        contact,
      },
      'meeting-invitation': { meeting, cspName: 'Sefton', contact },
      'contact-named': { contact },
      'referral-received': { pccDecisionDue: at, contact },
      'pcc-decision': { outcome: 'review-stands', reason: 'Fine.', plan, contact },
      'case-closed': { reason: 'pcc-decided', plan, contact },
    };

    // Act
    const bodies = Object.entries(letters).map(
      ([template, facts]) =>
        [template, renderMessage({ ...notMet, template, facts } as Notification).body] as const,
    );

    // Assess
    expect(bodies).toHaveLength(13);
    for (const [template, body] of bodies) {
      expect(body.endsWith(contactParagraph(contact)), template).toBe(true);
      expect(body, template).toContain('phone 0151 934 4444');
      expect(body, template).not.toMatch(/contact (your|the) council/i);
    }
  });

  it('words a reminder and an escalation for staff, without personal data', () => {
    // Act
    const reminder = renderMessage({
      to: { kind: 'officer', reference: 'SEF-AAAA-BBBB', csp: 'sefton' },
      template: 'decision-reminder',
      key: '1',
      facts: {
        step: 'review-outcome',
        due: '2026-03-30T22:59:59.999Z',
        nextReminder: '2026-04-01T22:59:59.999Z',
      },
    });
    const escalation = renderMessage({
      to: { kind: 'manager', reference: 'SEF-AAAA-BBBB', csp: 'sefton' },
      template: 'overdue-escalation',
      key: '1',
      facts: { step: 'review-outcome', due: '2026-03-30T22:59:59.999Z', cspName: 'Sefton' },
    });

    // Assess
    expect(reminder.subject).toBe('Overdue: SEF-AAAA-BBBB needs the outcome of the case review');
    expect(reminder.body).toContain('was due by 30 March 2026');
    expect(reminder.body).toContain('reminded again');
    expect(escalation.body).toContain('(Sefton) is overdue');
  });
});
