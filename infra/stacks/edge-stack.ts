// The WAF web ACL in front of CloudFront. AWS only attaches a web ACL to a distribution from us-east-1,
// so it lives in a stack of its own there; the stateless stack reads its ARN across regions. What must
// sit in us-east-1 beside it lives here too: a key of its own for the WAF's logs (IP addresses and
// paths) and the edge's alarm topic, and the alarm on a flood of blocked requests.
import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import {
  type KeyAdministrators,
  keyUseByAlarms,
  keyUseByLogs,
  serviceKey,
} from '#infra/constructs/key-policies.ts';

export interface EdgeStackProps extends StackProps {
  /** Names the ACL, its metrics and its log group. */
  readonly name: string;
  /** Applications accepted from one IP address in five minutes. */
  readonly applicationRateLimit: number;
  /** Where the edge's alarms go, as the service's alarms. */
  readonly alarmEmail?: string;
  /** Who administers the edge key, as the stateful stack's keys. */
  readonly keyAdministrators?: KeyAdministrators;
}

/** Requests blocked in five minutes, in two of three periods running, that are more than background noise. */
const BLOCKED_REQUESTS_ALARM = 500;

/** Any request from one IP address in five minutes, beyond which the address is blocked for a while. */
const OVERALL_RATE_LIMIT = 1000;
const RATE_WINDOW_SECONDS = 300;

const TOO_MANY = 'tooManyRequests';

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const managedRuleGroup = (
  name: string,
  priority: number,
  ruleActionOverrides?: CfnWebACL.RuleActionOverrideProperty[],
): CfnWebACL.RuleProperty => ({
  name: `AWS-${name}`,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides } },
  visibilityConfig: visibility(name),
});

const tooManyRequests: CfnWebACL.RuleActionProperty = {
  block: { customResponse: { responseCode: 429, customResponseBodyKey: TOO_MANY } },
};

const startsWith = (path: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: path,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

/** The pages' last step of an application, whose POST sends it (functions/web/pages/apply.ts). */
export const FINAL_APPLY_STEP = '/apply/check';

const exactly = (path: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'EXACTLY',
    searchString: path,
    textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
  },
});

export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;
  /** Encrypts the WAF's logs and the edge's alarm topic (us-east-1: a key is regional). */
  readonly key: Key;
  /** The alarms of us-east-1 (the WAF, CloudFront) notify here. */
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    // WAF requires the log group's name to start with aws-waf-logs-. Secrets and sessions are redacted.
    const logGroupName = `aws-waf-logs-asb-case-review-${props.name}`;
    // Used by CloudWatch alone: Logs for the WAF's log group only, alarms for the encrypted topic.
    this.key = serviceKey(this, 'EdgeKey', {
      description: 'Encrypts the ASB case review WAF logs and edge alarms',
      removalPolicy: RemovalPolicy.RETAIN,
      administrators: props.keyAdministrators ?? {},
      users: [
        keyUseByLogs(this, {
          sid: 'CloudWatchLogsOfTheWafLogGroup',
          logGroup: logGroupName,
          match: 'ArnEquals',
        }),
        keyUseByAlarms(this),
      ],
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `asb-case-review-${props.name}`,
      description: 'ASB case review: managed protections and rate limits',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`asb-case-review-${props.name}`),
      customResponseBodies: {
        [TOO_MANY]: {
          contentType: 'APPLICATION_JSON',
          // The contract's error shape, so a client sees the same 429 as from the service itself.
          content: JSON.stringify({
            error: 'too-many-requests',
            message: 'Too many requests from your network. Try again in a few minutes.',
          }),
        },
      },
      rules: [
        managedRuleGroup('AWSManagedRulesAmazonIpReputationList', 0),
        // Applications and decisions are long free text (up to 1 MB in all), far over the common rule
        // set's 8 KB body limit: that one rule only counts, the service enforces its own limits.
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 1, [
          { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
        ]),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 2),
        {
          name: 'ApplicationsRateLimit',
          priority: 3,
          action: tooManyRequests,
          statement: {
            rateBasedStatement: {
              limit: props.applicationRateLimit,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
              // The final submission only (through the API, or the pages' "send" on the check-answers
              // page): every step of the pages' form before it is free, so several residents behind one
              // library or council address are never blocked half-way through an application.
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    {
                      byteMatchStatement: {
                        fieldToMatch: { method: {} },
                        positionalConstraint: 'EXACTLY',
                        searchString: 'POST',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                    {
                      orStatement: {
                        statements: [startsWith('/api/applications'), exactly(FINAL_APPLY_STEP)],
                      },
                    },
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility('ApplicationsRateLimit'),
        },
        {
          name: 'OverallRateLimit',
          priority: 4,
          action: tooManyRequests,
          statement: {
            rateBasedStatement: {
              limit: OVERALL_RATE_LIMIT,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('OverallRateLimit'),
        },
      ],
    });

    const logs = new LogGroup(this, 'WafLogs', {
      logGroupName,
      retention: RetentionDays.THREE_MONTHS,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group's ARN without the `:*` that CloudFormation's Arn attribute ends with.
      logDestinationConfigs: [
        this.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logs.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: ['authorization', 'x-access-code', 'cookie'].map((name) => ({
        singleHeader: { Name: name },
      })),
    });

    this.topic = new Topic(this, 'EdgeAlarmTopic', {
      displayName: `ASB case review edge alarms (${props.name})`,
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const blocked = new Alarm(this, 'BlockedRequests', {
      metric: new Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: this.webAcl.name as string, Rule: 'ALL' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      alarmDescription:
        'The WAF blocked many requests in two of three five-minute periods: an attack, or residents behind ' +
        'one network caught by a rate limit',
      threshold: BLOCKED_REQUESTS_ALARM,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    blocked.addAlarmAction(new SnsAction(this.topic));
    blocked.addOkAction(new SnsAction(this.topic));
  }
}
