/**
 * A valid application body as the contract shows it, received on 1 June 2015, for tests to vary one
 * field at a time.
 */
export const NOW = new Date('2015-06-01T10:00:00Z');
export const CSP_IDS = ['knowsley', 'liverpool', 'sefton', 'st-helens', 'wirral'] as const;

export function validIncident(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    occurredOn: '2015-05-01',
    reportedOn: '2015-05-02',
    reportedTo: 'police',
    reference: 'MP/15/1234',
    description: 'Loud music and shouting from the flat above until 3am.',
    hateMotivated: false,
    ...overrides,
  };
}

export function validApplicant(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Sam Resident',
    email: 'sam@example.com',
    phone: '07700 900 982',
    address: 'Flat 2, 12 Acacia Avenue, Bootle',
    postcode: 'L20 1AA',
    contactPreference: 'email',
    ...overrides,
  };
}

export function validApplication(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    csp: 'sefton',
    victimType: 'individual',
    applicant: validApplicant(),
    description: 'Noise from the flat above most nights since March.',
    impact: 'I cannot sleep and my children are frightened.',
    incidents: [validIncident()],
    consentToShare: true,
    ...overrides,
  };
}
