import { describe, expect, it } from 'vitest';
import { MERSEYSIDE, requireCsp, UnknownCspError } from '#core/area-config.ts';
import type { Actor } from '#core/case-record.ts';
import {
  applicantMeetingView,
  askedAgencies,
  awaitedReplies,
  caseContact,
  caseContactIn,
  type InformationRequest,
  isRequestOverdue,
  isRescheduled,
  meetingInvitations,
  meetingNotices,
  NAMED_CONTACT_ROLE,
  pendingRequestReminders,
  type ReviewMeeting,
  replyReceived,
  requestReminders,
  requestStatuses,
  staffMeetingView,
  TEAM_CONTACT_ROLE,
  waitOutlives,
  withInformationRequests,
} from '#core/case-review.ts';

const SEFTON = requireCsp(MERSEYSIDE, 'sefton');
const OFFICER: Actor = { role: 'officer', sub: 'o-1', name: 'Alex Officer' };
// Monday 15 June 2015, 10:00 UK time.
const NOW = new Date('2015-06-15T09:00:00Z');

describe('caseContact', () => {
  it("is the CSP's case review team until an officer names a person", () => {
    // Act, Assess
    expect(caseContact(SEFTON, null)).toEqual({
      name: 'Sefton Council anti-social behaviour team',
      role: TEAM_CONTACT_ROLE,
      phone: '0345 140 0845',
      email: null,
    });
    expect(caseContactIn(MERSEYSIDE, 'st-helens', null).email).toBe('communitytrigger@sthelens.gov.uk');
    expect(
      caseContact(SEFTON, {
        name: 'Jo Officer',
        phone: '0151 934 0000',
        email: 'jo@sefton.example',
        at: NOW.toISOString(),
        by: OFFICER,
      }),
    ).toEqual({
      name: 'Jo Officer',
      role: NAMED_CONTACT_ROLE,
      phone: '0151 934 0000',
      email: 'jo@sefton.example',
    });
    expect(() => caseContactIn(MERSEYSIDE, 'halton', null)).toThrow(UnknownCspError);
  });
});

describe('information requests', () => {
  const context = { csp: SEFTON, cycle: 1, now: NOW, by: OFFICER };

  it("gives each agency named its own request, due in the CSP's 10 working days when no date is given", () => {
    // Act
    const requests = withInformationRequests(
      [],
      { agencies: ['police', 'council'], message: 'What do you know?' },
      context,
    );

    // Assess
    expect(requests).toEqual([
      {
        agency: 'police',
        dueBy: '2015-06-29',
        message: 'What do you know?',
        cycle: 1,
        at: NOW.toISOString(),
        by: OFFICER,
      },
      {
        agency: 'council',
        dueBy: '2015-06-29',
        message: 'What do you know?',
        cycle: 1,
        at: NOW.toISOString(),
        by: OFFICER,
      },
    ]);
    expect(askedAgencies(requests, 1)).toEqual(['police', 'council']);
  });

  it('adds agencies asked later, gives one asked again its new date, and keeps a past cycle apart', () => {
    // Prepare
    const first = withInformationRequests(
      [],
      { agencies: ['police', 'council'], message: 'x' },
      { ...context, cycle: 1 },
    );
    const second = withInformationRequests(
      first,
      { agencies: ['police'], message: 'x' },
      { ...context, cycle: 2 },
    );

    // Act
    const later = withInformationRequests(
      second,
      { agencies: ['police', 'health'], dueBy: '2015-06-19', message: 'Sooner, please' },
      { ...context, cycle: 2 },
    );

    // Assess
    expect(askedAgencies(later, 1)).toEqual(['police', 'council']);
    expect(askedAgencies(later, 2)).toEqual(['police', 'health']);
    expect(
      later.filter((request) => request.cycle === 2).map((request) => [request.agency, request.dueBy]),
    ).toEqual([
      ['police', '2015-06-19'],
      ['health', '2015-06-19'],
    ]);
    expect(later.filter((request) => request.cycle === 1)).toEqual(first);
  });

  it('is overdue after its due day in the UK until the agency answers, and the officer sees who has', () => {
    // Prepare
    const requests = withInformationRequests(
      [],
      { agencies: ['police', 'council', 'health'], dueBy: '2015-06-19', message: 'x' },
      context,
    );
    const [police] = requests as [InformationRequest];
    const saturday = new Date('2015-06-20T09:00:00Z');

    // Act, Assess
    expect(isRequestOverdue(police, [], new Date('2015-06-19T22:59:00Z'))).toBe(false);
    expect(isRequestOverdue(police, [], saturday)).toBe(true);
    expect(isRequestOverdue(police, ['police'], saturday)).toBe(false);
    expect(requestStatuses(requests, ['council'], 1, saturday)).toEqual([
      { agency: 'police', dueBy: '2015-06-19', status: 'overdue' },
      { agency: 'council', dueBy: '2015-06-19', status: 'answered' },
      { agency: 'health', dueBy: '2015-06-19', status: 'overdue' },
    ]);
    expect(requestStatuses(requests, [], 1, NOW).map((status) => status.status)).toEqual([
      'waiting',
      'waiting',
      'waiting',
    ]);
  });
});

