// The case journey over HTTP against the running service, as `npm start` runs it from the sources and
// as `npm run start:deployed` runs what CDK synthesises: every step as a client of the contract takes
// it, polling the case while the workflow moves it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetObjectTaggingCommand,
  ListObjectVersionsCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVIDENCE_BYTES } from '#core/evidence-files.ts';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { reportingYearOf } from '#core/reporting-year.ts';
import { casePk } from '#data/case-items.ts';
import { readCloudAssembly } from '#local/deployed/cloud-assembly.ts';
import type { CallerReport } from '#local/deployed/iam.ts';
import type { MetricRecord } from '#local/deployed/metrics.ts';
import type { OutboxMessage } from '#shared/outbox-notifier.ts';
import { ApiClient } from '#test/support/api-client.ts';
import { apiEvent } from '#test/support/api-events.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { localCredentials } from '#test/support/dynamodb.ts';
import { pdf, photoWithLocation } from '#test/support/evidence-files.ts';
import { type LocalService, SERVICE_MODES, startLocalService } from '#test/support/local-service.ts';
import { runRecount } from '#test/support/recount.ts';

let service: LocalService;
let api: ApiClient;
const year = reportingYearOf(new Date(), 'financial').label;
const today = ukDateOf(new Date());

const COLUMNS = [
  'applicationsReceived',
  'thresholdNotMet',
  'caseReviewsCarriedOut',
  'reviewsWithRecommendations',
  'referralsToPcc',
];
async function counts(csp: string): Promise<number[]> {
  const row = (await api.statistics(year))[csp] ?? {};
  return COLUMNS.map((column) => Number(row[column] ?? 0));
}
const plus = (before: number[], delta: number[]) => before.map((value, index) => value + (delta[index] ?? 0));
const RESULTS = resolve(import.meta.dirname, '../../test-results');

/** The first message of a template about the case in the local outbox, once the workflow has sent it. */
async function waitForMessage(reference: string, template: string): Promise<OutboxMessage> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { messages } = (await (await fetch(`${service.url}/local/outbox`)).json()) as {
      messages: OutboxMessage[];
    };
    const found = messages.find(
      (message) => message.to.reference === reference && message.template === template,
    );
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`No ${template} for ${reference}:\n${service.output().slice(-3000)}`);
    await sleep(200);
  }
}

/** The report of issue 10: per deployed function, the AWS calls of the journey and its role's grants. */
function awsCallsReport(functions: readonly CallerReport[]): string {
  return functions
    .map((fn) =>
      [
        `## ${fn.caller} (role ${fn.role})`,
        '',
        `Granted: ${fn.granted.join(', ')}`,
        '',
        'Called in the journey:',
        ...(fn.calls.length > 0 ? fn.calls.map((call) => `- ${call}`) : ['- nothing']),
        '',
      ].join('\n'),
    )
    .join('\n');
}

