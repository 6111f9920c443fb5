import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MERSEYSIDE } from '#core/area-config.ts';
import {
  AreaConfigFileError,
  deploymentConfigFrom,
  EXAMPLE_NOTIFICATIONS,
  exampleNotificationSettings,
  InvalidContextError,
  NotificationSettingsFileError,
} from '#infra/deployment-config.ts';
import { readNotificationSettings } from '#shared/notification-settings.ts';
import { EXAMPLE_AREA, EXAMPLE_AREA_FILE } from '#test/support/example-area.ts';

const directory = mkdtempSync(join(tmpdir(), 'deployment-config-'));

function file(name: string, content: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const context = (values: Record<string, unknown>) => (key: string) => values[key];

const WEST_MIDLANDS = {
  id: 'west-midlands',
  name: 'West Midlands',
  reportingYear: 'financial',
  csps: [{ ...MERSEYSIDE.csps[0], id: 'coventry', name: 'Coventry' }],
};

const westMidlandsNotifications = {
  provider: 'ses',
  staff: {
    pcc: 'pcc@west-midlands.example',
    csps: {
      coventry: {
        officer: 'asb@coventry.example',
        manager: 'lead@coventry.example',
        agencies: {
          police: 'asb@west-midlands.police.example',
          council: 'asb-partners@coventry.example',
          'housing-provider': 'asb@whg.example',
          health: 'safeguarding@coventry-icb.example',
        },
      },
    },
  },
  ses: { fromAddress: 'no-reply@community-trigger.example' },
};

describe('deploymentConfigFrom', () => {
  it('deploys Merseyside to London with the example notification settings when given nothing', () => {
    // Act
    const config = deploymentConfigFrom(context({}));

    // Assess
    expect(config).toMatchObject({
      region: 'eu-west-2',
      area: MERSEYSIDE,
      notifications: readNotificationSettings(EXAMPLE_NOTIFICATIONS, MERSEYSIDE),
      exampleNotifications: true,
      authDomainPrefix: 'asb-case-review-merseyside',
      applicationRateLimit: 20,
    });
    expect(config.customDomain).toBeUndefined();
  });

  it('stands in example settings for any area given without notification settings, warning of them', () => {
    // Act
    const config = deploymentConfigFrom(context({ areaConfig: EXAMPLE_AREA_FILE }));

    // Assess
    expect(config.area).toEqual(EXAMPLE_AREA);
    expect(config.exampleNotifications).toBe(true);
    expect(config.notifications).toEqual(exampleNotificationSettings(EXAMPLE_AREA));
    expect(readNotificationSettings(config.notificationsFile, EXAMPLE_AREA)).toEqual(config.notifications);
    expect(Object.keys(config.notifications.staff.csps)).toEqual(EXAMPLE_AREA.csps.map((csp) => csp.id));
    expect(JSON.stringify(config.notifications)).not.toMatch(/merseyside|sefton/);
    expect(exampleNotificationSettings(MERSEYSIDE)).toEqual(
      readNotificationSettings(EXAMPLE_NOTIFICATIONS, MERSEYSIDE),
    );
  });

  it('takes the area and its notification settings from the files given', () => {
    // Prepare
    const values = {
      areaConfig: file('west-midlands.json', WEST_MIDLANDS),
      notifications: file('west-midlands-notifications.json', westMidlandsNotifications),
      applicationRateLimit: '50',
    };

    // Act
    const config = deploymentConfigFrom(context(values));

    // Assess
    expect(config.area.id).toBe('west-midlands');
    expect(config.notifications.provider).toBe('ses');
    expect(config.exampleNotifications).toBe(false);
    expect(config.applicationRateLimit).toBe(50);
    expect(config.authDomainPrefix).toBe('asb-case-review-west-midlands');
  });

  it('refuses an area configuration the domain rules reject, naming the file', () => {
    // Prepare
    const broken = file('broken-area.json', { ...WEST_MIDLANDS, reportingYear: 'academic' });

    // Act
    const act = () => deploymentConfigFrom(context({ areaConfig: broken }));

    // Assess
    expect(act).toThrow(AreaConfigFileError);
    expect(act).toThrow(/broken-area\.json.*reportingYear/);
  });

  it('refuses notification settings that leave a CSP of the area without mailboxes', () => {
    // Prepare
    const values = { areaConfig: file('area.json', WEST_MIDLANDS), notifications: EXAMPLE_NOTIFICATIONS };

    // Act
    const act = () => deploymentConfigFrom(context(values));

    // Assess
    expect(act).toThrow(NotificationSettingsFileError);
    expect(act).toThrow(/no mailboxes for coventry/);
  });

  it('takes a custom domain only with its us-east-1 certificate', () => {
    // Prepare
    const certificateArn =
      'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000';

    // Act
    const withBoth = deploymentConfigFrom(context({ domainName: 'asb.merseyside.example', certificateArn }));

    // Assess
    expect(withBoth.customDomain).toEqual({ domainName: 'asb.merseyside.example', certificateArn });
    expect(() => deploymentConfigFrom(context({ domainName: 'asb.merseyside.example' }))).toThrow(
      InvalidContextError,
    );
    expect(() =>
      deploymentConfigFrom(
        context({
          domainName: 'asb.merseyside.example',
          certificateArn: certificateArn.replace('us-east-1', 'eu-west-2'),
        }),
      ),
    ).toThrow(/us-east-1/);
  });

  it('takes a key administrator role, but never the role CloudFormation deploys with', () => {
    // Prepare
    const keyAdminRoleArn = 'arn:aws:iam::123456789012:role/security/asb-key-administrators';

    // Act
    const config = deploymentConfigFrom(context({ keyAdminRoleArn }));

    // Assess
    expect(config.keyAdminRoleArn).toBe(keyAdminRoleArn);
    expect(deploymentConfigFrom(context({})).keyAdminRoleArn).toBeUndefined();
    expect(() =>
      deploymentConfigFrom(context({ keyAdminRoleArn: 'arn:aws:iam::123456789012:user/key-admin' })),
    ).toThrow(/keyAdminRoleArn must be the ARN of an IAM role/);
    expect(() =>
      deploymentConfigFrom(
        context({
          keyAdminRoleArn:
            'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-2',
        }),
      ),
    ).toThrow(/CloudFormation execution role/);
  });

  it('names each setting it cannot use', () => {
    expect(() => deploymentConfigFrom(context({ applicationRateLimit: '5' }))).toThrow(
      /applicationRateLimit/,
    );
    expect(() => deploymentConfigFrom(context({ alarmEmail: 'not an address' }))).toThrow(/alarmEmail/);
    expect(() => deploymentConfigFrom(context({ authDomainPrefix: 'my-cognito-login' }))).toThrow(
      /authDomainPrefix/,
    );
    expect(() => deploymentConfigFrom(context({ region: 'London' }))).toThrow(/region/);
  });

  it("refuses a misspelt setting, naming the one it resembles, and leaves CDK's own keys alone", () => {
    // Prepare
    const given = {
      areaconfig: EXAMPLE_AREA_FILE,
      'alarm-email': 'ops@example.org',
      backupCopyVaultArns: 'arn:aws:backup:eu-west-2:123456789012:backup-vault:copy',
    };
    const cdks = {
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      'aws:cdk:enable-path-metadata': true,
      'availability-zones:account=123456789012:region=eu-west-2': ['eu-west-2a'],
    };
    const settings = { areaConfig: EXAMPLE_AREA_FILE, alarmEmail: 'ops@example.org' };
    const withKeys = (values: Record<string, unknown>) =>
      deploymentConfigFrom(context(values), Object.keys(values));

    // Act, Assess
    expect(() => withKeys({ ...given, ...cdks })).toThrow(
      new InvalidContextError([
        'areaconfig: not a setting; did you mean areaConfig?',
        'alarm-email: not a setting; did you mean alarmEmail?',
        'backupCopyVaultArns: not a setting; did you mean backupCopyVaultArn?',
      ]),
    );
    expect(withKeys({ ...settings, ...cdks })).toMatchObject({
      area: { id: EXAMPLE_AREA.id },
      alarmEmail: 'ops@example.org',
    });
  });
});
