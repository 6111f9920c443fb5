import { describe, expect, it } from 'vitest';
import { scheduleTimes, UnsupportedScheduleError } from '#local/schedule-expressions.ts';
import {
  eventOf,
  handleSchedulesRequest,
  type LocalSchedule,
  startScheduler,
  type Timers,
} from '#local/schedules.ts';

const next = (expression: string, after: string, timeZone?: string) =>
  scheduleTimes('Test', expression, timeZone).next(new Date(after))?.toISOString();

describe('scheduleTimes', () => {
  it('runs a daily cron at its hour on the wall clock of its time zone, in winter and in summer', () => {
    expect(next('cron(0 3 * * ? *)', '2026-12-06T08:48:00Z', 'Europe/London')).toBe(
      '2026-12-07T03:00:00.000Z',
    );
    expect(next('cron(0 3 * * ? *)', '2026-06-01T12:00:00Z', 'Europe/London')).toBe(
      '2026-06-02T02:00:00.000Z',
    );
    expect(next('cron(0 3 * * ? *)', '2026-06-01T12:00:00Z')).toBe('2026-06-02T03:00:00.000Z');
  });

  it('runs strictly after the moment given, so a run at its time is followed by the next day', () => {
    expect(next('cron(0 6 * * ? *)', '2026-12-07T06:00:00Z', 'Europe/London')).toBe(
      '2026-12-08T06:00:00.000Z',
    );
  });

  it('skips a time the clocks jump over in spring, and runs the next day', () => {
    // 29 March 2026: the UK's clocks go from 01:00 GMT to 02:00 BST, so 01:30 never happens.
    expect(next('cron(30 1 * * ? *)', '2026-03-28T12:00:00Z', 'Europe/London')).toBe(
      '2026-03-30T00:30:00.000Z',
    );
  });

  it('reads lists, ranges, steps and the names of months and days', () => {
    // 2026-12-05 is a Saturday.
    expect(next('cron(0 9 ? * MON-FRI *)', '2026-12-05T10:00:00Z')).toBe('2026-12-07T09:00:00.000Z');
    expect(next('cron(*/20 * * * ? *)', '2026-12-05T10:41:00Z')).toBe('2026-12-05T11:00:00.000Z');
    expect(next('cron(15,45 8 1 JAN,JUL ? 2027)', '2026-12-05T10:00:00Z')).toBe('2027-01-01T08:15:00.000Z');
    expect(next('cron(0 0 1 1 ? 2020)', '2026-12-05T10:00:00Z')).toBeUndefined();
  });

  it('runs a rate from when it started counting', () => {
    const times = scheduleTimes('Test', 'rate(6 hours)', 'UTC', new Date('2026-12-05T10:00:00Z'));
    expect(times.next(new Date('2026-12-05T10:00:00Z'))?.toISOString()).toBe('2026-12-05T16:00:00.000Z');
    expect(times.next(new Date('2026-12-05T17:00:00Z'))?.toISOString()).toBe('2026-12-05T22:00:00.000Z');
  });

  it('refuses, naming the schedule, what it would not run as AWS does', () => {
    for (const [expression, timeZone] of [
      ['cron(0 3 L * ? *)', 'UTC'],
      ['cron(0 3 ? * 6#3 *)', 'UTC'],
      ['cron(0 3 * * * *)', 'UTC'],
      ['cron(0 3 * * ?)', 'UTC'],
      ['cron(0 24 * * ? *)', 'UTC'],
      ['at(2027-01-01T00:00:00)', 'UTC'],
      ['rate(0 days)', 'UTC'],
      ['cron(0 3 * * ? *)', 'Europe/Atlantis'],
    ] as const) {
      expect(() => scheduleTimes('Nightly', expression, timeZone), expression).toThrow(
        UnsupportedScheduleError,
      );
      expect(() => scheduleTimes('Nightly', expression, timeZone)).toThrow(/^The schedule Nightly /);
    }
  });
});

/** Timers the test fires by hand, and a clock it moves. */
function manualTime(start: string) {
  let now = new Date(start);
  const pending = new Map<number, { callback: () => void; at: number }>();
  let id = 0;
  const timers: Timers = {
    set(callback, delayMs) {
      id += 1;
      pending.set(id, { callback, at: now.getTime() + delayMs });
      return id;
    },
    clear: (handle) => pending.delete(handle as number),
  };
  /** Moves the clock to `to`, firing each timer due on the way, in order. */
  const advance = async (to: string) => {
    const end = new Date(to).getTime();
    for (;;) {
      // What the last callback started (a failed attempt arming its retry) runs first.
      await new Promise((resolve) => setImmediate(resolve));
      const due = [...pending.entries()]
        .filter(([, timer]) => timer.at <= end)
        .sort((a, b) => a[1].at - b[1].at);
      const [first] = due;
      if (!first) break;
      pending.delete(first[0]);
      now = new Date(Math.max(now.getTime(), first[1].at));
      first[1].callback();
    }
    now = new Date(end);
  };
  return { timers, now: () => now, advance };
}

const retention: LocalSchedule = {
  name: 'DailyEvidenceRetention',
  arn: 'arn:aws:scheduler:eu-west-2:000000000000:schedule/default/DailyEvidenceRetention',
  expression: 'cron(0 3 * * ? *)',
  timeZone: 'Europe/London',
  enabled: true,
  targetArn: 'arn:aws:lambda:eu-west-2:000000000000:function:EvidenceRetention',
  functionName: 'EvidenceRetention',
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 86_400,
};

