// The case review as the 2025 statutory guidance runs it, over HTTP (contract.md, "The case review"):
// the victim's contact and involvement as information steps, audited, shown in the case views, with
// the applicant seeing nothing of anyone else's; the agencies asked, and only they, sharing what they
// knew and did (amendable, audited); the meeting, its invitations and its moves; the outcome with its
// findings, the consultation on the draft action plan until the officer makes it final, and the plan's
// actions followed by their owners.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MERSEYSIDE, requireCsp } from '#core/area-config.ts';
import { addDays, ukDateOf } from '#core/local-date.ts';
import type { OutboxMessage } from '#shared/outbox-notifier.ts';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { type LocalService, SERVICE_MODES, startLocalService } from '#test/support/local-service.ts';

let service: LocalService;
let api: ApiClient;
let officer: Credentials;
let otherOfficer: Credentials;
let police: Credentials;
let council: Credentials;
const today = ukDateOf(new Date());
const seftonTeam = requireCsp(MERSEYSIDE, 'sefton').contact;

const NAMED = { name: 'Sam Contact', phone: '0151 934 2000', email: 'sam.contact@sefton.gov.uk' };
const ATTEND = { level: 'attend', attendance: 'online', needs: 'A BSL interpreter' };

interface TestCase {
  readonly reference: string;
  readonly applicant: Credentials;
}

async function waitingCase(): Promise<TestCase> {
  const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
  const applicant = { accessCode };
  await api.waitForStage(reference, applicant, 'awaiting-threshold-decision');
  return { reference, applicant };
}

async function metCase(): Promise<TestCase> {
  const { reference, applicant } = await waitingCase();
  await api.act(reference, 'threshold-decision', { met: true, route: 'A', reason: 'Met.' }, officer);
  await api.waitForStage(reference, applicant, 'awaiting-review');
  return { reference, applicant };
}

/**
 * Cases for the tests of a describe that each change theirs, made side by side before its first test
 * (the workflow moves each while the others are submitted): `const next = casesFor(3, metCase)`, and
 * each such test takes `next()`.
 */
function casesFor(count: number, make: () => Promise<TestCase>): () => TestCase {
  const made: TestCase[] = [];
  beforeAll(async () => {
    made.push(...(await Promise.all(Array.from({ length: count }, make))));
  });
  return () => {
    const next = made.shift();
    if (next === undefined) throw new Error(`More tests took a case than the ${count} made`);
    return next;
  };
}

// Cases no test changes, for the tests that only read them or are refused (and check that nothing
// changed): one awaiting the threshold decision, one awaiting its review.
let waiting: TestCase;
let met: TestCase;

const view = async (reference: string, credentials: Credentials) =>
  (await api.get(`/api/cases/${reference}`, credentials)).body;

async function messages(reference: string, template: string): Promise<OutboxMessage[]> {
  const { body } = await api.get('/local/outbox');
  return (body.messages as OutboxMessage[]).filter(
    (message) => message.to.reference === reference && message.template === template,
  );
}

