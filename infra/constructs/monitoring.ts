// Alarms on what needs a person: a case's execution that failed, a human step gone past its deadline,
// server errors, and throttling anywhere on the path. They notify an encrypted SNS topic; a dashboard
// shows the same signals side by side.
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ServiceFunction } from '#infra/constructs/service-function.ts';
import { METRICS_NAMESPACE, OVERDUE_TASKS_METRIC as OVERDUE_TASKS } from '#shared/metrics.ts';

/**
 * The metric the workflow's reminder step emits (functions/workflow/remind.ts), a count of 1 per
 * reminder about a human step past its deadline, with the workflow functions' Powertools service name
 * as its only dimension, `service`.
 */
export const OVERDUE_TASKS_METRIC = { namespace: METRICS_NAMESPACE, metricName: OVERDUE_TASKS } as const;

export interface MonitoringProps {
  /** Names the dashboard. */
  readonly name: string;
  readonly key: IKey;
  readonly alarmEmail?: string;
  /** The workflow functions' Powertools service name: the `service` dimension of their metrics. */
  readonly workflowServiceName: string;
  readonly stateMachine: StateMachine;
  readonly httpApi: HttpApi;
  readonly functions: readonly ServiceFunction[];
  readonly tables: readonly TableV2[];
}

const FIVE_MINUTES = Duration.minutes(5);

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `ASB case review alarms (${props.name})`,
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const { stateMachine, httpApi } = props;
    const executionsNotSucceeded = new MathExpression({
      label: 'Executions failed, timed out or aborted',
      expression: 'failed + timedOut + aborted',
      usingMetrics: {
        failed: stateMachine.metricFailed({ period: FIVE_MINUTES }),
        timedOut: stateMachine.metricTimedOut({ period: FIVE_MINUTES }),
        aborted: stateMachine.metricAborted({ period: FIVE_MINUTES }),
      },
      period: FIVE_MINUTES,
    });
    this.alarm(
      'FailedExecutions',
      executionsNotSucceeded,
      'A case review execution failed, timed out or was aborted',
    );
    const overdue = new Metric({
      namespace: OVERDUE_TASKS_METRIC.namespace,
      metricName: OVERDUE_TASKS_METRIC.metricName,
      dimensionsMap: { service: props.workflowServiceName },
      statistic: 'Sum',
      period: Duration.hours(1),
    });
    this.alarm('OverdueTasks', overdue, 'A human step of a case review is past its deadline');
    const serverErrors = httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    this.alarm('ServerErrors', serverErrors, 'The API answered with a 5xx');
    const executionThrottles = stateMachine.metricThrottled({ period: FIVE_MINUTES, statistic: 'Sum' });
    this.alarm('ExecutionThrottles', executionThrottles, 'Step Functions throttled the case review');
    for (const fn of props.functions) {
      this.alarm(
        `${fn.spec.id}Throttles`,
        fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `Lambda throttled the ${fn.spec.id} function`,
      );
    }
    for (const table of props.tables) {
      this.alarm(
        `${table.node.id}Throttles`,
        new MathExpression({
          label: 'Read and write throttle events',
          expression: 'reads + writes',
          usingMetrics: {
            reads: table.metric('ReadThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
            writes: table.metric('WriteThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
          },
          period: FIVE_MINUTES,
        }),
        `DynamoDB throttled ${table.node.id}`,
      );
    }

    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `asb-case-review-${props.name}` });
    dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
      new GraphWidget({
        title: 'Case reviews',
        left: [
          stateMachine.metricStarted({ period: FIVE_MINUTES }),
          stateMachine.metricSucceeded({ period: FIVE_MINUTES }),
          executionsNotSucceeded,
        ],
        right: [overdue],
        width: 12,
      }),
      new GraphWidget({
        title: 'API',
        left: [
          httpApi.metricCount({ period: FIVE_MINUTES }),
          httpApi.metricClientError({ period: FIVE_MINUTES }),
          serverErrors,
        ],
        right: [httpApi.metricLatency({ period: FIVE_MINUTES, statistic: 'p95' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'Function errors',
        left: props.functions.map((fn) =>
          fn.function.metricErrors({ period: FIVE_MINUTES, label: fn.spec.id }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Function duration (p95)',
        left: props.functions.map((fn) =>
          fn.function.metricDuration({ period: FIVE_MINUTES, statistic: 'p95', label: fn.spec.id }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'DynamoDB capacity consumed',
        left: props.tables.flatMap((table) => [
          table.metricConsumedReadCapacityUnits({ period: FIVE_MINUTES, label: `${table.node.id} reads` }),
          table.metricConsumedWriteCapacityUnits({ period: FIVE_MINUTES, label: `${table.node.id} writes` }),
        ]),
        width: 24,
      }),
    );
  }

  private alarm(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