describe('startScheduler', () => {
  it('invokes each enabled schedule at its time and arms it again for the next', async () => {
    // Prepare
    const time = manualTime('2026-12-06T08:48:00Z');
    const invoked: { name: string; at: string }[] = [];
    const scheduler = startScheduler({
      schedules: [retention, { ...retention, name: 'Paused', enabled: false }],
      invoke: async (schedule) => {
        invoked.push({ name: schedule.name, at: time.now().toISOString() });
        return { casesDeleted: 0 };
      },
      onError: () => undefined,
      ...time,
    });

    // Act
    await time.advance('2026-12-08T12:00:00Z');

    // Assess
    expect(invoked).toEqual([
      { name: 'DailyEvidenceRetention', at: '2026-12-07T03:00:00.000Z' },
      { name: 'DailyEvidenceRetention', at: '2026-12-08T03:00:00.000Z' },
    ]);
    expect(scheduler.list()).toEqual([
      expect.objectContaining({
        name: 'DailyEvidenceRetention',
        state: 'ENABLED',
        nextRun: '2026-12-09T03:00:00.000Z',
        lastRun: {
          scheduledTime: '2026-12-08T03:00:00.000Z',
          attempts: 1,
          outcome: 'succeeded',
          result: { casesDeleted: 0 },
        },
      }),
      expect.objectContaining({ name: 'Paused', state: 'DISABLED', nextRun: null, lastRun: null }),
    ]);
    await scheduler.stop();
  });

  it('tries a failed run again as its retry policy allows, then records it failed by the error name only', async () => {
    // Prepare
    const time = manualTime('2026-12-06T08:48:00Z');
    const errors: string[] = [];
    let attempts = 0;
    const scheduler = startScheduler({
      schedules: [retention],
      invoke: async () => {
        attempts += 1;
        throw new TypeError('SEF-2026-0001 could not be read');
      },
      onError: (name, error) => errors.push(`${name} ${(error as Error).name}`),
      ...time,
    });

    // Act
    const run = scheduler.runNow('DailyEvidenceRetention');
    await time.advance('2026-12-06T09:00:00Z');

    // Assess
    expect(await run).toEqual({
      scheduledTime: '2026-12-06T08:48:00.000Z',
      attempts: 3,
      outcome: 'failed',
      error: 'TypeError',
    });
    expect(attempts).toBe(3);
    expect(errors).toEqual(Array(3).fill('DailyEvidenceRetention TypeError'));
    await scheduler.stop();
  });

  it('succeeds on a retry when the target recovers', async () => {
    const time = manualTime('2026-12-06T08:48:00Z');
    let attempts = 0;
    const scheduler = startScheduler({
      schedules: [retention],
      invoke: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('throttled');
        return { casesDeleted: 2 };
      },
      onError: () => undefined,
      ...time,
    });

    const run = scheduler.runNow('DailyEvidenceRetention');
    await time.advance('2026-12-06T08:49:00Z');

    expect(await run).toMatchObject({ attempts: 2, outcome: 'succeeded', result: { casesDeleted: 2 } });
    await scheduler.stop();
  });

  it('refuses at the start a schedule whose Input is not JSON', () => {
    expect(() =>
      startScheduler({
        schedules: [{ ...retention, input: '{"at": <aws.scheduler.scheduled-time>}' }],
        invoke: async () => 0,
        onError: () => undefined,
      }),
    ).toThrow(/DailyEvidenceRetention has an Input that is not JSON/);
  });
});

describe('eventOf', () => {
  it("gives the target the schedule's Input with Scheduler's context attributes filled, or an empty object", () => {
    const run = { scheduledTime: new Date('2026-12-07T03:00:00.000Z'), executionId: 'e-1', attempt: 2 };
    expect(eventOf(retention, run)).toEqual({});
    expect(
      eventOf(
        {
          ...retention,
          input:
            '{"at":"<aws.scheduler.scheduled-time>","try":"<aws.scheduler.attempt-number>","of":"<aws.scheduler.schedule-arn>"}',
        },
        run,
      ),
    ).toEqual({ at: '2026-12-07T03:00:00Z', try: '2', of: retention.arn });
  });
});

describe('handleSchedulesRequest', () => {
  const scheduler = () =>
    startScheduler({
      schedules: [retention],
      invoke: async () => ({ casesDeleted: 1 }),
      onError: () => undefined,
    });

  it('lists the schedules and runs one now by its name', async () => {
    const running = scheduler();
    const listed = await handleSchedulesRequest(running, { method: 'GET', body: '' });
    const ran = await handleSchedulesRequest(running, {
      method: 'POST',
      body: JSON.stringify({ schedule: 'DailyEvidenceRetention' }),
    });
    expect(listed).toMatchObject({
      statusCode: 200,
      body: { schedules: [{ name: 'DailyEvidenceRetention' }] },
    });
    expect(ran).toMatchObject({
      statusCode: 200,
      body: {
        schedule: 'DailyEvidenceRetention',
        run: { outcome: 'succeeded', result: { casesDeleted: 1 } },
      },
    });
    await running.stop();
  });

  it('answers a clear error to a body without a name, an unknown name or another method', async () => {
    const running = scheduler();
    const answers = await Promise.all([
      handleSchedulesRequest(running, { method: 'POST', body: 'not json' }),
      handleSchedulesRequest(running, { method: 'POST', body: '{"schedule": 3}' }),
      handleSchedulesRequest(running, { method: 'POST', body: '{"schedule": "Hourly"}' }),
      handleSchedulesRequest(running, { method: 'DELETE', body: '' }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([400, 400, 404, 405]);
    expect(answers[2]?.body).toEqual({
      error: 'not-found',
      message: 'No schedule named "Hourly"; the template\'s are DailyEvidenceRetention',
    });
    expect(running.list()[0]?.lastRun).toBeNull();
    await running.stop();
  });
});