describe.each(SERVICE_MODES)('%s', (mode) => {
  beforeAll(async () => {
    service = await startLocalService({ mode });
    api = new ApiClient(service);
    officer = { token: await service.token({ role: 'officer', csp: 'sefton', name: 'A Officer' }) };
    otherOfficer = { token: await service.token({ role: 'officer', csp: 'knowsley', name: 'K Officer' }) };
    police = {
      token: await service.token({ role: 'agency', csp: 'sefton', agency: 'police', name: 'P Constable' }),
    };
    council = {
      token: await service.token({ role: 'agency', csp: 'sefton', agency: 'council', name: 'C Worker' }),
    };
    [waiting, met] = await Promise.all([waitingCase(), metCase()]);
  }, 300_000);

  afterAll(async () => {
    await service?.stop();
  });

  describe('the contact', { timeout: 120_000 }, () => {
    it("is the CSP's case review team until an officer names a person, then that person, audited", async () => {
      const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
      const applicant = { accessCode };
      const team = {
        name: seftonTeam.team,
        role: 'Case review team',
        phone: seftonTeam.phone,
        email: seftonTeam.email ?? null,
      };
      expect((await view(reference, applicant)).contact).toEqual(team);
      expect((await view(reference, officer)).contact).toEqual(team);

      const named = await api.post(`/api/cases/${reference}/contact`, NAMED, officer);
      expect(named.status).toBe(200);
      expect(named.body).toMatchObject({ reference, action: 'contact', changed: true });

      const shown = { ...NAMED, role: 'Your single point of contact for the case review' };
      const seen = await view(reference, applicant);
      expect(seen.contact).toEqual(shown);
      expect(seen.timeline.map((event: { type: string }) => event.type)).toContain('contact');
      const staff = await view(reference, officer);
      expect(staff.contact).toEqual(shown);
      expect(staff.audit.filter((entry: { what: string }) => entry.what === 'contact')).toHaveLength(1);
    });

    it('tells the applicant who their contact now is, with the number, once for each person named', async () => {
      const { reference } = await api.submit(applicationBody({ csp: 'sefton' }));
      await api.act(reference, 'contact', NAMED, officer);
      await api.act(reference, 'contact', NAMED, officer);
      const told = await messages(reference, 'contact-named');
      await api.act(reference, 'contact', { ...NAMED, name: 'Robin Other' }, officer);
      const toldAgain = await messages(reference, 'contact-named');

      expect(told.map((message) => message.to.kind)).toEqual(['applicant']);
      expect(told[0]?.body).toContain(`${NAMED.name} is now your single point of contact`);
      expect(told[0]?.body).toContain(`phone ${NAMED.phone}`);
      expect(toldAgain).toHaveLength(2);
    });

    it('changes nothing when the same person is named again, and takes a new one as an update', async () => {
      const { reference } = await api.submit(applicationBody({ csp: 'sefton' }));
      await api.act(reference, 'contact', NAMED, officer);
      const again = await api.post(`/api/cases/${reference}/contact`, { ...NAMED }, officer);
      expect(again.body.changed).toBe(false);
      const other = { ...NAMED, name: 'Robin Other' };
      expect((await api.post(`/api/cases/${reference}/contact`, other, officer)).body.changed).toBe(true);
      const staff = await view(reference, officer);
      expect(staff.contact.name).toBe('Robin Other');
      expect(staff.audit.filter((entry: { what: string }) => entry.what === 'contact')).toHaveLength(2);
    });

    it('is named by an officer of the case only: 401, 403, and 400 naming the field for a bad body', async () => {
      const { reference, applicant } = waiting;
      const { accessCode } = applicant;
      expect((await api.post(`/api/cases/${reference}/contact`, NAMED, {})).status).toBe(401);
      expect((await api.post(`/api/cases/${reference}/contact`, NAMED, { accessCode })).status).toBe(403);
      expect((await api.post(`/api/cases/${reference}/contact`, NAMED, otherOfficer)).status).toBe(403);
      const bad = await api.post(`/api/cases/${reference}/contact`, { ...NAMED, email: 'nope' }, officer);
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('email');
      expect(
        (await view(reference, officer)).audit.map((entry: { what: string }) => entry.what),
      ).not.toContain('contact');
    });

    it('is not named once the case is closed: 409', async () => {
      const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
      await api.act(reference, 'withdraw', { reason: 'Sorted out.' }, { accessCode });
      await api.waitForStage(reference, { accessCode }, 'closed');
      const late = await api.post(`/api/cases/${reference}/contact`, NAMED, officer);
      expect(late.status).toBe(409);
      expect((await view(reference, officer)).contact.name).toBe(seftonTeam.team);
    });
  });

  describe("the victim's involvement", { timeout: 180_000 }, () => {
    it('is the one chosen in the application, changed by the applicant and by an officer, audited', async () => {
      const { reference, accessCode } = await api.submit({
        ...applicationBody({ csp: 'sefton' }),
        involvement: { level: 'views-only', views: 'Please read my diary.' },
      });
      const applicant = { accessCode };
      expect((await view(reference, applicant)).involvement).toEqual({
        level: 'views-only',
        attendance: null,
        views: 'Please read my diary.',
        consultOnPlan: true,
      });

      const changed = await api.post(`/api/cases/${reference}/involvement`, ATTEND, applicant);
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ action: 'involvement', changed: true });
      const byPhone = { level: 'updates-only', consultOnPlan: false };
      await api.act(reference, 'involvement', byPhone, officer);
      expect((await api.post(`/api/cases/${reference}/involvement`, byPhone, officer)).body.changed).toBe(
        false,
      );

      const staff = await view(reference, officer);
      expect(staff.involvement).toEqual({ level: 'updates-only', attendance: null, consultOnPlan: false });
      const audited = staff.audit.filter((entry: { what: string }) => entry.what === 'involvement');
      expect(audited.map((entry: { actor: { role: string } }) => entry.actor.role)).toEqual([
        'applicant',
        'officer',
      ]);
      const seen = await view(reference, applicant);
      expect(seen.involvement).toEqual(staff.involvement);
      expect(seen.audit).toBeUndefined();
      expect(JSON.stringify(seen)).not.toContain('A Officer');
    });

    it('is null when the application did not say, and refuses other people and bad bodies', async () => {
      const { reference, applicant } = waiting;
      const { accessCode } = applicant;
      expect((await view(reference, officer)).involvement).toBeNull();
      expect((await api.post(`/api/cases/${reference}/involvement`, ATTEND, police)).status).toBe(403);
      expect(
        (await api.post(`/api/cases/${reference}/involvement`, ATTEND, { accessCode: 'WRONG-CODE' })).status,
      ).toBe(403);
      const bad = await api.post(`/api/cases/${reference}/involvement`, { level: 'attend' }, { accessCode });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('attendance');
      expect((await view(reference, officer)).involvement).toBeNull();
    });

    it('can no longer change once the review is recorded: 409, and the last choice stands', async () => {
      const { reference, applicant } = await metCase();
      await api.act(reference, 'involvement', ATTEND, applicant);
      await api.act(
        reference,
        'review-outcome',
        { heldOn: today, summary: 'Reviewed.', findings: FINDINGS },
        officer,
      );
      await api.waitForStage(reference, applicant, 'review-complete');
      const late = await api.post(
        `/api/cases/${reference}/involvement`,
        { level: 'updates-only' },
        applicant,
      );
      expect(late.status).toBe(409);
      expect((await view(reference, applicant)).involvement.level).toBe('attend');
    });
  });
  describe('asking the agencies', { timeout: 180_000 }, () => {
    const next = casesFor(3, metCase);
    const ASK = { agencies: ['police'], dueBy: addDays(today, 10), message: 'What did you know and do?' };
    const RESPONSE = { agency: 'police', summary: 'Two visits.', actionsTaken: 'A warning letter.' };

    it('shares the case with exactly the agencies asked, each with its due date, and takes their responses', async () => {
      // Prepare
      const { reference, applicant } = next();
      const before = await view(reference, officer);
      const policeBefore = await api.get(`/api/cases/${reference}`, police);

      // Act
      const asked = await api.post(`/api/cases/${reference}/information-requests`, ASK, officer);
      const again = await api.post(`/api/cases/${reference}/information-requests`, ASK, officer);
      const policeSees = await api.get(`/api/cases/${reference}`, police);
      const councilSees = await api.get(`/api/cases/${reference}`, council);
      const councilResponds = await api.post(
        `/api/cases/${reference}/agency-responses`,
        { agency: 'council', summary: 'Nothing.' },
        council,
      );
      const responded = await api.post(`/api/cases/${reference}/agency-responses`, RESPONSE, police);
      const repeated = await api.post(`/api/cases/${reference}/agency-responses`, RESPONSE, police);
      const amended = await api.post(
        `/api/cases/${reference}/agency-responses`,
        { ...RESPONSE, currentPosition: 'Quiet since the letter.' },
        police,
      );
      const more = await api.post(
        `/api/cases/${reference}/information-requests`,
        { agencies: ['council'], message: 'And the council?' },
        officer,
      );
      const staff = await view(reference, officer);
      const seen = await view(reference, applicant);

      // Assess
      expect(before.sharedWith).toEqual([]);
      expect(policeBefore.status).toBe(403);
      expect(asked.body).toMatchObject({ action: 'information-requests', changed: true });
      expect(again.body).toMatchObject({ changed: false });
      expect(policeSees.status).toBe(200);
      expect(councilSees.status).toBe(403);
      expect(councilResponds.status).toBe(403);
      expect(responded.body).toMatchObject({ changed: true });
      expect(repeated.body).toMatchObject({ changed: false });
      expect(amended.body).toMatchObject({ changed: true });
      expect(more.body).toMatchObject({ changed: true });
      expect(staff.sharedWith).toEqual(['police', 'council']);
      expect(staff.informationRequests).toEqual([
        { agency: 'police', dueBy: ASK.dueBy, status: 'answered' },
        { agency: 'council', dueBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), status: 'waiting' },
      ]);
      expect(staff.agencyResponses).toEqual([
        expect.objectContaining({ ...RESPONSE, currentPosition: 'Quiet since the letter.' }),
      ]);
      const what = staff.audit.map((entry: { what: string }) => entry.what);
      expect(what.filter((each: string) => each === 'agency-responses')).toHaveLength(2);
      expect(what.filter((each: string) => each === 'information-requests')).toHaveLength(2);
      expect(seen).not.toHaveProperty('informationRequests');
      expect(seen).not.toHaveProperty('agencyResponses');
      expect(JSON.stringify(seen)).not.toContain('Two visits');
    });

    it('tells each agency asked at its mailbox, with its date and the message, once; a change tells it again', async () => {
      // Prepare
      const { reference } = next();
      const later = { ...ASK, dueBy: addDays(today, 12) };

      // Act
      await api.act(reference, 'information-requests', ASK, officer);
      await api.act(reference, 'information-requests', ASK, officer);
      const first = await messages(reference, 'information-request');
      await api.act(reference, 'information-requests', { ...ASK, agencies: ['police', 'council'] }, officer);
      const withCouncil = await messages(reference, 'information-request');
      await api.act(reference, 'information-requests', later, officer);
      const all = await messages(reference, 'information-request');

      // Assess
      expect(first.map((message) => message.to.agency)).toEqual(['police']);
      expect(first[0]?.body).toContain('What did you know and do?');
      expect(first[0]?.subject).toContain('information needed from the police by');
      expect(withCouncil.map((message) => message.to.agency).sort()).toEqual(['council', 'police']);
      expect(all).toHaveLength(3);
      const changed = all.filter((message) => message.body.includes('has changed its request'));
      expect(changed.map((message) => message.to.agency)).toEqual(['police']);
      const listed = async (credentials: Credentials) =>
        (
          (await api.get('/api/cases?stage=awaiting-review&limit=100', credentials)).body.cases as {
            reference: string;
            replyBy?: string;
          }[]
        ).find((item) => item.reference === reference);
      expect((await listed(police))?.replyBy).toBe(later.dueBy);
      expect((await listed(council))?.replyBy).toBe(ASK.dueBy);
      expect(await listed(officer)).not.toHaveProperty('replyBy');
    });

    it('is for an officer at awaiting-review only: 403, 409, 400 naming the field, and nothing changes', async () => {
      const early = await api.post(`/api/cases/${waiting.reference}/information-requests`, ASK, officer);
      const byApplicant = await api.post(
        `/api/cases/${met.reference}/information-requests`,
        ASK,
        met.applicant,
      );
      const byOther = await api.post(`/api/cases/${met.reference}/information-requests`, ASK, otherOfficer);
      const bad = await api.post(
        `/api/cases/${met.reference}/information-requests`,
        { ...ASK, agencies: [] },
        officer,
      );
      expect(early.status).toBe(409);
      expect(byApplicant.status).toBe(403);
      expect(byOther.status).toBe(403);
      expect(bad.status).toBe(400);
      expect(bad.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['agencies']);
      expect((await view(met.reference, officer)).sharedWith).toEqual([]);
    });

    it('takes no amendment once the review is recorded: 409, the response as it was', async () => {
      const { reference, applicant } = next();
      await api.act(reference, 'information-requests', ASK, officer);
      await api.act(reference, 'agency-responses', RESPONSE, police);
      await api.act(
        reference,
        'review-outcome',
        { heldOn: today, summary: 'Reviewed.', findings: FINDINGS },
        officer,
      );
      await api.waitForStage(reference, applicant, 'review-complete');
      const late = await api.post(
        `/api/cases/${reference}/agency-responses`,
        { ...RESPONSE, summary: 'Changed later.' },
        police,
      );
      expect(late.status).toBe(409);
      expect((await view(reference, officer)).agencyResponses[0].summary).toBe('Two visits.');
    });
  });

  describe('the review meeting', { timeout: 180_000 }, () => {
    const next = casesFor(5, metCase);
    const ASK = { agencies: ['police', 'council'], message: 'What did you know and do?' };
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const MEETING = {
      at: inDays(3).replace(/T.*/, 'T13:00:00Z'),
      format: 'hybrid',
      location: 'Bootle Town Hall, or online at https://meet.example/abc',
      chair: { name: 'Pat Chair', organisation: 'Sefton CVS', independent: true },
      invitees: ['police', 'council', 'applicant'],
    };
    const invitations = (reference: string) => messages(reference, 'meeting-invitation');
    const who = (messages: readonly OutboxMessage[]) =>
      messages.map((message) => message.to.agency ?? message.to.kind).sort();

    it('invites every agency invited and the applicant who chose to attend, again when it moves, and not for a repeat', async () => {
      // Prepare
      const { reference, applicant } = next();
      await api.act(reference, 'involvement', ATTEND, applicant);
      await api.act(reference, 'information-requests', ASK, officer);

      // Act
      const arranged = await api.post(`/api/cases/${reference}/review-meeting`, MEETING, officer);
      const first = await invitations(reference);
      const repeated = await api.post(`/api/cases/${reference}/review-meeting`, { ...MEETING }, officer);
      const afterRepeat = await invitations(reference);
      const moved = { ...MEETING, at: MEETING.at.replace('T13:00', 'T15:30') };
      const rescheduled = await api.post(`/api/cases/${reference}/review-meeting`, moved, officer);
      const all = await invitations(reference);
      const staff = await view(reference, officer);
      const seen = await view(reference, applicant);
      const policeSees = (await api.get(`/api/cases/${reference}`, police)).body;
      const listed = async (credentials: Credentials) =>
        (
          (await api.get('/api/cases?stage=awaiting-review&limit=100', credentials)).body.cases as {
            reference: string;
            upcomingMeeting?: string;
          }[]
        ).find((item) => item.reference === reference);
      const officerList = await listed(officer);
      const policeList = await listed(police);

      // Assess
      expect(arranged.status).toBe(200);
      expect(arranged.body).toMatchObject({
        action: 'review-meeting',
        changed: true,
        stage: 'awaiting-review',
      });
      expect(who(first)).toEqual(['applicant', 'council', 'police']);
      const toApplicant = first.find((message) => message.to.kind === 'applicant');
      expect(toApplicant?.body).toContain('Bootle Town Hall');
      expect(toApplicant?.body).toContain(seftonTeam.phone);
      expect(repeated.body).toMatchObject({ changed: false });
      expect(afterRepeat).toHaveLength(3);
      expect(rescheduled.body).toMatchObject({ changed: true });
      expect(all).toHaveLength(6);
      expect(
        all
          .filter((message) => message.subject.includes('moved'))
          .map((message) => message.to.agency ?? 'applicant'),
      ).toEqual(expect.arrayContaining(['police', 'council', 'applicant']));
      const expected = { ...moved, at: new Date(moved.at).toISOString() };
      expect(staff.meeting).toEqual(expected);
      expect(policeSees.meeting).toEqual(expected);
      expect(seen.meeting).toEqual({
        at: expected.at,
        format: 'hybrid',
        location: MEETING.location,
        invited: true,
      });
      expect(seen).not.toHaveProperty('meeting.chair');
      expect(officerList?.upcomingMeeting).toBe(expected.at);
      expect(policeList?.upcomingMeeting).toBe(expected.at);
      const types = seen.timeline.map((event: { type: string }) => event.type);
      expect(types.filter((type: string) => type === 'review-meeting')).toHaveLength(2);
      const what = staff.audit.map((entry: { what: string }) => entry.what);
      expect(what.filter((each: string) => each === 'review-meeting')).toHaveLength(2);
    });

    it('tells the applicant who did not choose to attend nothing, and shows them the time but not the place', async () => {
      const { reference, applicant } = next();
      await api.act(
        reference,
        'involvement',
        { level: 'views-only', views: 'Please read my diary.' },
        applicant,
      );
      await api.act(reference, 'information-requests', ASK, officer);
      await api.act(reference, 'review-meeting', MEETING, officer);
      expect(who(await invitations(reference))).toEqual(['council', 'police']);
      expect((await view(reference, applicant)).meeting).toEqual({
        at: new Date(MEETING.at).toISOString(),
        format: 'hybrid',
        invited: false,
      });
    });

    it('takes a time already gone and an agency not asked (contract.md’s example): it is invited, and the case is still shared only with the agencies asked', async () => {
      // Prepare: only the police asked; the meeting at the moment the application was received
      const { reference } = next();
      await api.act(reference, 'information-requests', { ...ASK, agencies: ['police'] }, officer);
      const { receivedAt } = await view(reference, officer);

      // Act
      const arranged = await api.post(
        `/api/cases/${reference}/review-meeting`,
        { ...MEETING, at: receivedAt, invitees: ['police', 'council'] },
        officer,
      );

      // Assess
      expect(arranged.status).toBe(200);
      expect((await view(reference, officer)).meeting.at).toBe(new Date(receivedAt).toISOString());
      expect(who(await invitations(reference))).toEqual(['council', 'police']);
      expect((await api.get(`/api/cases/${reference}`, council)).status).toBe(403);
      expect((await api.get(`/api/cases/${reference}`, police)).status).toBe(200);
    });

    it('is arranged by an officer of the case at awaiting-review, not before the application: else 400, 403 or 409, and nothing changes', async () => {
      // Prepare
      const { reference, applicant } = next();
      await api.act(reference, 'information-requests', { ...ASK, agencies: ['police'] }, officer);
      const post = (body: unknown, credentials: Credentials) =>
        api.post(`/api/cases/${reference}/review-meeting`, body, credentials);
      const paths = (response: { body: { issues?: { path: string }[] } }) =>
        response.body.issues?.map((issue) => issue.path);

      // Act
      const early = await api.post(`/api/cases/${waiting.reference}/review-meeting`, MEETING, officer);
      const past = await post({ ...MEETING, invitees: ['police'], at: '2015-01-01T10:00:00Z' }, officer);
      const far = await post({ ...MEETING, invitees: ['police'], at: '9999-12-31T10:00:00Z' }, officer);
      const unknown = await post({ ...MEETING, invitees: ['police', 'mayor'] }, officer);
      const byApplicant = await post({ ...MEETING, invitees: ['police'] }, applicant);
      const byAgency = await post({ ...MEETING, invitees: ['police'] }, police);
      const byOther = await post({ ...MEETING, invitees: ['police'] }, otherOfficer);

      // Assess
      expect(early.status).toBe(409);
      expect(past.status).toBe(400);
      expect(paths(past)).toEqual(['at']);
      expect(far.status).toBe(400);
      expect(paths(far)).toEqual(['at']);
      expect(unknown.status).toBe(400);
      expect(paths(unknown)).toEqual(['invitees.1']);
      expect(byApplicant.status).toBe(403);
      expect(byAgency.status).toBe(403);
      expect(byOther.status).toBe(403);
      const staff = await view(reference, officer);
      expect(staff.meeting).toBeNull();
      expect(staff.audit.map((entry: { what: string }) => entry.what)).not.toContain('review-meeting');
      expect(await invitations(reference)).toEqual([]);
      const listed = (await api.get('/api/cases?stage=awaiting-review&limit=100', officer)).body.cases.find(
        (item: { reference: string }) => item.reference === reference,
      );
      expect(listed).not.toHaveProperty('upcomingMeeting');
      expect((await view(waiting.reference, officer)).meeting).toBeNull();
    });

    it('is neither arranged nor are agencies asked once the outcome is recorded, even before the workflow applies it: 409', async () => {
      // Prepare
      const { reference } = next();
      await api.act(reference, 'information-requests', { ...ASK, agencies: ['police'] }, officer);

      // Act: at once; 409 whether or not the workflow has applied the outcome yet (the data test of
      // changeReview holds a case in between).
      await api.act(
        reference,
        'review-outcome',
        { heldOn: today, summary: 'Reviewed.', findings: FINDINGS },
        officer,
      );
      const meeting = await api.post(
        `/api/cases/${reference}/review-meeting`,
        { ...MEETING, invitees: ['police'] },
        officer,
      );
      const asked = await api.post(`/api/cases/${reference}/information-requests`, ASK, officer);

      // Assess
      for (const late of [meeting, asked]) {
        expect(late.status).toBe(409);
        expect(late.body.error).toBe('conflict');
      }
      const staff = await view(reference, officer);
      expect(staff.meeting).toBeNull();
      expect(staff.sharedWith).not.toContain('council');
      expect(staff.audit.map((entry: { what: string }) => entry.what)).not.toContain('review-meeting');
      expect(await invitations(reference)).toEqual([]);
    });
  });

  describe('the outcome and the consultation on the action plan', { timeout: 180_000 }, () => {
    const next = casesFor(2, metCase);
    const PLAN = [{ action: 'Mediation between neighbours', owner: 'council', dueBy: addDays(today, 30) }];
    const OUTCOME = { heldOn: today, summary: 'The partners agreed a plan.', findings: FINDINGS };
    const FINAL = {
      recommendations: [...PLAN, { action: 'Visit the victim', owner: 'police', dueBy: addDays(today, 10) }],
      changes: 'A visit was added, as the victim asked.',
    };

    it('asks for a finding on each question and a due date within two years, and records none without them: 400 naming the field', async () => {
      const { reference } = met;
      const bad = await api.post(
        `/api/cases/${reference}/review-outcome`,
        { heldOn: today, summary: 'x', findings: { persistence: 'Weekly.', harm: 'Fear.' } },
        officer,
      );
      const far = await api.post(
        `/api/cases/${reference}/review-outcome`,
        { ...OUTCOME, recommendations: [{ ...PLAN[0], dueBy: '9999-12-31' }] },
        officer,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['findings.adequacy']);
      expect(far.status).toBe(400);
      expect(far.body.issues.map((issue: { path: string }) => issue.path)).toEqual([
        'recommendations.0.dueBy',
      ]);
      expect((await view(reference, officer)).reviewOutcome).toBeNull();
    });

    it('sends the draft with a respond-by date, takes the victim’s answer once, and the officer’s final plan', async () => {
      // Prepare
      const { reference, applicant } = next();

      // Act
      const recorded = await api.act(
        reference,
        'review-outcome',
        { ...OUTCOME, recommendations: PLAN },
        officer,
      );
      const consulting = await api.waitForStage(reference, applicant, 'action-plan-consultation');
      const early = await api.post(`/api/cases/${reference}/referral`, { reason: 'Too soon.' }, applicant);
      const byOfficer = await api.post(
        `/api/cases/${reference}/action-plan-response`,
        { agrees: true },
        officer,
      );
      const noComment = await api.post(
        `/api/cases/${reference}/action-plan-response`,
        { agrees: false },
        applicant,
      );
      const answer = { agrees: false, comments: 'Please visit me as well.' };
      const answered = await api.post(`/api/cases/${reference}/action-plan-response`, answer, applicant);
      const answeredAgain = await api.post(`/api/cases/${reference}/action-plan-response`, answer, applicant);
      const otherAnswer = await api.post(
        `/api/cases/${reference}/action-plan-response`,
        { agrees: true },
        applicant,
      );
      const byApplicant = await api.post(`/api/cases/${reference}/action-plan`, FINAL, applicant);
      const noChanges = await api.post(
        `/api/cases/${reference}/action-plan`,
        { recommendations: PLAN },
        officer,
      );
      const far = await api.post(
        `/api/cases/${reference}/action-plan`,
        { ...FINAL, recommendations: [{ ...PLAN[0], dueBy: addDays(today, 1000) }] },
        officer,
      );
      const finalised = await api.post(`/api/cases/${reference}/action-plan`, FINAL, officer);
      const final = await api.waitForStage(reference, applicant, 'review-complete');
      const repeated = await api.post(`/api/cases/${reference}/action-plan`, FINAL, officer);
      const different = await api.post(
        `/api/cases/${reference}/action-plan`,
        { ...FINAL, changes: 'Something else.' },
        officer,
      );
      const staff = await view(reference, officer);

      // Assess
      expect(recorded.body).toMatchObject({ stage: 'action-plan-consultation', changed: true });
      expect(consulting.reviewOutcome).toMatchObject({ findings: FINDINGS });
      expect(consulting.actionPlan).toMatchObject({
        status: 'draft',
        respondBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        response: null,
        actions: [{ id: '1-1', owner: 'council', status: 'open', overdue: false }],
      });
      expect(consulting.nextDeadline).toBe((consulting.deadlines as { consultation: string }).consultation);
      expect(early.status).toBe(409);
      expect(byOfficer.status).toBe(403);
      expect(noComment.status).toBe(400);
      expect(noComment.text).toContain('comments');
      expect(answered.body).toMatchObject({ action: 'action-plan-response', changed: true });
      expect(answeredAgain.body).toMatchObject({ changed: false });
      const told = await messages(reference, 'consultation-response');
      expect(told.map((message) => message.to.kind)).toEqual(['officer']);
      expect(told[0]?.body).toContain('Please visit me as well.');
      expect(otherAnswer.status).toBe(409);
      expect(byApplicant.status).toBe(403);
      expect(noChanges.status).toBe(400);
      expect(noChanges.text).toContain('changes');
      expect(far.status).toBe(400);
      expect(far.body.issues.map((issue: { path: string }) => issue.path)).toEqual([
        'recommendations.0.dueBy',
      ]);
      expect(finalised.status).toBe(200);
      expect(finalised.body).toMatchObject({ action: 'action-plan', stage: 'review-complete' });
      expect(final.actionPlan).toMatchObject({
        status: 'final',
        response: answer,
        changes: FINAL.changes,
        actions: [
          { id: '1-1', owner: 'council', status: 'open', progress: [] },
          { id: '1-2', owner: 'police', status: 'open', progress: [] },
        ],
      });
      expect(final.deadlines).toMatchObject({ referralWindow: expect.any(String) });
      expect(repeated.body).toMatchObject({ changed: false });
      expect(different.status).toBe(409);
      expect(staff.sharedWith).toEqual(expect.arrayContaining(['police', 'council']));
      const what = staff.audit.map((entry: { what: string }) => entry.what);
      expect(what.filter((each: string) => each === 'action-plan-response')).toHaveLength(1);
      expect(what.filter((each: string) => each === 'action-plan')).toHaveLength(1);
    });

    it('is final at once when the victim chose not to be consulted', async () => {
      const { reference, applicant } = next();
      await api.act(reference, 'involvement', { level: 'updates-only', consultOnPlan: false }, applicant);
      const recorded = await api.act(
        reference,
        'review-outcome',
        { ...OUTCOME, recommendations: PLAN },
        officer,
      );
      const reviewed = await api.waitForStage(reference, applicant, 'review-complete');
      const late = await api.post(`/api/cases/${reference}/action-plan`, FINAL, officer);
      expect(recorded.body.stage).toBe('review-complete');
      expect(reviewed.actionPlan).toMatchObject({ status: 'final', respondBy: null });
      expect(late.status).toBe(409);
    });
  });

  describe('progress on the actions of the final plan', { timeout: 180_000 }, () => {
    const PLAN = [
      { action: 'Mediation between neighbours', owner: 'council', dueBy: addDays(today, 30) },
      { action: 'Visit the victim', owner: 'police', dueBy: addDays(today, 10) },
    ];
    const OUTCOME = { heldOn: today, summary: 'The partners agreed a plan.', findings: FINDINGS };
    const progress = (reference: string, id: string, body: unknown, credentials: Credentials) =>
      api.post(`/api/cases/${reference}/actions/${id}/progress`, body, credentials);

    /** A case whose victim chose not to be consulted, so its plan of PLAN is final at once. */
    async function planned(): Promise<TestCase> {
      const { reference, applicant } = await metCase();
      await api.act(reference, 'involvement', { level: 'updates-only', consultOnPlan: false }, applicant);
      await api.act(reference, 'review-outcome', { ...OUTCOME, recommendations: PLAN }, officer);
      await api.waitForStage(reference, applicant, 'review-complete');
      return { reference, applicant };
    }
    const next = casesFor(3, planned);

    it('takes the owner’s and the officer’s notes, audited, and the applicant reads them, told when one is done', async () => {
      // Prepare
      const { reference, applicant } = next();
      const started = { status: 'in-progress', note: 'A visit is booked for next week.' };
      const done = { status: 'done', note: 'We visited and agreed a plan for reporting.' };

      // Act
      const noted = await progress(reference, '1-2', started, police);
      const repeated = await progress(reference, '1-2', started, police);
      const finished = await progress(reference, '1-2', done, police);
      const finishedAgain = await progress(reference, '1-2', done, police);
      const byOfficer = await progress(reference, '1-1', started, officer);
      const staff = await view(reference, officer);
      const seen = await view(reference, applicant);
      const told = await messages(reference, 'action-finished');

      // Assess
      expect(noted.status).toBe(200);
      expect(noted.body).toMatchObject({
        reference,
        action: 'action-progress',
        actionId: '1-2',
        changed: true,
        status: 'in-progress',
        stage: 'review-complete',
      });
      expect(repeated.body).toMatchObject({ changed: false, status: 'in-progress' });
      expect(finished.body).toMatchObject({ changed: true, status: 'done' });
      expect(finishedAgain.body).toMatchObject({ changed: false, status: 'done' });
      expect(byOfficer.body).toMatchObject({ changed: true, actionId: '1-1' });
      expect(staff.actionPlan.actions).toEqual([
        expect.objectContaining({
          id: '1-1',
          owner: 'council',
          status: 'in-progress',
          overdue: false,
          progress: [
            expect.objectContaining({ ...started, by: expect.objectContaining({ role: 'officer' }) }),
          ],
        }),
        expect.objectContaining({
          id: '1-2',
          owner: 'police',
          status: 'done',
          overdue: false,
          progress: [
            expect.objectContaining({ ...started, by: expect.objectContaining({ agency: 'police' }) }),
            expect.objectContaining(done),
          ],
        }),
      ]);
      expect(seen.actionPlan.actions[1].progress).toEqual([
        { at: expect.any(String), ...started },
        { at: expect.any(String), ...done },
      ]);
      expect(JSON.stringify(seen)).not.toContain('P Constable');
      expect(seen.timeline.map((event: { type: string }) => event.type)).toContain('action-progress');
      const audited = staff.audit.filter((entry: { what: string }) => entry.what === 'action-progress');
      expect(audited).toHaveLength(3);
      expect(told).toHaveLength(1);
      expect(told[0]?.to.kind).toBe('applicant');
      expect(told[0]?.body).toContain(done.note);
      expect(told[0]?.body).toContain(seftonTeam.phone);
    });

    it('refuses another agency (403), an unknown action (404), the applicant and bad bodies, and changes nothing', async () => {
      const { reference, applicant } = next();
      const note = { status: 'in-progress', note: 'Started.' };
      const byCouncil = await progress(reference, '1-2', note, council);
      const unknown = await progress(reference, '1-9', note, officer);
      const byApplicant = await progress(reference, '1-1', note, applicant);
      const noNote = await progress(reference, '1-1', { status: 'done' }, officer);
      const badStatus = await progress(reference, '1-1', { ...note, status: 'open' }, officer);
      expect(byCouncil.status).toBe(403);
      expect(unknown.status).toBe(404);
      expect(byApplicant.status).toBe(403);
      expect(noNote.status).toBe(400);
      expect(noNote.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['note']);
      expect(badStatus.status).toBe(400);
      const staff = await view(reference, officer);
      expect(staff.actionPlan.actions.map((action: { status: string }) => action.status)).toEqual([
        'open',
        'open',
      ]);
      expect(staff.audit.map((entry: { what: string }) => entry.what)).not.toContain('action-progress');
    });

    it('keeps a case whose review stands open until its last action is done, then closes it once', async () => {
      // Prepare
      const { reference, applicant } = next();
      const pcc = { token: await service.token({ role: 'pcc', name: 'The PCC Office' }) };
      await progress(reference, '1-1', { status: 'done', note: 'Mediation held.' }, council);
      await api.act(reference, 'referral', { reason: 'The visit is late.' }, applicant);
      await api.waitForStage(reference, applicant, 'awaiting-pcc-decision');

      // Act
      const stands = await api.act(
        reference,
        'pcc-decision',
        { outcome: 'review-stands', reason: 'Fine.' },
        pcc,
      );
      const waiting = await api.waitForCase(
        reference,
        officer,
        (body) => body.waitingFor === 'actions-finished',
      );
      const done = await progress(reference, '1-2', { status: 'done', note: 'Visited.' }, police);
      const closed = await api.waitForStage(reference, applicant, 'closed');

      // Assess
      expect(stands.body.stage).toBe('review-complete');
      expect(waiting).toMatchObject({ stage: 'review-complete', closure: null });
      expect(done.body).toMatchObject({ changed: true, status: 'done' });
      expect(closed.closure).toMatchObject({ reason: 'pcc-decided' });
      // The letter follows the closure (CloseDecided): polled, as clients poll.
      await expect
        .poll(async () => (await messages(reference, 'case-closed')).length, { timeout: 60_000 })
        .toBe(1);
      expect(
        (await messages(reference, 'actions-assigned')).map((message) => message.to.agency).sort(),
      ).toEqual(['council', 'police']);
    });

    it('is not taken before the plan is final: 409', async () => {
      const { reference } = met;
      const early = await progress(reference, '1-1', { status: 'done', note: 'Done.' }, officer);
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ stage: 'awaiting-review' });
    });
  });
});
