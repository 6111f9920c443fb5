// Alarms on what needs a person: a case's execution that failed, a human step gone past its deadline,
// a function failing (a workflow step that cannot hand a notification over, the sign-in trigger),
// server errors, DynamoDB's own errors, and throttling anywhere on the path. Each is tuned to what one
// datapoint means: a stranded case or a failed sign-in alarms at once, transient errors that a retry
// absorbs only when they persist. They notify an encrypted SNS topic; a dashboard shows the same
// signals side by side.
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
import { Operation, type TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ServiceFunction } from '#infra/constructs/service-function.ts';
import {
  CASES_NEEDING_ATTENTION_METRIC as CASES_NEEDING_ATTENTION,
  EXECUTION_START_FAILURES_METRIC,
  METRICS_NAMESPACE,
  OVERDUE_TASKS_METRIC as OVERDUE_TASKS,
} from '#shared/metrics.ts';

/**
 * The metric the workflow's reminder step emits (functions/workflow/remind.ts), a count of 1 per
 * reminder about a human step past its deadline, with the workflow functions' Powertools service name
 * as its only dimension, `service`.
 */
export const OVERDUE_TASKS_METRIC = { namespace: METRICS_NAMESPACE, metricName: OVERDUE_TASKS } as const;

export interface MonitoringProps {
  /** Names the dashboard. */
  readonly name: string;
  /** Encrypts the alarm topic. */
  readonly logsKey: IKey;
  readonly alarmEmail?: string;
  /** The workflow functions' Powertools service name: the `service` dimension of their metrics. */
  readonly workflowServiceName: string;
  /** The area's id: the dimension of the count of first executions that could not be started. */
  readonly areaId: string;
  readonly stateMachine: StateMachine;
  readonly httpApi: HttpApi;
  readonly functions: readonly ServiceFunction[];
  /** Cognito's sign-in trigger: one failure is one member of staff locked out. */
  readonly signInTrigger: ServiceFunction;
  readonly tables: readonly TableV2[];
  /** The EventBridge rule matching this state machine's failed, timed-out and aborted executions. */
  readonly executionFailures: Rule;
}

const FIVE_MINUTES = Duration.minutes(5);

/** When an alarm fires: `threshold` or more in `datapoints` of the last `periods` periods. */
export interface AlarmTuning {
  readonly threshold: number;
  readonly periods: number;
  readonly datapoints: number;
}

/** One is enough: a stranded case, a member of staff who cannot sign in, a throttled step. */
const AT_ONCE: AlarmTuning = { threshold: 1, periods: 1, datapoints: 1 };
/** Errors a retry or the next request absorbs: only when they recur within a quarter of an hour. */
const WHEN_PERSISTENT: AlarmTuning = { threshold: 3, periods: 3, datapoints: 2 };

