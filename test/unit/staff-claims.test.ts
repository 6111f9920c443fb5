import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MERSEYSIDE } from '#core/area-config.ts';
import { handler } from '../../functions/auth/pre-token.ts';
import {
  NoStaffRoleError,
  OtherAreaError,
  SeveralStaffRolesError,
  StaffAgencyError,
  StaffCspError,
  staffClaims,
} from '../../functions/auth/staff-claims.ts';

describe('staffClaims', () => {
  it('makes an officer of the officer group, with the CSP and this area', () => {
    // Act
    const claims = staffClaims(
      { groups: ['officer'], attributes: { name: 'A Officer', 'custom:csp': 'sefton' } },
      MERSEYSIDE,
    );

    // Assess
    expect(claims).toEqual({ role: 'officer', name: 'A Officer', csp: 'sefton', pccArea: 'merseyside' });
  });

  it('gives an agency member their CSP and agency', () => {
    expect(
      staffClaims(
        {
          groups: ['agency'],
          attributes: { name: 'P C', 'custom:csp': 'wirral', 'custom:agency': 'police' },
        },
        MERSEYSIDE,
      ),
    ).toEqual({ role: 'agency', name: 'P C', csp: 'wirral', agency: 'police', pccArea: 'merseyside' });
  });

  it('gives the PCC office the area alone, whatever else the account carries', () => {
    expect(
      staffClaims(
        {
          groups: ['pcc'],
          attributes: { name: 'PCC Office', 'custom:csp': 'sefton', 'custom:pccArea': 'merseyside' },
        },
        MERSEYSIDE,
      ),
    ).toEqual({ role: 'pcc', name: 'PCC Office', pccArea: 'merseyside' });
  });

  it('ignores groups that are not staff roles', () => {
    expect(
      staffClaims({ groups: ['admins', 'officer'], attributes: { 'custom:csp': 'knowsley' } }, MERSEYSIDE)
        .role,
    ).toBe('officer');
  });

  it('refuses an account with no staff role, or with more than one', () => {
    expect(() => staffClaims({ groups: [], attributes: {} }, MERSEYSIDE)).toThrow(NoStaffRoleError);
    expect(() =>
      staffClaims({ groups: ['officer', 'pcc'], attributes: { 'custom:csp': 'sefton' } }, MERSEYSIDE),
    ).toThrow(SeveralStaffRolesError);
  });

  it('refuses an officer or agency member without a CSP of this area', () => {
    expect(() => staffClaims({ groups: ['officer'], attributes: {} }, MERSEYSIDE)).toThrow(StaffCspError);
    expect(() =>
      staffClaims({ groups: ['officer'], attributes: { 'custom:csp': 'coventry' } }, MERSEYSIDE),
    ).toThrow(StaffCspError);
  });

  it('refuses an agency member without a known agency', () => {
    expect(() =>
      staffClaims(
        { groups: ['agency'], attributes: { 'custom:csp': 'sefton', 'custom:agency': 'fire' } },
        MERSEYSIDE,
      ),
    ).toThrow(StaffAgencyError);
  });

  it('refuses an account of another police area', () => {
    expect(() =>
      staffClaims(
        { groups: ['officer'], attributes: { 'custom:csp': 'sefton', 'custom:pccArea': 'west-midlands' } },
        MERSEYSIDE,
      ),
    ).toThrow(OtherAreaError);
  });
});

describe('the pre-token-generation trigger', () => {
  const event = (groups: string[], attributes: Record<string, string>) =>
    ({
      version: '1',
      triggerSource: 'TokenGeneration_HostedAuth',
      region: 'eu-west-2',
      userPoolId: 'eu-west-2_example',
      userName: 'user',
      callerContext: { awsSdkVersion: '3', clientId: 'client' },
      request: { userAttributes: attributes, groupConfiguration: { groupsToOverride: groups } },
      response: { claimsOverrideDetails: {} },
    }) as unknown as PreTokenGenerationTriggerEvent;

  it('adds the staff claims to the ID token', async () => {
    // Act
    const result = await handler(event(['officer'], { name: 'A Officer', 'custom:csp': 'sefton' }));

    // Assess
    expect(result.response.claimsOverrideDetails.claimsToAddOrOverride).toEqual({
      role: 'officer',
      name: 'A Officer',
      csp: 'sefton',
      pccArea: 'merseyside',
    });
  });

  it('fails the sign-in for an account that is no staff member', async () => {
    await expect(handler(event([], { name: 'Someone' }))).rejects.toThrow(NoStaffRoleError);
  });
});
