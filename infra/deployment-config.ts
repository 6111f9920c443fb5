// What one deployment is for: the PCC area (its CSPs, thresholds and deadlines) and the few settings
// that differ between areas and accounts. All of it is input to the CDK app (`-c name=value`), so one
// codebase deploys once per police area and nothing area-specific is written into the stacks.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type AreaConfig, MERSEYSIDE, validateAreaConfig } from '#core/area-config.ts';
import { type NotificationSettings, readNotificationSettings } from '#shared/notification-settings.ts';

export interface CustomDomain {
  /** The name the public uses, e.g. `community-trigger.merseyside.example.gov.uk`. */
  readonly domainName: string;
  /** An ACM certificate for that name, issued in us-east-1 (CloudFront only reads certificates there). */
  readonly certificateArn: string;
  /**
   * The API's own regional custom domain, CloudFront's origin in place of the `execute-api` address,
   * which is then turned off: `origin.<domainName>` with an ACM certificate in the deployment's region.
   */
  readonly origin?: { readonly domainName: string; readonly certificateArn: string };
}

/** The shape of the notification settings, for Merseyside: mailboxes under the reserved `.example` domain. */
export const EXAMPLE_NOTIFICATIONS = join(import.meta.dirname, 'config/notifications.example.json');

/**
 * What stands in when no notification settings are given, so that any area synthesises: the example
 * file's provider and placeholder Notify templates, with `.example` mailboxes for the area's PCC office
 * and for each of its CSPs (for Merseyside, the example file itself).
 */
export function exampleNotificationSettings(area: AreaConfig): NotificationSettings {
  const example = JSON.parse(readFileSync(EXAMPLE_NOTIFICATIONS, 'utf8')) as NotificationSettings;
  return {
    ...example,
    staff: {
      pcc: `pcc-office@${area.id}-pcc.example`,
      csps: Object.fromEntries(
        area.csps.map((csp) => [
          csp.id,
          {
            officer: `asb-team@${csp.id}.example`,
            manager: `asb-manager@${csp.id}.example`,
            agencies: {
              police: `asb-police@${csp.id}.example`,
              council: `asb-council@${csp.id}.example`,
              'housing-provider': `asb-housing@${csp.id}.example`,
              health: `asb-health@${csp.id}.example`,
            },
          },
        ]),
      ),
    },
  };
}

function writeExampleNotifications(area: AreaConfig): string {
  const file = join(mkdtempSync(join(tmpdir(), 'asb-notifications-')), 'notifications.example.json');
  writeFileSync(file, JSON.stringify(exampleNotificationSettings(area)));
  return file;
}

export interface DeploymentConfig {
  /** The AWS region of the data and the service (the WAF alone sits in us-east-1). */
  readonly region: string;
  readonly area: AreaConfig;
  readonly notifications: NotificationSettings;
  /** The validated settings' file, which the workflow functions' bundles carry. */
  readonly notificationsFile: string;
  /** True when the example settings stand in (fine for synth, not for a deployment people rely on). */
  readonly exampleNotifications: boolean;
  /** Where the alarms go; without it the topic has no subscriber until an operator adds one. */
  readonly alarmEmail?: string;
  /** Without a custom domain CloudFront serves its own *.cloudfront.net name. */
  readonly customDomain?: CustomDomain;
  /** The prefix of the user pool's sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`). */
  readonly authDomainPrefix: string;
  /** A sign-in domain of the area's own in place of the prefixed Cognito one (certificate in us-east-1). */
  readonly authCustomDomain?: CustomDomain;
  /** Applications accepted from one IP address in five minutes before the WAF blocks it. */
  readonly applicationRateLimit: number;
  /**
   * Concurrent instances reserved for each function: `default` (infra/reserved-concurrency.ts, suited
   * to an account with the standard 1,000), one number for every function, or `off`.
   */
  readonly reservedConcurrency: 'default' | 'off' | number;
  /** Another account's backup vault (same region) that every backup is copied to. */
  readonly backupCopyVaultArn?: string;
  /**
   * The IAM role that alone (with CloudFormation's execution role) administers the service's keys, and
   * may not use them; without it, IAM decides who administers them (never the service's own roles).
   */
  readonly keyAdminRoleArn?: string;
  /**
   * The version of the origin secret CloudFront sends (its VersionId in Secrets Manager): a new value
   * here makes the deployment move CloudFront to a rotated value; the current version when absent.
   */
  readonly originSecretVersion?: string;
}

