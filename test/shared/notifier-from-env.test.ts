import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MERSEYSIDE } from '#core/area-config.ts';
import { EXAMPLE_NOTIFICATIONS } from '#infra/deployment-config.ts';
import { areaConfigFromEnv, DeployedAreaConfigError } from '#shared/deployed-area.ts';
import { notifierFromEnv } from '#shared/notifier-from-env.ts';
import { notifierOnFirstUse } from '#shared/notifier-on-first-use.ts';
import { NotifierSettingError } from '#shared/notifier-settings.ts';

const directory = mkdtempSync(join(tmpdir(), 'notifier-env-'));

describe('notifierFromEnv', () => {
  it('writes to the outbox on one machine', async () => {
    // Prepare
    const notifier = notifierFromEnv({ DATA_DIR: directory }, () => new Date('2015-06-01T10:00:00Z'));

    // Act
    await notifier.notify({
      to: { kind: 'officer', reference: 'SEF-7K3M-Q9XD', csp: 'sefton' },
      template: 'case-withdrawn',
      facts: { fearOfReprisal: false },
      key: 'withdrawn',
    });

    // Assess
    expect(readdirSync(join(directory, 'outbox'))).toHaveLength(1);
  });

  it('builds the GOV.UK Notify and SES notifiers from the bundled settings', () => {
    expect(() =>
      notifierFromEnv({
        NOTIFIER: 'govuk-notify',
        NOTIFY_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:notify',
        NOTIFICATION_SETTINGS_FILE: EXAMPLE_NOTIFICATIONS,
      }),
    ).not.toThrow();
    expect(() =>
      notifierFromEnv({ NOTIFIER: 'ses', NOTIFICATION_SETTINGS_FILE: EXAMPLE_NOTIFICATIONS }),
    ).toThrow(/ses: is needed/);
  });

  it('names the setting that is missing or wrong', () => {
    expect(() =>
      notifierFromEnv({ NOTIFIER: 'govuk-notify', NOTIFICATION_SETTINGS_FILE: EXAMPLE_NOTIFICATIONS }),
    ).toThrow(NotifierSettingError);
    expect(() => notifierFromEnv({})).toThrow(/DATA_DIR/);
    expect(() => notifierFromEnv({ NOTIFIER: 'pigeon' })).toThrow(/NOTIFIER must be/);
  });
});

describe('notifierOnFirstUse', () => {
  it('fails when the function starts on a setting missing or wrong, not at its first message', () => {
    expect(() => notifierOnFirstUse({})).toThrow(/DATA_DIR/);
    expect(() => notifierOnFirstUse({ NOTIFIER: 'pigeon' })).toThrow(/NOTIFIER must be/);
    expect(() =>
      notifierOnFirstUse({ NOTIFIER: 'govuk-notify', NOTIFICATION_SETTINGS_FILE: EXAMPLE_NOTIFICATIONS }),
    ).toThrow(NotifierSettingError);
    expect(() => notifierOnFirstUse({ NOTIFIER: 'ses' })).toThrow(/NOTIFICATION_SETTINGS_FILE/);
    expect(() =>
      notifierOnFirstUse({ NOTIFIER: 'ses', NOTIFICATION_SETTINGS_FILE: EXAMPLE_NOTIFICATIONS }),
    ).toThrow(/ses: is needed/);
  });

  it('sends through the notifier its settings choose', async () => {
    // Prepare
    const outbox = mkdtempSync(join(tmpdir(), 'notifier-first-use-'));
    const notifier = notifierOnFirstUse({ DATA_DIR: outbox });

    // Act
    await notifier.notify({
      to: { kind: 'officer', reference: 'SEF-7K3M-Q9XD', csp: 'sefton' },
      template: 'case-withdrawn',
      facts: { fearOfReprisal: false },
      key: 'withdrawn',
    });

    // Assess
    expect(readdirSync(join(outbox, 'outbox'))).toHaveLength(1);
  });
});

describe('areaConfigFromEnv', () => {
  it('is Merseyside on one machine and the bundled file in AWS', () => {
    // Prepare
    const file = join(directory, 'area-config.json');
    writeFileSync(file, JSON.stringify({ ...MERSEYSIDE, name: 'Merseyside (bundled)' }));

    // Act and assess
    expect(areaConfigFromEnv({})).toBe(MERSEYSIDE);
    expect(areaConfigFromEnv({ AREA_CONFIG_FILE: file }).name).toBe('Merseyside (bundled)');
  });

  it('fails loudly on a missing or invalid file', () => {
    // Prepare
    const invalid = join(directory, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ ...MERSEYSIDE, csps: [] }));

    // Act and assess
    expect(() => areaConfigFromEnv({ AREA_CONFIG_FILE: join(directory, 'absent.json') })).toThrow(
      DeployedAreaConfigError,
    );
    expect(() => areaConfigFromEnv({ AREA_CONFIG_FILE: invalid })).toThrow(DeployedAreaConfigError);
  });
});
