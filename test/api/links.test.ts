// Route B over HTTP (contract.md, "Route B"): suggestions of cases about the same behaviour with their
// reasons, links an officer adds and removes (audited, harmless to repeat), the threshold assessed
// again for every linked case still awaiting its decision, and who may do any of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';

let service: LocalService;
let api: ApiClient;
let officer: Credentials;
let otherOfficer: Credentials;
const today = ukDateOf(new Date());

interface Submitted {
  readonly reference: string;
  readonly accessCode: string;
}

/** One household's application about one incident (so route A, needing 3, is never met alone). */
function household(house: string, postcode: string, description: string, csp = 'liverpool') {
  const body = applicationBody({ csp, incidents: 1 });
  const [incident] = body.incidents as Record<string, unknown>[];
  return {
    ...body,
    applicant: {
      ...(body.applicant as object),
      name: `Resident ${house}`,
      address: `${house}, Liverpool`,
      postcode,
    },
    description,
    incidents: [{ ...incident, occurredOn: addDays(today, -6), reportedOn: addDays(today, -5), description }],
  };
}

const MOTORBIKE_NUISANCE = [
  ['3 Park Road', 'L90 1AA', 'Motorbikes racing up and down the road late at night'],
  ['8 Park Road', 'L90 1AB', 'Youths on scramblers riding round the estate, revving their engines'],
  ['2 Mill Lane', 'L90 2CD', 'Off-road bikes tearing across the playing field and along Park Road'],
  ['15 Mill Lane', 'L90 2CE', 'Kids on mopeds doing wheelies outside our house every evening, racing'],
  ['Flat 2, 9 Church Street', 'L90 3EF', 'Motorcycles speeding along the back lane, one nearly hit my child'],
  ['4 Field View', 'L90 4GH', 'Motorbkes and quad bikes racing on the playing field at all hours'],
] as const;

async function apply(body: unknown): Promise<Submitted> {
  const submitted = await api.submit(body);
  await api.waitForStage(
    submitted.reference,
    { accessCode: submitted.accessCode },
    'awaiting-threshold-decision',
  );
  return submitted;
}

async function staffView(reference: string) {
  const response = await api.get(`/api/cases/${reference}`, officer);
  expect(response.status).toBe(200);
  return response.body;
}

const links = (reference: string, body: unknown, credentials: Credentials = officer) =>
  api.post(`/api/cases/${reference}/links`, body, credentials);

beforeAll(async () => {
  service = await startLocalService();
  api = new ApiClient(service);
  officer = { token: await service.token({ role: 'officer', csp: 'liverpool', name: 'Liv Officer' }) };
  otherOfficer = { token: await service.token({ role: 'officer', csp: 'wirral', name: 'Wirral Officer' }) };
}, 240_000);

afterAll(async () => {
  await service?.stop();
});

