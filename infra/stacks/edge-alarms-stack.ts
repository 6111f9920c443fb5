// CloudFront publishes its metrics in us-east-1 only, and an alarm watches metrics of its own region,
// so the alarm on CloudFront's server errors lives in a stack there. It comes after the stateless stack
// (it reads the distribution's id across regions) and notifies the edge stack's topic.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface EdgeAlarmsStackProps extends StackProps {
  readonly distributionId: string;
  readonly topic: ITopic;
}

/** Per cent of responses that are 5xx, for a quarter of an hour, that is more than a passing fault. */
const SERVER_ERROR_RATE = 5;

export class EdgeAlarmsStack extends Stack {
  readonly serverErrors: Alarm;

  constructor(scope: Construct, id: string, props: EdgeAlarmsStackProps) {
    super(scope, id, props);
    this.serverErrors = new Alarm(this, 'CloudFrontServerErrors', {
      metric: new Metric({
        namespace: 'AWS/CloudFront',
        metricName: '5xxErrorRate',
        dimensionsMap: { DistributionId: props.distributionId, Region: 'Global' },
        statistic: 'Average',
        period: Duration.minutes(5),
      }),
      alarmDescription: 'CloudFront answered 5xx to more than 5% of requests for a quarter of an hour',
      threshold: SERVER_ERROR_RATE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.serverErrors.addAlarmAction(new SnsAction(props.topic));
    this.serverErrors.addOkAction(new SnsAction(props.topic));
  }
}
