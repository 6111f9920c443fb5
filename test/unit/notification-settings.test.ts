import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MERSEYSIDE } from '#core/area-config.ts';
import { EXAMPLE_NOTIFICATIONS } from '#infra/deployment-config.ts';
import {
  InvalidNotificationSettingsError,
  readNotificationSettings,
  recipientMailbox,
  staffMailbox,
  UnreadableNotificationSettingsError,
  validateNotificationSettings,
} from '#shared/notification-settings.ts';

const settings = readNotificationSettings(EXAMPLE_NOTIFICATIONS, MERSEYSIDE);

describe('notification settings', () => {
  it('reads the example settings for Merseyside', () => {
    expect(settings.provider).toBe('govuk-notify');
    expect(Object.keys(settings.staff.csps).sort()).toEqual(MERSEYSIDE.csps.map((csp) => csp.id).sort());
  });

  it('finds the mailbox of each kind of staff recipient', () => {
    expect(staffMailbox(settings, 'officer', 'sefton')).toBe('asb-team@sefton.example');
    expect(staffMailbox(settings, 'manager', 'sefton')).toBe('asb-manager@sefton.example');
    expect(staffMailbox(settings, 'pcc', 'sefton')).toBe('pcc-office@merseyside-pcc.example');
    expect(() => staffMailbox(settings, 'officer', 'coventry')).toThrow(InvalidNotificationSettingsError);
  });

  it("finds each agency's mailbox in its CSP, and asks for every agency's", () => {
    // Prepare
    const police = { kind: 'agency', reference: 'SEF-1', csp: 'sefton', agency: 'police' } as const;
    const { health: _dropped, ...threeAgencies } = settings.staff.csps.sefton?.agencies ?? {};
    const withoutHealth = {
      ...settings,
      staff: {
        ...settings.staff,
        csps: { ...settings.staff.csps, sefton: { ...settings.staff.csps.sefton, agencies: threeAgencies } },
      },
    };

    // Act, Assess
    expect(recipientMailbox(settings, police)).toBe('asb-police@sefton.example');
    expect(recipientMailbox(settings, { ...police, kind: 'manager' })).toBe('asb-manager@sefton.example');
    expect(() => validateNotificationSettings(withoutHealth, MERSEYSIDE)).toThrow(
      /staff.csps.sefton.agencies.health/,
    );
  });

  it('asks for the settings of the provider chosen', () => {
    // Prepare
    const { govukNotify: _dropped, ...withoutTemplates } = settings;

    // Act
    const act = () => validateNotificationSettings(withoutTemplates, MERSEYSIDE);

    // Assess
    expect(act).toThrow(/govukNotify: is needed/);
    expect(() => validateNotificationSettings({ ...settings, provider: 'ses' }, MERSEYSIDE)).toThrow(
      /ses: is needed/,
    );
  });

  it('refuses template ids that are not Notify ids and CSPs the area does not have', () => {
    expect(() =>
      validateNotificationSettings(
        { ...settings, govukNotify: { templates: { email: 'welcome', sms: 'x', letter: 'y' } } },
        MERSEYSIDE,
      ),
    ).toThrow(/govukNotify.templates.email/);
    expect(() =>
      validateNotificationSettings(
        {
          ...settings,
          staff: {
            ...settings.staff,
            csps: {
              ...settings.staff.csps,
              coventry: { ...settings.staff.csps.sefton, officer: 'a@b.example', manager: 'c@d.example' },
            },
          },
        },
        MERSEYSIDE,
      ),
    ).toThrow(/coventry is not a CSP of merseyside/);
  });

  it('says which file it could not read, and why', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'notifications-')), 'broken.json');
    writeFileSync(broken, '{"provider": "ses",');

    expect(() => readNotificationSettings('/nowhere/settings.json', MERSEYSIDE)).toThrow(
      UnreadableNotificationSettingsError,
    );
    expect(() => readNotificationSettings('/nowhere/settings.json', MERSEYSIDE)).toThrow(
      /in \/nowhere\/settings\.json: ENOENT/,
    );
    expect(() => readNotificationSettings(broken, MERSEYSIDE)).toThrow(new RegExp(`in ${broken}: .*JSON`));
  });
});