describe('six households reporting motorbike nuisance in L90', () => {
  let households: Submitted[];
  let dog: Submitted;

  beforeAll(async () => {
    households = [];
    for (const [house, postcode, description] of MOTORBIKE_NUISANCE) {
      households.push(await apply(household(house, postcode, description)));
    }
    dog = await apply(household('5 Park Road', 'L90 1AA', 'Dog barking next door all day and night'));
  }, 240_000);

  it('are not linked by themselves: each alone does not meet route B', async () => {
    for (const { reference } of households) {
      const view = await staffView(reference);
      expect(view.links).toEqual([]);
      expect(view.thresholdAssessment).toMatchObject({ met: false, route: null, linkedReferences: [] });
    }
  });

  it('are suggested to the officer with their reasons, and the barking dog next door is not', async () => {
    // Prepare
    const [first, ...others] = households as [Submitted, ...Submitted[]];

    // Act
    const response = await api.get(`/api/cases/${first.reference}/link-suggestions`, officer);

    // Assess
    expect(response.status).toBe(200);
    const suggested = response.body.suggestions.map(
      (suggestion: { reference: string }) => suggestion.reference,
    );
    expect([...suggested].sort()).toEqual(others.map((other) => other.reference).sort());
    expect(suggested).not.toContain(dog.reference);
    for (const suggestion of response.body.suggestions) {
      expect(suggestion).toMatchObject({
        stage: 'awaiting-threshold-decision',
        receivedAt: expect.any(String),
      });
      expect(suggestion.reasons.map((reason: { kind: string }) => reason.kind)).toEqual([
        'what-happened',
        'place',
        'dates',
      ]);
      expect(suggestion.reasons[2].text).toContain('the periods overlap');
    }
    const text = JSON.stringify(response.body);
    expect(text).not.toContain('Resident');
    expect(text).not.toContain('example.com');
    const audit = (await staffView(first.reference)).audit.map((entry: { what: string }) => entry.what);
    expect(audit).toContain('link-suggestions');
  });

  it('once linked, meet route B: the last to apply, and every earlier applicant, assessed again', async () => {
    // Prepare
    const last = households.at(-1) as Submitted;
    const earlier = households.slice(0, -1).map((submitted) => submitted.reference);

    // Act
    const response = await links(last.reference, {
      add: earlier,
      reason: 'The same motorbikes, seen by all.',
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.changed).toBe(true);
    expect(response.body.links.map((entry: { reference: string }) => entry.reference).sort()).toEqual(
      [...earlier].sort(),
    );
    for (const { reference, accessCode } of households) {
      const view = await staffView(reference);
      expect(view.thresholdAssessment).toMatchObject({ met: true, route: 'B' });
      expect(view.thresholdAssessment.reasons.join(' ')).toMatch(/6 households have complaints that count/);
      expect(view.links).toHaveLength(5);
      expect(view.timeline.map((event: { type: string }) => event.type)).toEqual(
        expect.arrayContaining(['threshold-reassessed']),
      );
      const own = await api.get(`/api/cases/${reference}`, { accessCode });
      expect(own.body.thresholdAssessment).toMatchObject({ met: true, route: 'B' });
      expect(own.body.links).toBeUndefined();
      for (const other of households.filter((submitted) => submitted.reference !== reference)) {
        expect(JSON.stringify(own.body)).not.toContain(other.reference);
      }
    }
    const lastView = await staffView(last.reference);
    const event = lastView.timeline.find((entry: { type: string }) => entry.type === 'links');
    expect(event).toMatchObject({ audience: 'staff' });
    expect(event.summary).toContain('The same motorbikes, seen by all.');
    expect(lastView.audit.filter((entry: { what: string }) => entry.what === 'links')).toHaveLength(1);
  });

  it('changes nothing when the same links are sent again', async () => {
    // Prepare
    const last = households.at(-1) as Submitted;
    const earlier = households.slice(0, -1).map((submitted) => submitted.reference);
    const before = await staffView(last.reference);

    // Act
    const again = await links(last.reference, { add: earlier, reason: 'The same motorbikes, seen by all.' });
    const fromAnother = await links(earlier[0] ?? '', { add: [last.reference], reason: 'Again.' });

    // Assess
    expect(again.status).toBe(200);
    expect(again.body.changed).toBe(false);
    expect(fromAnother.body.changed).toBe(false);
    const after = await staffView(last.reference);
    expect(after.links).toEqual(before.links);
    expect(after.thresholdAssessment).toEqual(before.thresholdAssessment);
    expect(after.audit.filter((entry: { what: string }) => entry.what === 'links')).toHaveLength(1);
  });

  it('are assessed again when cases are unlinked, and a decided case keeps its decision', async () => {
    // Prepare: the first household's case is decided before the group changes.
    const [decided, second, ...rest] = households as [Submitted, Submitted, ...Submitted[]];
    const decision = { met: true, route: 'B', reason: 'Six households.' };
    await api.act(decided.reference, 'threshold-decision', decision, officer);
    await api.waitForStage(decided.reference, officer, 'awaiting-review');
    const decidedBefore = await staffView(decided.reference);

    // Act
    const response = await links(rest[0]?.reference ?? '', {
      remove: [second.reference, rest[1]?.reference],
      reason: 'Not the same bikes after all.',
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.links).toHaveLength(3);
    for (const remaining of [rest[0], ...rest.slice(2)]) {
      const view = await staffView(remaining?.reference ?? '');
      expect(view.thresholdAssessment).toMatchObject({ met: false, route: null });
      expect(view.thresholdAssessment.reasons.join(' ')).toMatch(/4 households have complaints that count/);
    }
    for (const reference of [second.reference, rest[1]?.reference ?? '']) {
      const view = await staffView(reference);
      expect(view.links).toEqual([]);
      expect(view.thresholdAssessment).toMatchObject({ met: false, linkedReferences: [] });
    }
    const decidedAfter = await staffView(decided.reference);
    expect(decidedAfter.thresholdAssessment).toEqual(decidedBefore.thresholdAssessment);
    expect(decidedAfter.thresholdDecision).toMatchObject({ met: true, route: 'B' });
    expect(decidedAfter.stage).toBe('awaiting-review');
  });
});

describe('who may see suggestions and change links', () => {
  let own: Submitted;
  let other: Submitted;
  let callers: Record<string, Credentials>;

  beforeAll(async () => {
    own = await apply(household('1 Oak Road', 'L90 7AA', 'Motorbikes on the field'));
    other = await apply(household('2 Oak Road', 'L90 7AA', 'Motorbikes on the field'));
    callers = {
      'its applicant': { accessCode: own.accessCode },
      'an agency of its CSP': {
        token: await service.token({ role: 'agency', csp: 'liverpool', agency: 'police', name: 'P' }),
      },
      "the PCC's office": { token: await service.token({ role: 'pcc', name: 'PCC' }) },
      'an officer of another CSP': otherOfficer,
    };
  }, 240_000);

  it('answers 403 to anyone but an officer of the CSP, and 401 without a sign-in, changing nothing', async () => {
    for (const [who, credentials] of Object.entries(callers)) {
      const suggestions = await api.get(`/api/cases/${own.reference}/link-suggestions`, credentials);
      const change = await links(own.reference, { add: [other.reference], reason: 'r' }, credentials);
      expect([suggestions.status, change.status], who).toEqual([403, 403]);
      expect(change.body.error).toBe('forbidden');
    }
    expect((await api.get(`/api/cases/${own.reference}/link-suggestions`)).status).toBe(401);
    expect((await links(own.reference, { add: [other.reference], reason: 'r' }, {})).status).toBe(401);
    expect((await staffView(own.reference)).links).toEqual([]);
  });

  it("never suggests nor links another CSP's case", async () => {
    // Prepare
    const wirral = await apply(household('1 Oak Road', 'CH41 1AA', 'Motorbikes on the field', 'wirral'));

    // Act
    const suggestions = await api.get(`/api/cases/${own.reference}/link-suggestions`, officer);
    const change = await links(own.reference, { add: [wirral.reference], reason: 'Same bikes.' });
    const fromThere = await links(
      wirral.reference,
      { add: [own.reference], reason: 'Same bikes.' },
      otherOfficer,
    );

    // Assess
    const suggested = suggestions.body.suggestions.map(
      (suggestion: { reference: string }) => suggestion.reference,
    );
    expect(suggested).toContain(other.reference);
    expect(suggested).not.toContain(wirral.reference);
    expect(change.status).toBe(400);
    expect(change.body).toMatchObject({ error: 'validation', issues: [{ path: 'add.0' }] });
    expect(fromThere.status).toBe(400);
    expect((await staffView(own.reference)).links).toEqual([]);
  });

  it('answers 404 for a case that does not exist', async () => {
    const response = await links('LIV-0000-0000', { add: [own.reference], reason: 'r' });
    expect(response.status).toBe(404);
    expect(response.body.error).toBe('not-found');
  });
});

describe('bad input to POST /api/cases/{ref}/links', () => {
  let own: Submitted;
  let other: Submitted;

  beforeAll(async () => {
    own = await apply(household('1 Elm Road', 'L90 8AA', 'Quad bikes at night'));
    other = await apply(household('2 Elm Road', 'L90 8AA', 'Quad bikes at night'));
  }, 240_000);

  it('is a 400 naming the field, and changes nothing', async () => {
    // Prepare
    const before = await staffView(own.reference);
    const cases: [unknown, string][] = [
      [{ add: [other.reference] }, 'reason'],
      [{ add: [other.reference], reason: '   ' }, 'reason'],
      [{ add: [other.reference], reason: 'x'.repeat(10_001) }, 'reason'],
      [{ reason: 'r' }, 'add'],
      [{ add: other.reference, reason: 'r' }, 'add'],
      [{ add: ['not a reference'], reason: 'r' }, 'add.0'],
      [{ add: [42], reason: 'r' }, 'add.0'],
      [{ add: [own.reference.toLowerCase()], reason: 'r' }, 'add.0'],
      [{ add: ['LIV-0000-0000'], reason: 'r' }, 'add.0'],
      [{ add: [other.reference], remove: [other.reference], reason: 'r' }, 'remove.0'],
      [
        {
          add: Array.from({ length: 11 }, (_, n) => `LIV-0000-00${String(n).padStart(2, '0')}`),
          reason: 'r',
        },
        'add',
      ],
      [{ add: [other.reference], reason: 'r', because: 'typo' }, 'because'],
      [[other.reference], ''],
    ];

    for (const [body, path] of cases) {
      // Act
      const response = await links(own.reference, body);

      // Assess
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.body.error).toBe('validation');
      expect(response.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
    const after = await staffView(own.reference);
    expect(after.links).toEqual([]);
    expect(after.timeline).toEqual(before.timeline);
    expect((await staffView(other.reference)).links).toEqual([]);
  });

  it('accepts references as people type them', async () => {
    const typed = other.reference.toLowerCase().replace(/-/g, ' ');
    const response = await links(own.reference, { add: [typed], reason: 'Same quad bikes.' });
    expect(response.status).toBe(200);
    expect(response.body.links).toEqual([expect.objectContaining({ reference: other.reference })]);
  });
});