export class DeploymentConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeploymentConfigError';
  }
}

export class AreaConfigFileError extends DeploymentConfigError {
  readonly path: string;

  constructor(path: string, options?: ErrorOptions) {
    super(`Cannot use the area configuration in ${path}: ${describe(options?.cause)}`, options);
    this.name = 'AreaConfigFileError';
    this.path = path;
  }
}

export class NotificationSettingsFileError extends DeploymentConfigError {
  readonly path: string;

  constructor(path: string, options?: ErrorOptions) {
    super(`Cannot use the notification settings in ${path}: ${describe(options?.cause)}`, options);
    this.name = 'NotificationSettingsFileError';
    this.path = path;
  }
}

export class InvalidContextError extends DeploymentConfigError {
  constructor(issues: readonly string[], options?: ErrorOptions) {
    super(`Invalid deployment settings: ${issues.join('; ')}`, options);
    this.name = 'InvalidContextError';
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Reads `-c areaConfig=<file.json>` (relative to the working directory); Merseyside when absent. */
export function loadAreaConfig(path: string | undefined): AreaConfig {
  if (path === undefined) return MERSEYSIDE;
  const file = resolve(path);
  try {
    return validateAreaConfig(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new AreaConfigFileError(file, { cause: error });
  }
}

// CDK context values arrive as strings from the command line and as JSON values from cdk.json.
const contextSchema = z.strictObject({
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'region must be an AWS region such as eu-west-2' })
    .optional(),
  areaConfig: z.string().min(1).optional(),
  notifications: z.string().min(1).optional(),
  alarmEmail: z.email({ error: 'alarmEmail must be an email address' }).optional(),
  domainName: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
      error: 'domainName must be a lower-case DNS name',
    })
    .optional(),
  certificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/, {
      error:
        'certificateArn must be an ACM certificate in us-east-1 (CloudFront reads certificates only there)',
    })
    .optional(),
  authDomainName: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
      error: 'authDomainName must be a lower-case DNS name',
    })
    .optional(),
  authCertificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/, {
      error:
        'authCertificateArn must be an ACM certificate in us-east-1 (Cognito reads certificates only there)',
    })
    .optional(),
  authDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: 'authDomainPrefix must be lower-case letters, digits and hyphens',
    })
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
      error: 'authDomainPrefix may not contain aws, amazon or cognito',
    })
    .optional(),
  applicationRateLimit: z.coerce
    .number()
    .int()
    .min(10, { error: 'applicationRateLimit must be at least 10 (the WAF minimum)' })
    .max(2_000_000_000)
    .optional(),
  reservedConcurrency: z
    .union([
      z.literal('off'),
      z.coerce
        .number()
        .int()
        .min(1, { error: 'reservedConcurrency must be off or a whole number from 1' })
        .max(100),
    ])
    .optional(),
  originCertificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, {
      error: 'originCertificateArn must be an ACM certificate',
    })
    .optional(),
  originSecretVersion: z
    .string()
    .regex(/^[A-Za-z0-9-]{32,64}$/, { error: "originSecretVersion must be a secret's VersionId" })
    .optional(),
  backupCopyVaultArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[A-Za-z0-9_.-]+$/, {
      error: 'backupCopyVaultArn must be the ARN of a backup vault',
    })
    .optional(),
  keyAdminRoleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
      error: 'keyAdminRoleArn must be the ARN of an IAM role',
    })
    // Denied every use of the keys, CloudFormation's own role could no longer create an encrypted table.
    .refine((arn) => !/\/cdk-[a-z0-9]+-cfn-exec-role-/.test(arn), {
      error:
        "keyAdminRoleArn must not be CDK's CloudFormation execution role, which uses the keys as it deploys",
    })
    .optional(),
});

const CONTEXT_KEYS = Object.keys(contextSchema.shape) as readonly (keyof typeof contextSchema.shape)[];

