import { describe, expect, it } from 'vitest';
import {
  type AreaConfig,
  cspById,
  cspIds,
  cspReferencePrefix,
  DEFAULT_DEADLINES,
  DEFAULT_REVIEW_DEADLINES,
  InvalidAreaConfigError,
  isCspOf,
  MERSEYSIDE,
  PAN_MERSEYSIDE_THRESHOLD,
  requireCsp,
  reviewDeadlinesOf,
  UnknownCspError,
  validateAreaConfig,
} from '#core/area-config.ts';

interface EditableCsp {
  id: string;
  deadlines: Record<string, number>;
  contact: Record<string, unknown>;
  threshold: {
    routeA: Record<string, number>;
    routeB: Record<string, number>;
    routeC: Record<string, number>;
    complaintWithinMonthsOfBehaviour: number;
    complaintsToHealthQualify?: unknown;
  };
  [key: string]: unknown;
}
interface EditableConfig {
  name: string;
  reportingYear: string;
  csps: EditableCsp[];
  [key: string]: unknown;
}

/** An unshared deep copy of Merseyside (its CSPs share objects) with one change applied. */
function merseysideWith(
  change: (config: EditableConfig, csp: (index: number) => EditableCsp) => void,
): unknown {
  const config = JSON.parse(JSON.stringify(MERSEYSIDE)) as EditableConfig;
  change(config, (index) => {
    const csp = config.csps[index];
    if (csp === undefined) throw new Error(`no CSP at ${index}`);
    return csp;
  });
  return config;
}

