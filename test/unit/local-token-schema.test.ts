import { describe, expect, it } from 'vitest';
import { localTokenSchema, validate } from '#core/schemas.ts';

const schema = localTokenSchema({ cspIds: ['sefton', 'wirral'], pccAreas: ['merseyside'] });

describe('localTokenSchema', () => {
  it('accepts the contract example for an officer', () => {
    expect(validate(schema, { role: 'officer', csp: 'sefton', name: 'A Officer' })).toEqual({
      success: true,
      data: { role: 'officer', csp: 'sefton', name: 'A Officer' },
    });
  });

  it('accepts an agency representative of one CSP and one agency', () => {
    expect(
      validate(schema, {
        role: 'agency',
        csp: 'wirral',
        agency: 'health',
        name: 'A Nurse',
        pccArea: 'merseyside',
      }),
    ).toEqual({
      success: true,
      data: { role: 'agency', csp: 'wirral', agency: 'health', name: 'A Nurse', pccArea: 'merseyside' },
    });
  });

  it('accepts the PCC office without a CSP', () => {
    expect(validate(schema, { role: 'pcc', name: 'PCC Office' })).toEqual({
      success: true,
      data: { role: 'pcc', name: 'PCC Office' },
    });
  });

  it('asks an officer for a CSP of the area', () => {
    expect(validate(schema, { role: 'officer', name: 'A', csp: 'leeds' })).toEqual({
      success: false,
      issues: [{ path: 'csp', message: 'Select the CSP: sefton, wirral' }],
    });
    expect(validate(schema, { role: 'officer', name: 'A' })).toEqual({
      success: false,
      issues: [{ path: 'csp', message: 'Select the CSP: sefton, wirral' }],
    });
  });

  it('asks an agency representative for the agency', () => {
    expect(validate(schema, { role: 'agency', name: 'A', csp: 'sefton' })).toEqual({
      success: false,
      issues: [{ path: 'agency', message: 'Select the agency: police, council, housing-provider or health' }],
    });
  });

  it('refuses an agency for an officer', () => {
    expect(validate(schema, { role: 'officer', name: 'A', csp: 'sefton', agency: 'police' })).toEqual({
      success: false,
      issues: [
        { path: 'agency', message: 'agency is not something we ask for. Check the spelling or remove it' },
      ],
    });
  });

  it('refuses an unknown role or police area', () => {
    expect(validate(schema, { role: 'admin', name: 'A' })).toEqual({
      success: false,
      issues: [{ path: 'role', message: 'Select the role: officer, agency, pcc' }],
    });
    expect(validate(schema, { role: 'pcc', name: 'A', pccArea: 'cheshire' })).toEqual({
      success: false,
      issues: [{ path: 'pccArea', message: 'Select the police area: merseyside' }],
    });
  });

  it('refuses a body that is not an object', () => {
    expect(validate(schema, 'officer')).toEqual({
      success: false,
      issues: [{ path: '', message: 'Send the token request as a JSON object' }],
    });
  });
});