/** Letters and digits only, lower-case: `area-config`, `AreaConfig` and `areaconfig` are one. */
const folded = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** How many letters must be added, removed or changed to make one text the other. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The setting a context key was most likely meant to be, when it is not one: a key read by nothing would
 * leave its setting at the default without a word (Merseyside for `-c areaconfig=…`, no alarm email, no
 * backup copy). CDK's own keys (`@aws-cdk/…`, `aws:cdk:…`, lookups `…:account=…`) are never settings.
 */
function meantSetting(key: string): string | undefined {
  if (key.startsWith('@') || key.includes(':') || (CONTEXT_KEYS as readonly string[]).includes(key)) {
    return undefined;
  }
  return CONTEXT_KEYS.find(
    (setting) => folded(setting) === folded(key) || editDistance(folded(setting), folded(key)) <= 2,
  );
}

/**
 * The deployment's settings from the CDK context (`-c key=value`). `keys`, every key the context holds,
 * lets a misspelt setting be refused, naming the one it resembles; other keys are CDK's and ignored.
 */
export function deploymentConfigFrom(
  context: (key: string) => unknown,
  keys: readonly string[] = [],
): DeploymentConfig {
  const misspelt = keys.flatMap((key) => {
    const setting = meantSetting(key);
    return setting === undefined ? [] : [`${key}: not a setting; did you mean ${setting}?`];
  });
  if (misspelt.length > 0) throw new InvalidContextError(misspelt);
  const raw = Object.fromEntries(
    CONTEXT_KEYS.map((key) => [key, context(key)]).filter(([, value]) => value !== undefined),
  );
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidContextError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      { cause: parsed.error },
    );
  }
  const settings = parsed.data;
  if ((settings.domainName === undefined) !== (settings.certificateArn === undefined)) {
    throw new InvalidContextError(['domainName and certificateArn go together: give both or neither']);
  }
  if ((settings.authDomainName === undefined) !== (settings.authCertificateArn === undefined)) {
    throw new InvalidContextError([
      'authDomainName and authCertificateArn go together: give both or neither',
    ]);
  }
  if (settings.originCertificateArn !== undefined && settings.domainName === undefined) {
    throw new InvalidContextError([
      'originCertificateArn is for the API behind domainName: give domainName too',
    ]);
  }
  const region = settings.region ?? 'eu-west-2';
  if (settings.originCertificateArn !== undefined && settings.originCertificateArn.split(':')[3] !== region) {
    throw new InvalidContextError([
      `originCertificateArn must be an ACM certificate in ${region}, where the API's regional domain is`,
    ]);
  }
  const area = loadAreaConfig(settings.areaConfig);
  const notificationsFile =
    settings.notifications === undefined ? writeExampleNotifications(area) : resolve(settings.notifications);
  let notifications: NotificationSettings;
  try {
    notifications = readNotificationSettings(notificationsFile, area);
  } catch (error) {
    throw new NotificationSettingsFileError(notificationsFile, { cause: error });
  }
  return {
    region,
    area,
    notifications,
    notificationsFile,
    exampleNotifications: settings.notifications === undefined,
    ...(settings.alarmEmail && { alarmEmail: settings.alarmEmail }),
    ...(settings.domainName &&
      settings.certificateArn && {
        customDomain: {
          domainName: settings.domainName,
          certificateArn: settings.certificateArn,
          ...(settings.originCertificateArn && {
            origin: {
              domainName: `origin.${settings.domainName}`,
              certificateArn: settings.originCertificateArn,
            },
          }),
        },
      }),
    authDomainPrefix: settings.authDomainPrefix ?? `asb-case-review-${area.id}`,
    ...(settings.authDomainName &&
      settings.authCertificateArn && {
        authCustomDomain: {
          domainName: settings.authDomainName,
          certificateArn: settings.authCertificateArn,
        },
      }),
    applicationRateLimit: settings.applicationRateLimit ?? 20,
    reservedConcurrency: settings.reservedConcurrency ?? 'default',
    ...(settings.backupCopyVaultArn && { backupCopyVaultArn: settings.backupCopyVaultArn }),
    ...(settings.originSecretVersion && { originSecretVersion: settings.originSecretVersion }),
    ...(settings.keyAdminRoleArn && { keyAdminRoleArn: settings.keyAdminRoleArn }),
  };
}
