import { Duration, RemovalPolicy, Stack, type StackProps, Token, Validations } from 'aws-cdk-lib';
import {
  BackupPlan,
  BackupPlanRule,
  BackupResource,
  BackupVault,
  type IBackupVault,
} from 'aws-cdk-lib/aws-backup';
import { type Attribute, AttributeType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import { AnyPrincipal, Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type KeyAttribute, type TableSpec, tables } from '#data/table-specs.ts';
import {
  type KeyAdministrators,
  keyUseByAlarms,
  keyUseByLogs,
  keyUseByStateMachines,
  keyUseThroughServices,
  serviceKey,
} from '#infra/constructs/key-policies.ts';
import { SCAN_STATUS_TAG } from '#infra/evidence-events.ts';

/** The prefix of the cleaned evidence copies, which alone GuardDuty scans and the service serves. */
export const EVIDENCE_SCANNED_PREFIX = 'clean/';

/** A value as cdk-nag prints it in a finding's id: itself, or the pseudo parameter it stands for. */
const asNagPrintsIt = (value: string, pseudo: string) => (Token.isUnresolved(value) ? pseudo : value);

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

export interface StatefulStackProps extends StackProps {
  /** Whether the deployment sends through GOV.UK Notify, whose API key this stack keeps. */
  readonly notifyApiKey?: boolean;
  /**
   * A backup vault of another account in the same region (its ARN) to which each backup is copied, so
   * a compromise of this account cannot delete every copy.
   */
  readonly backupCopyVaultArn?: string;
  /** The area's id, which names the evidence bucket (bucket names are global). */
  readonly areaId?: string;
  /** Who administers the keys (infra/constructs/key-policies.ts); by default IAM decides. */
  readonly keyAdministrators?: KeyAdministrators;
}

/**
 * How long a backup is kept. Backups hold deleted cases' personal data for this long after their
 * retention date (the privacy notice says so), so it is short: long enough to notice a loss and restore.
 */
export const BACKUP_RETENTION = Duration.days(35);
/** The vault lock: no backup leaves earlier than a week, none stays longer than the retention. */
const BACKUP_MIN_RETENTION = Duration.days(7);
/** Until then the lock can still be changed or removed; afterwards it binds even the account's root. */
const BACKUP_LOCK_GRACE = Duration.days(3);

/**
 * What outlives every deployment: the tables, the keys that encrypt them and the logs, and the secrets
 * an operator sets once. Construct ids here never change, or CloudFormation would replace the resource
 * (and a table's data with it); every resource is retained if the stack is deleted.
 */
export class StatefulStack extends Stack {
  /** Encrypts the case data: tables, secrets, evidence, backups and the workflow's history. */
  readonly key: Key;
  /**
   * Encrypts the logs (the functions', the API's access logs, the workflow's) and the alarm topic: a
   * key of its own, which only CloudWatch uses, so that reading logs never needs the data key.
   */
  readonly logsKey: Key;
  readonly tables: ReadonlyMap<string, TableV2>;
  /** The GOV.UK Notify API key; its value is put in by an operator after the first deployment. */
  readonly notifyApiKey?: Secret;
  /** The secret from which the pages derive their CSRF and session-cookie keys. */
  readonly webSessionSecret: Secret;
  /** Daily backups of the tables, locked (AWS Backup). */
  readonly backupVault: BackupVault;
  /** Evidence files: uploads/ as sent, clean/ the checked copies that alone are served. */
  readonly evidenceBucket: Bucket;
  /**
   * The bucket's name, known without a reference to the bucket (so that the other stacks' policies on
   * its objects name it plainly), and that name as cdk-nag prints it, to acknowledge those policies.
   */
  readonly evidenceBucketName: { readonly value: string; readonly asNagPrintsIt: string };
  /** GuardDuty Malware Protection for S3 on the evidence bucket's cleaned copies. */
  readonly malwareProtection: CfnMalwareProtectionPlan;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    const administrators = props.keyAdministrators ?? {};
    this.key = serviceKey(this, 'DataKey', {
      description: 'Encrypts the ASB case review data',
      removalPolicy: RemovalPolicy.RETAIN,
      administrators,
      users: [
        keyUseThroughServices(this, ['dynamodb', 'secretsmanager', 's3', 'backup']),
        ...keyUseByStateMachines(this),
      ],
    });
    this.logsKey = serviceKey(this, 'LogsKey', {
      description: 'Encrypts the ASB case review logs and alarm notifications',
      removalPolicy: RemovalPolicy.RETAIN,
      administrators,
      users: [
        keyUseByLogs(this, { sid: 'CloudWatchLogsOfThisAccount', logGroup: '*', match: 'ArnLike' }),
        keyUseByAlarms(this),
      ],
    });
    this.tables = new Map(tables.map((spec) => [spec.id, this.table(spec)]));
    if (props.notifyApiKey) {
      this.notifyApiKey = new Secret(this, 'NotifyApiKey', {
        description: 'GOV.UK Notify API key (put the live key here after the first deployment)',
        encryptionKey: this.key,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(this.notifyApiKey).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'GOV.UK Notify issues API keys only in its own admin interface and offers no API to create or ' +
          'revoke them, so Secrets Manager cannot rotate this key; operators rotate it by hand (create a ' +
          'new key in Notify, put it here, revoke the old one) as the README describes.',
      });
    }
    this.webSessionSecret = new Secret(this, 'WebSessionSecret', {
      description: 'Root secret of the pages: CSRF and session-cookie keys are derived from it',
      encryptionKey: this.key,
      // Letters and digits only, so the value reads as base64 (48 bytes), as the pages expect.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.backupVault = this.backup(props.backupCopyVaultArn);
    const bucketName = (account: string) => `asb-evidence-${props.areaId ?? 'local'}-${account}`;
    this.evidenceBucketName = {
      value: bucketName(this.account),
      asNagPrintsIt: bucketName(asNagPrintsIt(this.account, '<AWS::AccountId>')),
    };
    this.evidenceBucket = this.evidence(this.evidenceBucketName.value);
    this.malwareProtection = this.scanEvidence(this.evidenceBucketName);
    Validations.of(this.webSessionSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by hand as the README describes (a new value staged as AWSPENDING, made current five ' +
        'minutes later), which signs nobody out; a rotation function would add nothing to those two ' +
        'commands. The value never leaves AWS and is readable only by the page functions.',
    });
  }

  // Point-in-time recovery (35 days, to the second) is the first way back; these daily backups, in a
  // locked vault and optionally copied to another account, are the way back when the table itself or
  // this account is lost.
  private backup(copyVaultArn: string | undefined): BackupVault {
    const vault = new BackupVault(this, 'BackupVault', {
      encryptionKey: this.key,
      lockConfiguration: {
        minRetention: BACKUP_MIN_RETENTION,
        maxRetention: BACKUP_RETENTION,
        changeableFor: BACKUP_LOCK_GRACE,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const copyTo: IBackupVault | undefined =
      copyVaultArn === undefined
        ? undefined
        : BackupVault.fromBackupVaultArn(this, 'BackupCopyVault', copyVaultArn);
    const plan = new BackupPlan(this, 'BackupPlan', { backupVault: vault });
    plan.addRule(
      new BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: Schedule.cron({ hour: '2', minute: '0' }),
        deleteAfter: BACKUP_RETENTION,
        ...(copyTo && { copyActions: [{ destinationBackupVault: copyTo, deleteAfter: BACKUP_RETENTION }] }),
      }),
    );
    const selection = plan.addSelection('Tables', {
      resources: [...this.tables.values()].map((table) => BackupResource.fromArn(table.tableArn)),
    });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        "AWS Backup's own role policy for taking backups, which AWS keeps current with the services it " +
        'backs up; the role is assumed only by backup.amazonaws.com and selects only these tables.',
    });
    return vault;
  }

  /**
   * The evidence files, encrypted with the case key, private, TLS only and versioned. An upload as sent
   * (a photo with its location, say) is kept a day, long enough to be checked and cleaned; the cleaned
   * copies are deleted, every version, by the case's retention. Object events go to EventBridge, where
   * the stateless stack's rule sends uploads/ to their processing.
   */
  private evidence(bucketName: string): Bucket {
    const bucket = new Bucket(this, 'EvidenceBucket', {
      bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      eventBridgeEnabled: true,
      lifecycleRules: [
        {
          id: 'UploadsAsSent',
          prefix: 'uploads/',
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'IncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Every object is written through a presigned POST the service issues for one case and one file, and ' +
        'read only through a 60-second presigned link issued after the download is written to the case ' +
        "timeline and audit trail; that audit is the record of access. Server access logs would hold each file's " +
        'case reference in a second, unaudited store.',
    });
    // CDK turns on the bucket's EventBridge notifications through a function of its own at deployment.
    const notifications = this.node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notifications) {
      Validations.of(notifications).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's own deployment-time function that turns on the evidence bucket's EventBridge notifications; " +
          'it runs only during a deployment and writes only its own logs with this policy.',
      });
    }
    return bucket;
  }

  /**
   * GuardDuty Malware Protection for S3 scans every object written under clean/ (the only copies ever
   * served) and tags it with its result (GuardDutyMalwareScanStatus); the result's event records the
   * verdict on the case (the stateless stack's rule). An object tagged THREATS_FOUND is quarantined: the
   * bucket refuses to serve it to anyone, whatever the case records. Its role holds what GuardDuty
   * documents for a protected bucket, narrowed to clean/.
   */
  private scanEvidence(bucketName: StatefulStack['evidenceBucketName']): CfnMalwareProtectionPlan {
    const { partition, region, account } = this;
    const bucket = this.evidenceBucket;
    // Named plainly (not by reference), as the other stacks name the bucket's objects.
    const bucketArn = `arn:${partition}:s3:::${bucketName.value}`;
    const cleaned = `${bucketArn}/${EVIDENCE_SCANNED_PREFIX}*`;
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NeverServeAThreat',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [cleaned],
        conditions: { StringEquals: { [`s3:ExistingObjectTag/${SCAN_STATUS_TAG}`]: 'THREATS_FOUND' } },
      }),
    );
    const role = new Role(this, 'MalwareProtectionRole', {
      assumedBy: new ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
      description: 'Lets GuardDuty Malware Protection scan and tag the cleaned evidence files',
    });
    const managedRule = `arn:${partition}:events:${region}:${account}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`;
    const policy = new Policy(this, 'MalwareProtectionPolicy', {
      roles: [role],
      statements: [
        new PolicyStatement({
          sid: 'ManagedRuleForTheBucketEvents',
          actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
          resources: [managedRule],
          conditions: {
            StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' },
          },
        }),
        new PolicyStatement({
          sid: 'WatchTheManagedRule',
          actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
          resources: [managedRule],
        }),
        new PolicyStatement({
          sid: 'BucketEventsAndListing',
          actions: ['s3:PutBucketNotification', 's3:GetBucketNotification', 's3:ListBucket'],
          resources: [bucketArn],
        }),
        new PolicyStatement({
          sid: 'ValidationObject',
          actions: ['s3:PutObject'],
          resources: [`${bucketArn}/malware-protection-resource-validation-object`],
        }),
        new PolicyStatement({
          sid: 'ScanAndTagCleanedCopies',
          actions: [
            's3:GetObject',
            's3:GetObjectVersion',
            's3:GetObjectTagging',
            's3:GetObjectVersionTagging',
            's3:PutObjectTagging',
            's3:PutObjectVersionTagging',
          ],
          resources: [cleaned],
        }),
        new PolicyStatement({
          sid: 'KeyThroughS3',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
      ],
    });
    const plan = new CfnMalwareProtectionPlan(this, 'EvidenceMalwareProtection', {
      role: role.roleArn,
      protectedResource: {
        s3Bucket: { bucketName: bucketName.value, objectPrefixes: [EVIDENCE_SCANNED_PREFIX] },
      },
      actions: { tagging: { status: 'ENABLED' } },
    });
    // The plan checks its role's permissions when it is created.
    plan.node.addDependency(policy);
    for (const resource of [
      `Resource::arn:<AWS::Partition>:events:${asNagPrintsIt(region, '<AWS::Region>')}:${asNagPrintsIt(account, '<AWS::AccountId>')}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`,
      `Resource::arn:<AWS::Partition>:s3:::${bucketName.asNagPrintsIt}/${EVIDENCE_SCANNED_PREFIX}*`,
    ]) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[${resource}]`,
        reason:
          'GuardDuty Malware Protection names its own EventBridge rule for the bucket with this prefix, and scans ' +
          'and tags every object it is given, which are all under clean/: the policy is what GuardDuty documents ' +
          'for a protected bucket, narrowed to that prefix and to the key through S3.',
      });
    }
    return plan;
  }

  private table(spec: TableSpec): TableV2 {
    return new TableV2(this, spec.id, {
      partitionKey: attribute(spec.partitionKey),
      ...(spec.sortKey && { sortKey: attribute(spec.sortKey) }),
      globalSecondaryIndexes: spec.globalIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey && { sortKey: attribute(index.sortKey) }),
      })),
      ...(spec.ttlAttribute && { timeToLiveAttribute: spec.ttlAttribute }),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