describe.each(SERVICE_MODES)('%s', (mode) => {
  // The deployed mode may first synthesise the CDK app (once per run, shared by every test file).
  beforeAll(async () => {
    // The deployed mode deletes expired items every few seconds, where DynamoDB's TTL takes up to days.
    service = await startLocalService({
      mode,
      ...(mode === 'deployed' && { env: { TTL_INTERVAL_SECONDS: '3' } }),
    });
    api = new ApiClient(service);
  }, 300_000);

  afterAll(async () => {
    await service?.stop();
  });

  describe('the static files', () => {
    it('are linked from the pages by their built names and served by the gateway as the edge serves them', async () => {
      // Act
      const page = await (await fetch(`${service.url}/`)).text();
      const linked = [...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map(([, path]) => path ?? '');
      const served = await Promise.all(linked.map((path) => fetch(`${service.url}${path}`)));

      // Assess
      // The stylesheet, five icons and the manifest, and the script.
      expect(linked).toHaveLength(7);
      for (const [index, response] of served.entries()) {
        expect(linked[index]).toMatch(/\.[0-9a-f]{12}\.[a-z0-9]+$/);
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      }
    });
  });

  describe('the whole journey to a PCC decision', { timeout: 300_000 }, () => {
    it('takes a met application through review, referral and the PCC decision, telling the applicant each step', async () => {
      // Prepare
      const officer = { token: await service.token({ role: 'officer', csp: 'sefton', name: 'A Officer' }) };
      const police = {
        token: await service.token({ role: 'agency', csp: 'sefton', agency: 'police', name: 'P Constable' }),
      };
      const pcc = { token: await service.token({ role: 'pcc', name: 'The PCC Office' }) };
      const before = await counts('sefton');

      // Act and assess, step by step
      const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
      const applicant = { accessCode };
      const assessed = await api.waitForStage(reference, applicant, 'awaiting-threshold-decision');
      expect(assessed.thresholdAssessment).toMatchObject({
        met: true,
        route: 'A',
        reasons: expect.any(Array),
      });
      expect((await api.get(`/api/cases/${reference}`, pcc)).status).toBe(403);

      await api.act(
        reference,
        'threshold-decision',
        { met: true, route: 'A', reason: 'Three separate incidents reported' },
        officer,
      );
      await api.waitForStage(reference, applicant, 'awaiting-review');
      await api.act(
        reference,
        'information-requests',
        { agencies: ['police'], message: 'What did you know and do?' },
        officer,
      );
      await api.act(
        reference,
        'agency-responses',
        { agency: 'police', summary: 'Two visits; warning letter sent.' },
        police,
      );
      await api.act(
        reference,
        'review-outcome',
        {
          heldOn: today,
          summary: 'The partners agreed an action plan.',
          findings: FINDINGS,
          recommendations: [
            { action: 'Mediation between neighbours', owner: 'council', dueBy: addDays(today, 30) },
          ],
        },
        officer,
      );
      // The victim is consulted on the draft plan, agrees, and the officer makes it final.
      await api.waitForStage(reference, applicant, 'action-plan-consultation');
      await api.act(reference, 'action-plan-response', { agrees: true }, applicant);
      await api.act(
        reference,
        'action-plan',
        {
          recommendations: [
            { action: 'Mediation between neighbours', owner: 'council', dueBy: addDays(today, 30) },
          ],
          changes: 'Nothing changed: the victim agreed.',
        },
        officer,
      );
      const reviewed = await api.waitForStage(reference, applicant, 'review-complete');
      expect(reviewed.reviewOutcome).toMatchObject({
        summary: 'The partners agreed an action plan.',
        recommendations: [{ owner: 'council' }],
      });

      // The plan's action done, so the review standing closes the case.
      await api.act(reference, 'actions/1-1/progress', { status: 'done', note: 'Installed.' }, officer);
      await api.act(
        reference,
        'referral',
        { reason: 'The plan does not address the noise at night.' },
        applicant,
      );
      await api.waitForStage(reference, applicant, 'awaiting-pcc-decision');
      const pccView = await api.get(`/api/cases/${reference}`, pcc);
      expect(pccView.status).toBe(200);
      expect(pccView.body.audit.length).toBeGreaterThan(0);
      await api.act(
        reference,
        'pcc-decision',
        { outcome: 'review-stands', reason: 'Due process was followed.' },
        pcc,
      );
      const closed = await api.waitForStage(reference, applicant, 'closed');

      expect(closed.closure).toMatchObject({ reason: 'pcc-decided', at: expect.any(String) });
      expect(closed.pccDecision).toMatchObject({
        outcome: 'review-stands',
        reason: 'Due process was followed.',
      });
      const timeline = closed.timeline as { actor: Record<string, unknown> }[];
      expect(timeline.length).toBeGreaterThanOrEqual(6);
      expect(timeline.every((event) => Object.keys(event.actor).join() === 'role')).toBe(true);
      expect(JSON.stringify(closed)).not.toMatch(/A Officer|P Constable|Two visits/);
      expect(await counts('sefton')).toEqual(plus(before, [1, 0, 1, 1, 1]));
    });

    it('counts a refused threshold that the PCC refers back, once reviewed, as a review instead', async () => {
      // Prepare
      const officer = { token: await service.token({ role: 'officer', csp: 'knowsley', name: 'K Officer' }) };
      const pcc = { token: await service.token({ role: 'pcc', name: 'The PCC Office' }) };
      const before = await counts('knowsley');
      const { reference, accessCode } = await api.submit(applicationBody({ csp: 'knowsley', incidents: 1 }));
      const applicant = { accessCode };
      await api.waitForStage(reference, applicant, 'awaiting-threshold-decision');

      // Act
      await api.act(
        reference,
        'threshold-decision',
        { met: false, reason: 'Only one incident was reported.' },
        officer,
      );
      await api.waitForStage(reference, applicant, 'threshold-not-met');
      const notMet = await counts('knowsley');
      await api.act(reference, 'referral', { reason: 'There were many more incidents.' }, applicant);
      await api.waitForStage(reference, applicant, 'awaiting-pcc-decision');
      await api.act(
        reference,
        'pcc-decision',
        { outcome: 'refer-back', reason: 'Relevant facts were not considered.' },
        pcc,
      );
      await api.waitForStage(reference, applicant, 'awaiting-review');
      await api.act(
        reference,
        'review-outcome',
        { heldOn: today, summary: 'Reviewed again.', findings: FINDINGS, recommendations: [] },
        officer,
      );
      await api.waitForStage(reference, applicant, 'review-complete');

      // Assess
      expect(notMet).toEqual(plus(before, [1, 1, 0, 0, 0]));
      expect(await counts('knowsley')).toEqual(plus(before, [1, 0, 1, 0, 1]));
    });

    it('ends a case withdrawn while it awaits its review', async () => {
      const officer = { token: await service.token({ role: 'officer', csp: 'wirral', name: 'W Officer' }) };
      const { reference, accessCode } = await api.submit(applicationBody({ csp: 'wirral' }));
      await api.waitForStage(reference, { accessCode }, 'awaiting-threshold-decision');
      await api.act(reference, 'threshold-decision', { met: true, route: 'A', reason: 'Met.' }, officer);
      await api.waitForStage(reference, { accessCode }, 'awaiting-review');

      const withdrawn = await api.act(
        reference,
        'withdraw',
        { reason: 'The neighbours moved away.' },
        { accessCode },
      );
      const closed = await api.waitForStage(reference, { accessCode }, 'closed');

      expect(withdrawn.body).toMatchObject({ changed: true, stage: 'closed' });
      expect(closed.closure).toMatchObject({ reason: 'withdrawn' });
      const late = await api.post(
        `/api/cases/${reference}/review-outcome`,
        { heldOn: today, summary: 'Too late.', findings: FINDINGS },
        officer,
      );
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ error: 'conflict', stage: 'closed' });
    });

    it('keeps the counters equal to a recount of the cases', async () => {
      const { code, output } = await runRecount(service, year);
      expect(output).toContain('The counters equal the recount.');
      expect(code).toBe(0);
    });
  });

  describe.runIf(mode === 'deployed')('what the deployed functions did on the way', () => {
    const assembly = () =>
      readCloudAssembly(service.cloudAssembly as string, {
        region: 'eu-west-2',
        accountId: '000000000000',
        apiUrl: service.url,
        staffTokenAudience: 'unused',
      });

    it("serves the static files the assembly's uploads stage, with the headers each upload gives its objects", async () => {
      // Prepare
      const uploads = assembly().staticFiles.filter((upload) => upload.keyPrefix === 'assets/');
      const page = await (await fetch(`${service.url}/`)).text();
      const linked = [...page.matchAll(/(?:href|src)="\/assets\/([^"]+)"/g)].map(([, name]) => name ?? '');

      // Act
      const served = await Promise.all(linked.map((name) => fetch(`${service.url}/assets/${name}`)));

      // Assess
      expect(linked.length).toBeGreaterThan(0);
      for (const [index, response] of served.entries()) {
        const name = linked[index] as string;
        const upload = uploads.find((each) =>
          each.directories.some((folder) => existsSync(join(folder, name))),
        );
        const folder = upload?.directories.find((each) => existsSync(join(each, name))) as string;
        expect(upload, name).toBeDefined();
        expect(response.headers.get('content-type')).toBe(upload?.contentType);
        expect(response.headers.get('cache-control')).toBe(upload?.cacheControl);
        expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(folder, name)))).toBe(true);
      }
    });

    it('refuses with 403 a request that reaches an HTTP function without passing the edge, which the gateway adds', async () => {
      // Prepare: the API's own address skipped, as a caller of execute-api would skip CloudFront.
      const app = assembly();
      const byRoute = (routeKey: string) =>
        app.functions.find(
          (fn) => fn.name === app.routes.find((route) => route.routeKey === routeKey)?.functionName,
        );
      const invoke = async (routeKey: string, headers: Record<string, string>) => {
        const event = { ...apiEvent(routeKey, { body: applicationBody() }), headers };
        const answer = await fetch(
          `${service.lambdaEndpoint}/2015-03-31/functions/${byRoute(routeKey)?.name}/invocations`,
          { method: 'POST', body: JSON.stringify(event) },
        );
        return (await answer.json()) as { statusCode: number; body: string };
      };

      // Act
      const health = await invoke('GET /health', {});
      const submission = await invoke('POST /api/applications', {
        'content-type': 'application/json',
        'idempotency-key': 'walks-around-the-edge',
        'x-origin-verify': 'a-guess',
      });
      const page = await invoke('GET /', {});
      const throughTheGateway = await fetch(`${service.url}/health`);

      // Assess
      for (const refused of [health, submission, page]) {
        expect(refused.statusCode).toBe(403);
        expect(JSON.parse(refused.body)).toMatchObject({ error: 'forbidden' });
      }
      expect(throughTheGateway.status).toBe(200);
      expect(Object.keys(app.originHeaders)).toEqual(['x-origin-verify']);
    });

    it('reminds the officer of an overdue letter when the reminder step runs as the state machine runs it', async () => {
      // Prepare: a letter of 2015, whose threshold decision is long overdue.
      const officer = {
        token: await service.token({ role: 'officer', csp: 'st-helens', name: 'S Officer' }),
      };
      const letter = {
        ...applicationBody({ csp: 'st-helens', today: '2015-05-31' }),
        channel: 'letter',
        receivedAt: '2015-06-01T10:00:00Z',
      };
      const { reference } = await api.submit(letter, officer);
      const waiting = await api.waitForStage(reference, officer, 'awaiting-threshold-decision');
      const remind = assembly().functions.find((fn) => fn.name.includes('Remind'));

      // Act: its first reminder falls two working days after entry; the Lambda API runs the step now.
      const invoked = await fetch(
        `${service.lambdaEndpoint}/2015-03-31/functions/${remind?.name}/invocations`,
        {
          method: 'POST',
          body: JSON.stringify({
            reference,
            step: 'threshold-decision',
            due: (waiting.deadlines as Record<string, string>).thresholdDecision,
          }),
        },
      );

      // Assess
      expect(invoked.status).toBe(200);
      expect(invoked.headers.get('x-amz-function-error')).toBeNull();
      const reminder = await waitForMessage(reference, 'decision-reminder');
      expect(reminder.to.kind).toBe('officer');
    });

    it('marks a case as needing attention when the catch-all step runs as the state machine runs it', async () => {
      // Prepare: a case waiting for its threshold decision.
      const officer = {
        token: await service.token({ role: 'officer', csp: 'st-helens', name: 'S Officer' }),
      };
      const { reference } = await api.submit(applicationBody({ csp: 'st-helens' }));
      await api.waitForStage(reference, officer, 'awaiting-threshold-decision');
      const needsAttention = assembly().functions.find((fn) => fn.name.includes('NeedsAttention'));

      // Act: the step a Task's catch-all enters after its retries, run now through the Lambda API.
      const invoked = await fetch(
        `${service.lambdaEndpoint}/2015-03-31/functions/${needsAttention?.name}/invocations`,
        { method: 'POST', body: JSON.stringify({ reference }) },
      );

      // Assess
      expect(invoked.status).toBe(200);
      expect(invoked.headers.get('x-amz-function-error')).toBeNull();
      expect(await invoked.json()).toEqual({ marked: true });
    });

    /** Adds a file to the case through the API and posts it to storage as a browser would; its id. */
    const upload = async (
      reference: string,
      credentials: { accessCode: string } | { token: string },
      file: { name: string; type: string; bytes: Uint8Array },
    ) => {
      const granted = await api.post(
        `/api/cases/${reference}/evidence`,
        { files: [{ name: file.name, type: file.type, size: file.bytes.length }] },
        credentials,
      );
      expect(granted.status, granted.text).toBe(200);
      const [{ id, url, fields }] = granted.body.uploads as [
        { id: string; url: string; fields: Record<string, string> },
      ];
      const form = new FormData();
      for (const [field, value] of Object.entries(fields)) form.append(field, value);
      form.append('file', new Blob([file.bytes]), file.name);
      expect((await fetch(url, { method: 'POST', body: form })).status).toBe(204);
      return id;
    };

    it("checks, cleans and lists a resident's photo and diary sheet and an officer's document through the stack's rules, GuardDuty's stand-in giving each its verdict", async () => {
      // Prepare: no virus scanner on this machine, so GuardDuty's stand-in reports each scan failed.
      const officer = {
        token: await service.token({ role: 'officer', csp: 'sefton', name: 'A Officer' }),
      };
      const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
      const applicant = { accessCode };

      // Act
      const photo = await upload(reference, applicant, {
        name: 'stairwell.jpg',
        type: 'image/jpeg',
        bytes: await photoWithLocation(),
      });
      const diary = await upload(reference, applicant, {
        name: 'diary.pdf',
        type: 'application/pdf',
        bytes: pdf(),
      });
      const notes = await upload(reference, officer, {
        name: 'notes.pdf',
        type: 'application/pdf',
        bytes: pdf(),
      });
      const view = await api.waitForCase(
        reference,
        officer,
        (body) => (body.evidence as { verdict: string }[]).every((file) => file.verdict !== 'pending'),
        30_000,
      );
      const link = await api.get(`/api/cases/${reference}/evidence/${photo}`, applicant);
      const served = new Uint8Array(await (await fetch(link.body.url)).arrayBuffer());
      const s3 = new S3Client({
        endpoint: service.s3Endpoint,
        region: 'eu-west-2',
        forcePathStyle: true,
        credentials: localCredentials,
      });
      const Bucket = assembly()
        .functions.map((fn) => fn.environment.EVIDENCE_BUCKET)
        .find(Boolean);
      const tags = await Promise.all(
        [photo, diary, notes].map(
          async (id) =>
            (await s3.send(new GetObjectTaggingCommand({ Bucket, Key: `clean/${reference}/${id}` })))
              .TagSet ?? [],
        ),
      );
      await s3.send(
        new PutObjectTaggingCommand({
          Bucket,
          Key: `clean/${reference}/${photo}`,
          Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'THREATS_FOUND' }] },
        }),
      );
      const afterThreat = await api.get(`/api/cases/${reference}/evidence/${photo}`, applicant);
      const refused = await fetch(afterThreat.body.url);
      s3.destroy();
      const { functions } = (await (await fetch(`${service.url}/local/aws-calls`)).json()) as {
        functions: CallerReport[];
      };

      // Assess
      expect(
        (view.evidence as { id: string; verdict: string; addedBy: { role: string } }[]).map((file) => [
          file.id,
          file.addedBy.role,
          file.verdict,
        ]),
      ).toEqual([
        [photo, 'applicant', 'not-scanned'],
        [diary, 'applicant', 'not-scanned'],
        [notes, 'officer', 'not-scanned'],
      ]);
      expect(link.status, link.text).toBe(200);
      expect((await sharp(served).metadata()).exif).toBeUndefined();
      const calledBy = (name: string) => functions.find((fn) => fn.caller.includes(name))?.calls ?? [];
      expect(calledBy('ProcessUpload')).toContainEqual(expect.stringMatching(/^s3:GetObject .*\/uploads\//));
      expect(calledBy('ProcessUpload')).toContainEqual(expect.stringMatching(/^s3:PutObject .*\/clean\//));
      expect(calledBy('ScanResult')).toContainEqual(expect.stringMatching(/^dynamodb:UpdateItem /));
      expect(calledBy('GuardDuty Malware Protection')).toContainEqual(
        expect.stringMatching(/^s3:PutObjectTagging .*\/clean\//),
      );
      expect(tags.map((set) => set.map(({ Key, Value }) => [Key, Value]))).toEqual(
        Array(3).fill([['GuardDutyMalwareScanStatus', 'FAILED']]),
      );
      // Quarantined: the bucket's policy refuses an object tagged THREATS_FOUND to anyone, link or not.
      expect(afterThreat.status, afterThreat.text).toBe(200);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('explicit deny in a resource-based policy');
      expect(functions.flatMap((fn) => fn.calls)).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^s3:GetObject .*/clean/${reference}/${photo} \\(.*THREATS_FOUND\\) \\(refused by the resource policy\\)$`,
          ),
        ),
      );
    });

    it("takes documents from an officer and, once asked, the police through the deployed functions, and refuses a wrong type and a too-large file with the contract's errors", async () => {
      // Prepare: a met case awaiting its review, the police not yet asked.
      const officer = { token: await service.token({ role: 'officer', csp: 'sefton', name: 'A Officer' }) };
      const police = {
        token: await service.token({ role: 'agency', csp: 'sefton', agency: 'police', name: 'P Constable' }),
      };
      const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
      await api.waitForStage(reference, officer, 'awaiting-threshold-decision');
      await api.act(reference, 'threshold-decision', { met: true, route: 'A', reason: 'Met.' }, officer);
      await api.waitForStage(reference, officer, 'awaiting-review');
      const report = { name: 'police report.pdf', type: 'application/pdf', bytes: pdf() };
      const beforeAsked = await api.post(
        `/api/cases/${reference}/evidence`,
        { files: [{ name: report.name, type: report.type, size: report.bytes.length }] },
        police,
      );
      await api.act(
        reference,
        'information-requests',
        { agencies: ['police'], message: 'What did you know and do?' },
        officer,
      );

      // Act
      const notes = await upload(reference, officer, {
        name: 'meeting notes.txt',
        type: 'text/plain',
        bytes: Buffer.from('Meeting with the housing officer.\n'),
      });
      const fromPolice = await upload(reference, police, report);
      const wrongType = await api.post(
        `/api/cases/${reference}/evidence`,
        { files: [{ name: 'song.mp3', type: 'audio/mpeg', size: 1000 }] },
        police,
      );
      const tooLarge = await api.post(
        `/api/cases/${reference}/evidence`,
        { files: [{ name: 'video.jpg', type: 'image/jpeg', size: MAX_EVIDENCE_BYTES + 1 }] },
        officer,
      );
      // A file larger than its presigned POST allows is refused by storage, as S3 refuses it.
      const granted = await api.post(
        `/api/cases/${reference}/evidence`,
        { files: [{ name: 'big.pdf', type: 'application/pdf', size: 1000 }] },
        police,
      );
      const [big] = granted.body.uploads as [{ id: string; url: string; fields: Record<string, string> }];
      const form = new FormData();
      for (const [field, value] of Object.entries(big.fields)) form.append(field, value);
      form.append('file', new Blob([new Uint8Array(MAX_EVIDENCE_BYTES + 1)]), 'big.pdf');
      const bigPosted = await fetch(big.url, { method: 'POST', body: form });
      const view = await api.waitForCase(
        reference,
        officer,
        (body) =>
          (body.evidence as { id: string; verdict: string }[]).filter(
            (file) => [notes, fromPolice].includes(file.id) && file.verdict !== 'pending',
          ).length === 2,
        30_000,
      );
      const applicantView = (await api.get(`/api/cases/${reference}`, { accessCode })).body;
      const { functions } = (await (await fetch(`${service.url}/local/aws-calls`)).json()) as {
        functions: CallerReport[];
      };

      // Assess
      expect(beforeAsked.status).toBe(403);
      expect(
        (view.evidence as { id: string; verdict: string; addedBy: { role: string; agency?: string } }[])
          .filter((file) => [notes, fromPolice].includes(file.id))
          .map((file) => [file.id, file.addedBy.role, file.addedBy.agency, file.verdict]),
      ).toEqual([
        [notes, 'officer', undefined, 'not-scanned'],
        [fromPolice, 'agency', 'police', 'not-scanned'],
      ]);
      expect(applicantView.evidence).toEqual([]);
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.issues).toEqual([
        {
          path: 'files.0',
          message: '"song.mp3" must be a PDF, JPEG, PNG, Word document or plain text file.',
        },
      ]);
      expect(tooLarge.status).toBe(400);
      expect(tooLarge.body.message).toBe('"video.jpg" must be smaller than 10 MB.');
      expect(bigPosted.status).toBe(400);
      expect(await bigPosted.text()).toContain('EntityTooLarge');
      const signers = functions
        .filter((fn) =>
          fn.calls.some(
            (call) =>
              call.startsWith(`s3:PutObject `) && call.includes(`/uploads/${reference}/${fromPolice}`),
          ),
        )
        .map((fn) => fn.caller);
      expect(signers).toEqual([expect.stringMatching(/Evidence/)]);
      expect(functions.flatMap((fn) => fn.calls.filter((call) => call.endsWith('(denied)')))).toEqual([]);
    });

    it("deletes every version of the files of a case whose retention ended when the template's schedule runs its function, as the schedule's role, and the table's TTL its record", {
      timeout: 120_000,
    }, async () => {
      // Prepare: two cases with a file each, processed; one withdrawn, its retention then moved to
      // yesterday on every item (the table's TTL attribute), the other open.
      const officer = { token: await service.token({ role: 'officer', csp: 'wirral', name: 'W Officer' }) };
      const [ended, open] = [
        await api.submit(applicationBody({ csp: 'wirral' })),
        await api.submit(applicationBody({ csp: 'wirral' })),
      ];
      for (const { reference, accessCode } of [ended, open]) {
        await upload(reference, { accessCode }, { name: 'diary.pdf', type: 'application/pdf', bytes: pdf() });
        await api.waitForCase(
          reference,
          officer,
          (body) => (body.evidence as { verdict: string }[]).every((file) => file.verdict !== 'pending'),
          30_000,
        );
      }
      await api.waitForStage(ended.reference, officer, 'awaiting-threshold-decision');
      await api.act(ended.reference, 'withdraw', { reason: 'Moved away.' }, { accessCode: ended.accessCode });
      await api.waitForStage(ended.reference, officer, 'closed');
      const db = DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: service.dynamodbEndpoint,
          region: 'eu-west-2',
          credentials: localCredentials,
        }),
      );
      const TableName = service.env.CASES_TABLE;
      const items = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': casePk(ended.reference) },
        }),
      );
      const yesterday = Math.floor(Date.now() / 1000) - 86_400;
      for (const { pk, sk } of items.Items ?? []) {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: { pk, sk },
            UpdateExpression: 'SET expiresAt = :at',
            ExpressionAttributeValues: { ':at': yesterday },
          }),
        );
      }
      const s3 = new S3Client({
        endpoint: service.s3Endpoint,
        region: 'eu-west-2',
        forcePathStyle: true,
        credentials: localCredentials,
      });
      const bucket = assembly()
        .functions.map((fn) => fn.environment.EVIDENCE_BUCKET)
        .find(Boolean);
      const objectsOf = async (reference: string) => {
        const keys: string[] = [];
        for (const prefix of [`uploads/${reference}/`, `clean/${reference}/`]) {
          const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
          keys.push(
            ...[...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => v.Key as string),
          );
        }
        return keys;
      };
      const before = await objectsOf(ended.reference);

      // Act: an operator runs the nightly schedule now.
      const ran = await fetch(`${service.url}/local/schedules`, {
        method: 'POST',
        body: JSON.stringify({ schedule: 'DailyEvidenceRetention' }),
      });
      const listed = (await (await fetch(`${service.url}/local/schedules`)).json()) as {
        schedules: { name: string; expression: string; timeZone: string; nextRun: string }[];
      };
      const { functions } = (await (await fetch(`${service.url}/local/aws-calls`)).json()) as {
        functions: CallerReport[];
      };
      const recordLeft = async () => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const left = await db.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': casePk(ended.reference) },
            }),
          );
          if (left.Count === 0 || Date.now() > deadline) return left.Count;
          await sleep(500);
        }
      };

      // Assess
      expect(before).toHaveLength(2);
      expect(ran.status).toBe(200);
      expect(await ran.json()).toMatchObject({
        schedule: 'DailyEvidenceRetention',
        run: { outcome: 'succeeded', attempts: 1 },
      });
      expect(await objectsOf(ended.reference)).toEqual([]);
      expect(await objectsOf(open.reference)).toHaveLength(2);
      expect(await recordLeft()).toBe(0);
      expect((await api.get(`/api/cases/${ended.reference}`, officer)).status).toBe(404);
      expect(
        listed.schedules.map(({ name, expression, timeZone }) => [name, expression, timeZone]).sort(),
      ).toEqual([
        ['DailyEvidenceRetention', 'cron(0 3 * * ? *)', 'Europe/London'],
        ['DailyReconciliation', 'cron(0 6 * * ? *)', 'Europe/London'],
      ]);
      const calledBy = (name: string) => functions.find((fn) => fn.caller === name)?.calls ?? [];
      expect(calledBy('DailyEvidenceRetention')).toEqual([
        expect.stringMatching(
          /^lambda:InvokeFunction arn:aws:lambda:[^:]+:\d+:function:[^:]*EvidenceRetention[^:]*$/,
        ),
      ]);
      expect(
        functions.find(
          (fn) => fn.caller.includes('EvidenceRetention') && fn.caller !== 'DailyEvidenceRetention',
        )?.calls,
      ).toContainEqual(expect.stringMatching(/^s3:DeleteObjectVersion .*\/clean\//));
      s3.destroy();
      db.destroy();
    });

    it('emitted every custom metric an alarm of the template watches', async () => {
      // Prepare
      const app = assembly();
      const watched = app.alarms.flatMap((alarm) =>
        (alarm.metricName && alarm.namespace
          ? [{ namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions }]
          : alarm.metrics
        ).map((metric) => ({ alarm: alarm.logicalId, ...metric })),
      );
      const custom = watched.filter((metric) => !metric.namespace.startsWith('AWS/'));

      // Act
      const { metrics } = (await (await fetch(`${service.url}/local/metrics`)).json()) as {
        metrics: MetricRecord[];
      };

      // Assess
      expect(custom.map((metric) => metric.metricName)).toContain('OverdueTasks');
      for (const metric of custom) {
        const emitted = metrics.filter(
          (record) => record.namespace === metric.namespace && record.name === metric.metricName,
        );
        expect(
          emitted.map((record) => record.dimensions),
          `${metric.alarm} watches ${metric.namespace}/${metric.metricName} ${JSON.stringify(metric.dimensions)}`,
        ).toContainEqual(metric.dimensions);
      }
    });

    it('made no AWS call its role does not allow, and lists the calls of each function beside its grants', async () => {
      // Act
      const { functions } = (await (await fetch(`${service.url}/local/aws-calls`)).json()) as {
        functions: CallerReport[];
      };
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(join(RESULTS, 'deployed-aws-calls.md'), awsCallsReport(functions));

      // Assess
      const denied = functions.flatMap((fn) => fn.calls.filter((call) => call.endsWith('(denied)')));
      expect(denied).toEqual([]);
      const calledBy = (name: string) => functions.find((fn) => fn.caller.includes(name))?.calls ?? [];
      expect(calledBy('Applications')).toContainEqual(expect.stringMatching(/^dynamodb:PutItem /));
      expect(calledBy('CaseActions')).toContainEqual(expect.stringMatching(/^states:SendTaskSuccess /));
      expect(calledBy('WorkflowStateMachine')).toContainEqual(
        expect.stringMatching(/^lambda:InvokeFunction /),
      );
    });

    it('starts each execution on the state machine alias, which calls the functions through their live aliases', async () => {
      // Act
      const { functions } = (await (await fetch(`${service.url}/local/aws-calls`)).json()) as {
        functions: CallerReport[];
      };

      // Assess
      const calledBy = (name: string) => functions.find((fn) => fn.caller.includes(name))?.calls ?? [];
      expect(calledBy('Applications')).toContainEqual(
        expect.stringMatching(
          /^states:StartExecution arn:aws:states:[^:]+:\d+:stateMachine:[^:]+ \(states:StateMachineQualifier=live\)$/,
        ),
      );
      const invoked = calledBy('WorkflowStateMachine').filter((call) =>
        call.startsWith('lambda:InvokeFunction '),
      );
      expect(invoked.length).toBeGreaterThan(0);
      for (const call of invoked) expect(call).toMatch(/:function:[^:]+:live$/);
    });
  });
});