function issuesOf(input: unknown): readonly { path: string; message: string }[] {
  try {
    validateAreaConfig(input);
  } catch (error) {
    if (error instanceof InvalidAreaConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('the Merseyside default', () => {
  it('has the five CSPs with their names, reporting by financial year', () => {
    // Prepare, Act, Assess
    expect(MERSEYSIDE.id).toBe('merseyside');
    expect(MERSEYSIDE.reportingYear).toBe('financial');
    expect(MERSEYSIDE.csps.map((csp) => [csp.id, csp.name])).toEqual([
      ['knowsley', 'Knowsley'],
      ['liverpool', 'Liverpool'],
      ['sefton', 'Sefton'],
      ['st-helens', 'St Helens'],
      ['wirral', 'Wirral'],
    ]);
  });

  it('uses the default deadlines in working days everywhere', () => {
    // Prepare, Act, Assess
    expect(DEFAULT_DEADLINES).toEqual({
      acknowledge: 2,
      thresholdDecision: 10,
      reviewOutcome: 20,
      outcomeSent: 5,
      referralWindow: 20,
      pccDecision: 20,
    });
    for (const csp of MERSEYSIDE.csps) expect(csp.deadlines).toEqual(DEFAULT_DEADLINES);
  });

  it('uses the pan-Merseyside threshold, with 3 months for route C in St Helens', () => {
    // Prepare, Act, Assess
    expect(PAN_MERSEYSIDE_THRESHOLD).toEqual({
      routeA: { complaints: 3, withinMonths: 6 },
      routeB: { people: 5, withinMonths: 6 },
      routeC: { hateIncidents: 1, withinMonths: 6 },
      complaintWithinMonthsOfBehaviour: 1,
      complaintsToHealthQualify: false,
    });
    expect(requireCsp(MERSEYSIDE, 'st-helens').threshold.routeC).toEqual({
      hateIncidents: 1,
      withinMonths: 3,
    });
    expect(requireCsp(MERSEYSIDE, 'st-helens').threshold.routeA).toEqual(PAN_MERSEYSIDE_THRESHOLD.routeA);
    for (const id of ['knowsley', 'liverpool', 'sefton', 'wirral']) {
      expect(requireCsp(MERSEYSIDE, id).threshold).toEqual(PAN_MERSEYSIDE_THRESHOLD);
    }
  });

  it('passes validation', () => {
    // Prepare, Act, Assess
    expect(validateAreaConfig(MERSEYSIDE)).toEqual(MERSEYSIDE);
  });
});

describe('validateAreaConfig', () => {
  it('refuses a route A threshold above the statutory three complaints', () => {
    // Prepare
    const config = merseysideWith((_, csp) => {
      csp(2).threshold.routeA.complaints = 4;
    });

    // Act
    const issues = issuesOf(config);

    // Assess
    expect(issues).toEqual([
      {
        path: 'csps.2.threshold.routeA.complaints',
        message:
          'must be at most 3 (statute: the threshold may not be more than three qualifying complaints)',
      },
    ]);
  });

  it('refuses a zero or fractional number of complaints', () => {
    // Prepare
    const zero = merseysideWith((_, csp) => {
      csp(0).threshold.routeA.complaints = 0;
    });
    const fraction = merseysideWith((_, csp) => {
      csp(0).threshold.routeC.hateIncidents = 1.5;
    });

    // Act, Assess
    expect(issuesOf(zero)[0]?.message).toBe('must be at least 1');
    expect(issuesOf(fraction)[0]?.path).toBe('csps.0.threshold.routeC.hateIncidents');
  });

  it('refuses more than six months between complaint and application', () => {
    // Prepare
    const config = merseysideWith((_, csp) => {
      csp(1).threshold.routeB.withinMonths = 7;
    });

    // Act, Assess
    expect(issuesOf(config)[0]).toMatchObject({
      path: 'csps.1.threshold.routeB.withinMonths',
      message: expect.stringContaining('six months'),
    });
  });

  it('refuses a complaint window other than one month of the behaviour', () => {
    // Prepare
    const config = merseysideWith((c) => {
      (
        c.csps[1]?.threshold as { complaintWithinMonthsOfBehaviour: number }
      ).complaintWithinMonthsOfBehaviour = 2;
    });

    // Act, Assess
    expect(issuesOf(config)[0]?.message).toContain('one month of the behaviour');
  });

  it('counts complaints to health where a CSP says so, and not where its file is silent', () => {
    // Prepare
    const config = merseysideWith((_, csp) => {
      csp(0).threshold.complaintsToHealthQualify = true;
      delete csp(1).threshold.complaintsToHealthQualify;
    });
    const wrong = merseysideWith((_, csp) => {
      csp(2).threshold.complaintsToHealthQualify = 'yes';
    });

    // Act
    const [knowsley, liverpool] = validateAreaConfig(config).csps;

    // Assess
    expect(knowsley?.threshold.complaintsToHealthQualify).toBe(true);
    expect(liverpool?.threshold.complaintsToHealthQualify).toBe(false);
    expect(issuesOf(wrong)).toEqual([
      { path: 'csps.2.threshold.complaintsToHealthQualify', message: 'must be true or false' },
    ]);
  });

  it('refuses deadlines that are not whole working days', () => {
    // Prepare
    const config = merseysideWith((_, csp) => {
      csp(3).deadlines.thresholdDecision = 0;
      csp(3).deadlines.pccDecision = 2.5;
    });

    // Act, Assess
    expect(issuesOf(config).map((issue) => issue.path)).toEqual([
      'csps.3.deadlines.thresholdDecision',
      'csps.3.deadlines.pccDecision',
    ]);
  });

  it('refuses duplicate CSP ids, bad ids and an empty CSP list', () => {
    // Prepare
    const duplicate = merseysideWith((_, csp) => {
      csp(4).id = 'sefton';
    });
    const badId = merseysideWith((_, csp) => {
      csp(0).id = 'St Helens';
    });
    const empty = merseysideWith((c) => {
      c.csps = [];
    });

    // Act, Assess
    expect(issuesOf(duplicate)).toEqual([{ path: 'csps.4.id', message: "duplicate CSP id 'sefton'" }]);
    expect(issuesOf(badId)[0]?.message).toContain('lower-case');
    expect(issuesOf(empty)).toEqual([{ path: 'csps', message: 'must list at least one CSP' }]);
  });

  it('names what a missing or misspelt part must hold', () => {
    // Prepare
    const misspelt = merseysideWith((_, csp) => {
      csp(0).deadline = csp(0).deadlines;
      delete (csp(0) as Partial<EditableCsp>).deadlines;
      delete (csp(1).threshold as Partial<EditableCsp['threshold']>).routeB;
    });
    const noCsps = merseysideWith((c) => {
      delete (c as Partial<EditableConfig>).csps;
    });

    // Act, Assess
    expect(issuesOf(misspelt)).toEqual([
      {
        path: 'csps.0.deadlines',
        message: expect.stringMatching(/^must give the deadlines in working days: acknowledge, /),
      },
      { path: 'csps.0', message: 'Unrecognized key: "deadline"' },
      { path: 'csps.1.threshold.routeB', message: 'must give route B: people and withinMonths' },
    ]);
    expect(issuesOf(noCsps)).toEqual([{ path: 'csps', message: 'must list the CSPs' }]);
  });

  it('refuses a CSP id with fewer than three letters, since its case references begin with three', () => {
    // Prepare
    const short = merseysideWith((_, csp) => {
      csp(0).id = 'k2';
      csp(1).id = 'l-1-2-3';
    });

    // Act, Assess
    expect(issuesOf(short)).toEqual([
      { path: 'csps.0.id', message: expect.stringContaining('at least three letters') },
      { path: 'csps.1.id', message: expect.stringContaining('at least three letters') },
    ]);
    expect(MERSEYSIDE.csps.map((csp) => cspReferencePrefix(csp.id))).toEqual([
      'KNO',
      'LIV',
      'SEF',
      'STH',
      'WIR',
    ]);
  });

  it('refuses an unknown reporting year kind, unknown keys and a non-object', () => {
    // Prepare
    const kind = merseysideWith((c) => {
      c.reportingYear = 'academic';
    });
    const extra = merseysideWith((c) => {
      c.colour = 'blue';
    });

    // Act, Assess
    expect(issuesOf(kind)).toEqual([{ path: 'reportingYear', message: "must be 'financial' or 'calendar'" }]);
    expect(issuesOf(extra)[0]?.path).toBe('');
    expect(() => validateAreaConfig(null)).toThrow(InvalidAreaConfigError);
  });

  it('names every problem in the error message', () => {
    // Prepare
    const config = merseysideWith((c) => {
      c.name = '';
    });

    // Act, Assess
    expect(() => validateAreaConfig(config)).toThrow(/name: Area name must not be empty/);
  });
});

describe('CSP lookup', () => {
  it('finds a CSP by id, or says which id is unknown', () => {
    // Prepare
    const area: AreaConfig = MERSEYSIDE;

    // Act, Assess
    expect(cspById(area, 'wirral')?.name).toBe('Wirral');
    expect(cspById(area, 'halton')).toBeUndefined();
    expect(isCspOf(area, 'knowsley')).toBe(true);
    expect(isCspOf(area, 'halton')).toBe(false);
    expect(cspIds(area)).toEqual(['knowsley', 'liverpool', 'sefton', 'st-helens', 'wirral']);
    expect(() => requireCsp(area, 'halton')).toThrow(UnknownCspError);
    expect(() => requireCsp(area, 'halton')).toThrow("No CSP 'halton' in area 'merseyside'");
  });
});

describe('the case review contact and clocks', () => {
  it("gives every Merseyside CSP a team, a phone number and a postal address, and St Helens' published mailbox", () => {
    // Prepare, Act, Assess
    for (const csp of MERSEYSIDE.csps) {
      expect(csp.contact.team, csp.id).toMatch(/\S/);
      expect(csp.contact.phone, csp.id).toMatch(/^0\d{3,4} \d{3} ?\d{3,4}$/);
      expect(csp.contact.address, csp.id).toMatch(/, [A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/);
    }
    expect(requireCsp(MERSEYSIDE, 'st-helens').contact).toEqual({
      team: 'St Helens Council Safer Communities team',
      phone: '01744 676789',
      email: 'communitytrigger@sthelens.gov.uk',
      address: 'St Helens Council, Town Hall, Victoria Square, St Helens, WA10 1HP',
    });
  });

  it('gives 5 working days to comment on a draft plan and 10 for agencies, unless a CSP sets its own', () => {
    // Prepare
    const config = merseysideWith((_, csp) => {
      csp(1).deadlines.consultation = 7;
      csp(1).deadlines.agencyInformation = 8;
    });

    // Act
    const [knowsley, liverpool] = validateAreaConfig(config).csps;

    // Assess
    expect(DEFAULT_REVIEW_DEADLINES).toEqual({ consultation: 5, agencyInformation: 10 });
    expect(knowsley && reviewDeadlinesOf(knowsley)).toEqual({ consultation: 5, agencyInformation: 10 });
    expect(liverpool && reviewDeadlinesOf(liverpool)).toEqual({ consultation: 7, agencyInformation: 8 });
  });

  it('refuses review clocks that are not whole working days', () => {
    // Prepare
    const config = merseysideWith((_, csp) => {
      csp(0).deadlines.consultation = 0;
      csp(0).deadlines.agencyInformation = 61;
    });

    // Act, Assess
    expect(issuesOf(config)).toEqual([
      { path: 'csps.0.deadlines.consultation', message: 'must be at least 1' },
      { path: 'csps.0.deadlines.agencyInformation', message: 'must be at most 60 working days' },
    ]);
  });

  it('refuses a CSP without a contact, naming what a contact needs', () => {
    // Prepare
    const config = merseysideWith((_, csp) => {
      delete (csp(2) as { contact?: unknown }).contact;
    });

    // Act, Assess
    expect(issuesOf(config)).toEqual([
      {
        path: 'csps.2.contact',
        message: "must give the CSP's case review contact: team, phone, postal address and any email",
      },
    ]);
  });

  it('refuses a contact with a blank team, a phone that is not a number or an email that is not one', () => {
    // Prepare
    const config = merseysideWith((_, csp) => {
      csp(3).contact.team = '  ';
      csp(3).contact.phone = 'ring the council';
      csp(3).contact.email = 'community trigger at st helens';
      csp(3).contact.address = '';
      csp(3).contact.fax = '01744 000000';
    });

    // Act
    const issues = issuesOf(config);

    // Assess
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'csps.3.contact',
      'csps.3.contact.address',
      'csps.3.contact.email',
      'csps.3.contact.phone',
      'csps.3.contact.team',
    ]);
    expect(issues).toContainEqual({
      path: 'csps.3.contact.phone',
      message: 'must be a UK telephone number, like 01632 960 001, or an international one starting with +',
    });
    expect(issues).toContainEqual({
      path: 'csps.3.contact.team',
      message: 'The case review team must not be empty',
    });
  });

  it('keeps a contact without an email, and trims what it keeps', () => {
    // Prepare
    const config = merseysideWith((_, csp) => {
      csp(0).contact = { team: ' ASB team ', phone: ' +44 151 000 0000 ', address: 'Town Hall, L1 1AA' };
    });

    // Act
    const contact = validateAreaConfig(config).csps[0]?.contact;

    // Assess
    expect(contact).toEqual({ team: 'ASB team', phone: '+44 151 000 0000', address: 'Town Hall, L1 1AA' });
  });
});
