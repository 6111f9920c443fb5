// The WAF web ACL in front of CloudFront. AWS only attaches a web ACL to a distribution from us-east-1,
// so it lives in a stack of its own there; the stateless stack reads its ARN across regions.
import { ArnFormat, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface EdgeStackProps extends StackProps {
  /** Names the ACL, its metrics and its log group. */
  readonly name: string;
  /** Applications accepted from one IP address in five minutes. */
  readonly applicationRateLimit: number;
}

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

export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
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
              // New applications, through the API or the pages' form.
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
                    { orStatement: { statements: [startsWith('/api/applications'), startsWith('/apply')] } },
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

    // WAF requires the log group's name to start with aws-waf-logs-. Secrets and sessions are redacted.
    const logs = new LogGroup(this, 'WafLogs', {
      logGroupName: `aws-waf-logs-asb-case-review-${props.name}`,
      retention: RetentionDays.THREE_MONTHS,
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
  }
}