// The DynamoDB operations the functions use (functions/data/), whose server-side errors DynamoDB counts.
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `ASB case review alarms (${props.name})`,
      masterKey: props.logsKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const { stateMachine, httpApi } = props;
    // The rule's matches are the executions the reconciler was started for; Step Functions' own counts
    // stand beside them, so the alarm still sounds if the rule were ever disabled.
    const executionsNotSucceeded = new MathExpression({
      label: 'Executions failed, timed out or aborted',
      expression: 'MAX([matched, failed + timedOut + aborted])',
      usingMetrics: {
        matched: new Metric({
          namespace: 'AWS/Events',
          metricName: 'MatchedEvents',
          dimensionsMap: { RuleName: props.executionFailures.ruleName },
          statistic: 'Sum',
          period: FIVE_MINUTES,
        }),
        failed: stateMachine.metricFailed({ period: FIVE_MINUTES }),
        timedOut: stateMachine.metricTimedOut({ period: FIVE_MINUTES }),
        aborted: stateMachine.metricAborted({ period: FIVE_MINUTES }),
      },
      period: FIVE_MINUTES,
    });
    this.alarm(
      'FailedExecutions',
      executionsNotSucceeded,
      'A case review execution failed, timed out or was aborted: the reconciler has been started to resume it; ' +
        'check the case shows as needing attention and is waiting again',
      AT_ONCE,
    );
    const overdue = new Metric({
      namespace: OVERDUE_TASKS_METRIC.namespace,
      metricName: OVERDUE_TASKS_METRIC.metricName,
      dimensionsMap: { service: props.workflowServiceName },
      statistic: 'Sum',
      period: Duration.hours(1),
    });
    this.alarm('OverdueTasks', overdue, 'A human step of a case review is past its deadline', AT_ONCE);
    // Written by the workflow's catch-all step (functions/workflow/needs-attention.ts) and the reconciler,
    // 1 for each case newly marked: each is a case whose officer must look at it.
    const needingAttention = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: CASES_NEEDING_ATTENTION,
      dimensionsMap: { service: props.workflowServiceName },
      statistic: 'Sum',
      period: FIVE_MINUTES,
    });
    this.alarm(
      'CasesNeedingAttention',
      needingAttention,
      'A case was marked as needing attention (its workflow step failed or its execution stopped): see the ' +
        "case on its officer's worklist",
      AT_ONCE,
    );
    // A case stored whose first execution could not be started waits, unseen, until the next request
    // about it or the reconciler's daily run: one is a resident whose deadlines run with nothing moving.
    this.alarm(
      'ExecutionStartFailures',
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: EXECUTION_START_FAILURES_METRIC,
        dimensionsMap: { area: props.areaId },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
      'A case was stored but its review could not be started: run the reconciler (npm run reconcile) or look ' +
        'at the case; check Step Functions and the API functions’ logs for why',
      AT_ONCE,
    );
    const serverErrors = httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    this.alarm('ServerErrors', serverErrors, 'The API answered with 5xx repeatedly', WHEN_PERSISTENT);
    const executionThrottles = stateMachine.metricThrottled({ period: FIVE_MINUTES, statistic: 'Sum' });
    this.alarm(
      'ExecutionThrottles',
      executionThrottles,
      'Step Functions throttled the case review',
      WHEN_PERSISTENT,
    );
    // A case stored but not started (the API logs it and the next request or the reconciler starts it).
    this.alarm(
      'StartExecutionThrottles',
      new Metric({
        namespace: 'AWS/States',
        metricName: 'ThrottledEvents',
        dimensionsMap: { APIName: 'StartExecution' },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
      'Step Functions refused to start case review executions (throttled): the reconciler starts them next',
      WHEN_PERSISTENT,
    );
    for (const fn of [...props.functions, props.signInTrigger]) {
      this.alarm(
        `${fn.spec.id}Throttles`,
        fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `Lambda throttled the ${fn.spec.id} function`,
        WHEN_PERSISTENT,
      );
    }
    this.alarm(
      `${props.signInTrigger.spec.id}Errors`,
      props.signInTrigger.function.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
      'The sign-in trigger failed: staff cannot sign in',
      AT_ONCE,
    );
    for (const fn of props.functions) {
      const errors = fn.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' });
      if (fn.spec.workflow) {
        // Step Functions retries a failed step (six attempts over about two minutes); errors in two
        // periods running are a step that keeps failing, most often a notification Notify or SES refuses.
        this.alarm(
          `${fn.spec.id}Errors`,
          errors,
          `The ${fn.spec.id} workflow step keeps failing (a notification not handed over, or the case data)`,
          { threshold: 1, periods: 2, datapoints: 2 },
        );
      } else {
        this.alarm(
          `${fn.spec.id}Errors`,
          errors,
          `The ${fn.spec.id} function keeps failing`,
          WHEN_PERSISTENT,
        );
      }
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
        WHEN_PERSISTENT,
      );
      this.alarm(
        `${table.node.id}SystemErrors`,
        table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES }),
        `DynamoDB failed requests to ${table.node.id} on its side (HTTP 500)`,
        WHEN_PERSISTENT,
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
        right: [overdue, needingAttention],
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

  private alarm(id: string, metric: IMetric, description: string, tuning: AlarmTuning): void {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold: tuning.threshold,
      evaluationPeriods: tuning.periods,
      datapointsToAlarm: tuning.datapoints,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