describe('the replies awaited, as the worklists keep them', () => {
  const context = { csp: SEFTON, cycle: 2, now: NOW, by: OFFICER };
  const asked = withInformationRequests(
    withInformationRequests([], { agencies: ['health'], message: 'x' }, { ...context, cycle: 1 }),
    { agencies: ['police', 'council'], dueBy: '2015-06-19', message: 'x' },
    context,
  );

  it("keeps the cycle's requests not answered, each with its date; a new date replaces the old", () => {
    // Prepare
    const askedAgain = withInformationRequests(
      asked,
      { agencies: ['police'], dueBy: '2015-06-26', message: 'y' },
      context,
    );

    // Act, Assess
    expect(awaitedReplies(asked, ['council'], 2)).toEqual({ cycle: 2, dueBy: { police: '2015-06-19' } });
    expect(awaitedReplies(askedAgain, [], 2)).toEqual({
      cycle: 2,
      dueBy: { police: '2015-06-26', council: '2015-06-19' },
    });
    expect(awaitedReplies(asked, ['council', 'police'], 2)).toEqual({ cycle: 2, dueBy: {} });
  });

  it('keeps an agency asked again after it answered as answered (its response stands)', () => {
    // Prepare
    const askedAgain = withInformationRequests(
      asked,
      { agencies: ['council'], dueBy: '2015-06-26', message: 'y' },
      context,
    );

    // Act, Assess
    expect(awaitedReplies(askedAgain, ['council'], 2)).toEqual({ cycle: 2, dueBy: { police: '2015-06-19' } });
  });

  it("drops an agency's reply once it responds; an amendment, another cycle's or unknown replies stay as they were", () => {
    // Prepare
    const awaited = awaitedReplies(asked, [], 2);

    // Act
    const afterPolice = replyReceived(awaited, 'police', 2);

    // Assess
    expect(afterPolice).toEqual({ cycle: 2, dueBy: { council: '2015-06-19' } });
    expect(replyReceived(afterPolice, 'police', 2)).toBe(afterPolice);
    expect(replyReceived(awaited, 'police', 3)).toBe(awaited);
    expect(replyReceived(null, 'police', 2)).toBeNull();
  });
});

describe('information request reminders', () => {
  const context = { csp: SEFTON, cycle: 2, now: NOW, by: OFFICER };
  const asked = withInformationRequests(
    withInformationRequests([], { agencies: ['police'], message: 'x' }, { ...context, cycle: 1 }),
    { agencies: ['police', 'council'], dueBy: '2015-06-19', message: 'x' },
    context,
  );
  // The end of Friday 19 June 2015 (BST), then of Tuesday 23 June, two working days on.
  const dayEnds = '2015-06-19T22:59:59.999Z';
  const twoWorkingDaysOn = '2015-06-23T22:59:59.999Z';

  it("reminds each agency not answered once its day ends, then the officer one interval later, keyed by the cycle's request, date and recipient", () => {
    // Act
    const reminders = requestReminders(asked, ['council'], 2);

    // Assess
    expect(reminders).toEqual([
      {
        agency: 'police',
        dueBy: '2015-06-19',
        to: 'agency',
        at: dayEnds,
        key: 'information-request#2#police#2015-06-19#agency',
      },
      {
        agency: 'police',
        dueBy: '2015-06-19',
        to: 'officer',
        at: twoWorkingDaysOn,
        key: 'information-request#2#police#2015-06-19#officer',
      },
    ]);
    expect(requestReminders(asked, ['council', 'police'], 2)).toEqual([]);
  });

  it('sends what is due and not sent, and says when the next falls due', () => {
    // Prepare
    const reminders = requestReminders(asked, [], 2);
    const saturday = new Date('2015-06-20T09:00:00Z');
    const policeSent = { 'information-request#2#police#2015-06-19#agency': saturday.toISOString() };

    // Act
    const before = pendingRequestReminders(reminders, {}, NOW);
    const onSaturday = pendingRequestReminders(reminders, {}, saturday);
    const afterPolice = pendingRequestReminders(reminders, policeSent, saturday);
    const allSent = pendingRequestReminders(
      reminders,
      Object.fromEntries(reminders.map((reminder) => [reminder.key, reminder.at])),
      new Date('2015-07-01T09:00:00Z'),
    );

    // Assess
    expect(before).toEqual({ due: [], next: dayEnds });
    expect(onSaturday.due.map((each) => [each.agency, each.to])).toEqual([
      ['police', 'agency'],
      ['council', 'agency'],
    ]);
    expect(onSaturday.next).toBe(twoWorkingDaysOn);
    expect(afterPolice.due.map((each) => [each.agency, each.to])).toEqual([['council', 'agency']]);
    expect(allSent).toEqual({ due: [], next: null });
  });

  it('arms the wait for the review again only when a reminder after its entry falls due before it times out', () => {
    // Prepare
    const entered = Date.parse('2015-06-15T09:00:00Z');
    const wait = { enteredAt: entered, timesOutAt: Date.parse('2015-07-13T22:59:59.999Z') };

    // Act, Assess
    expect(waitOutlives(wait, dayEnds)).toBe(true);
    expect(waitOutlives(wait, null)).toBe(false);
    expect(waitOutlives({ ...wait, timesOutAt: Date.parse(dayEnds) + 1000 }, dayEnds)).toBe(false);
    expect(waitOutlives({ ...wait, enteredAt: Date.parse(dayEnds) }, dayEnds)).toBe(false);
  });
});

describe('the review meeting', () => {
  const meeting: ReviewMeeting = {
    at: '2015-06-25T14:00:00.000Z',
    format: 'in-person',
    location: 'Bootle Town Hall',
    chair: { name: 'Pat Chair', organisation: 'Sefton CVS', independent: true },
    invitees: ['police', 'council', 'applicant'],
    cycle: 1,
    arrangedAt: NOW.toISOString(),
    by: OFFICER,
    rescheduled: false,
    notified: { agencies: ['police', 'council'], applicant: true },
  };

  it('invites every agency invited, and the applicant only when they chose to attend', () => {
    // Act, Assess
    expect(
      meetingInvitations(meeting, { level: 'attend', attendance: 'in-person', consultOnPlan: true }),
    ).toEqual({
      agencies: ['police', 'council'],
      applicant: true,
    });
    expect(
      meetingInvitations(meeting, { level: 'views-only', attendance: null, consultOnPlan: true }).applicant,
    ).toBe(false);
    expect(meetingInvitations(meeting, null).applicant).toBe(false);
    expect(
      meetingInvitations(
        { invitees: ['police'] },
        { level: 'attend', attendance: 'online', consultOnPlan: true },
      ).applicant,
    ).toBe(false);
  });

  it('shows the applicant the time and format, and the place only if invited', () => {
    // Act, Assess
    expect(
      applicantMeetingView(meeting, { level: 'attend', attendance: 'in-person', consultOnPlan: true }),
    ).toEqual({
      at: '2015-06-25T14:00:00.000Z',
      format: 'in-person',
      location: 'Bootle Town Hall',
      invited: true,
    });
    expect(
      applicantMeetingView(meeting, { level: 'updates-only', attendance: null, consultOnPlan: false }),
    ).toEqual({
      at: '2015-06-25T14:00:00.000Z',
      format: 'in-person',
      invited: false,
    });
    expect(staffMeetingView(meeting)).toEqual({
      at: meeting.at,
      format: meeting.format,
      location: meeting.location,
      chair: meeting.chair,
      invitees: meeting.invitees,
    });
  });

  it('is rescheduled when its time, format or place changes, not when only the invitees do', () => {
    // Act, Assess
    expect(isRescheduled(null, meeting)).toBe(false);
    expect(isRescheduled(meeting, { ...meeting, at: '2015-06-26T14:00:00.000Z' })).toBe(true);
    expect(isRescheduled(meeting, { ...meeting, format: 'online' })).toBe(true);
    expect(isRescheduled(meeting, { ...meeting, invitees: ['police'] })).toBe(false);
  });

  it('tells everyone invited of a new or moved meeting, and only the newly invited of a longer list', () => {
    // Prepare
    const attending = { level: 'attend', attendance: 'online', consultOnPlan: true } as const;
    const fewer: ReviewMeeting = { ...meeting, invitees: ['police'] };

    // Act, Assess
    expect(meetingNotices(null, meeting, attending)).toEqual({
      agencies: ['police', 'council'],
      applicant: true,
    });
    expect(meetingNotices(fewer, meeting, attending)).toEqual({ agencies: ['council'], applicant: true });
    expect(meetingNotices(meeting, meeting, attending)).toEqual({ agencies: [], applicant: false });
    expect(meetingNotices(meeting, { ...meeting, location: 'Southport Town Hall' }, attending)).toEqual({
      agencies: ['police', 'council'],
      applicant: true,
    });
  });
});
