// Evidence files over HTTP (contract.md, "Evidence"): presigned POSTs straight to the local S3 server,
// each file checked, cleaned and given its verdict by the upload processing that the bucket's
// notification runs, listed on the case as each reader may see it, and fetched through a short-lived,
// audited download link; the same on the pages with JavaScript off (a resident applying through the
// real forms adds a photo and a diary sheet on the confirmation page, one form each; an officer and the
// police add documents on the case page); and who is involved and the witnesses, for staff only. This
// machine has no virus scanner, so a clean-content file is `not-scanned`.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVIDENCE_BYTES } from '#core/evidence-files.ts';
import { caseKey } from '#data/case-items.ts';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { localCredentials } from '#test/support/dynamodb.ts';
import { pdf, photoWithLocation } from '#test/support/evidence-files.ts';
import { applyWithoutJavaScript, FormBrowser, reloadUntil } from '#test/support/form-browser.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';

let service: LocalService;
let api: ApiClient;
let officer: Credentials;
let police: Credentials;
let otherOfficer: Credentials;

interface Upload {
  readonly id: string;
  readonly url: string;
  readonly fields: Record<string, string>;
}

/** Posts the file as a browser's form does: the presigned fields, then the file. */
async function postForm(upload: Upload, bytes: Uint8Array, name: string): Promise<Response> {
  const form = new FormData();
  for (const [field, value] of Object.entries(upload.fields)) form.append(field, value);
  form.append('file', new Blob([bytes]), name);
  return fetch(upload.url, { method: 'POST', body: form, redirect: 'manual' });
}

async function requestUploads(
  reference: string,
  credentials: Credentials,
  files: { name: string; type: string; size: number }[],
  options: { headers?: Record<string, string>; shareWithApplicant?: boolean } = {},
) {
  return api.post(
    `/api/cases/${reference}/evidence`,
    {
      files,
      ...(options.shareWithApplicant !== undefined && { shareWithApplicant: options.shareWithApplicant }),
    },
    { ...credentials, ...(options.headers && { headers: options.headers }) },
  );
}

/** Adds one file and uploads it; its id. */
async function addFile(
  reference: string,
  credentials: Credentials,
  file: { name: string; type: string; bytes: Uint8Array },
  options: { shareWithApplicant?: boolean } = {},
): Promise<string> {
  const response = await requestUploads(
    reference,
    credentials,
    [{ name: file.name, type: file.type, size: file.bytes.length }],
    options,
  );
  expect(response.status, response.text).toBe(200);
  const [upload] = response.body.uploads as Upload[];
  const posted = await postForm(upload as Upload, file.bytes, file.name);
  expect(posted.status, await posted.text()).toBe(204);
  return (upload as Upload).id;
}

type Listed = {
  id: string;
  verdict: string;
  name: string;
  type: string;
  size: number;
  addedBy: { role: string };
};

async function waitForVerdict(reference: string, credentials: Credentials, id: string): Promise<Listed> {
  const view = await api.waitForCase(
    reference,
    credentials,
    (body) =>
      (body.evidence as Listed[] | undefined)?.some(
        (file) => file.id === id && file.verdict !== 'pending',
      ) === true,
  );
  return (view.evidence as Listed[]).find((file) => file.id === id) as Listed;
}

async function metCase() {
  const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
  const applicant = { accessCode };
  await api.waitForStage(reference, applicant, 'awaiting-threshold-decision');
  await api.act(reference, 'threshold-decision', { met: true, route: 'A', reason: 'Met.' }, officer);
  await api.waitForStage(reference, applicant, 'awaiting-review');
  // The police are asked for what they knew and did, so the case is shared with them.
  await api.act(
    reference,
    'information-requests',
    { agencies: ['police'], message: 'What did you know and do?' },
    officer,
  );
  return { reference, applicant };
}

beforeAll(async () => {
  service = await startLocalService({ mode: 'source' });
  api = new ApiClient(service);
  officer = { token: await service.token({ role: 'officer', csp: 'sefton', name: 'A Officer' }) };
  otherOfficer = { token: await service.token({ role: 'officer', csp: 'knowsley', name: 'K Officer' }) };
  police = {
    token: await service.token({ role: 'agency', csp: 'sefton', agency: 'police', name: 'P Constable' }),
  };
}, 300_000);

afterAll(async () => {
  await service?.stop();
});

describe('evidence files', { timeout: 120_000 }, () => {
  it('takes a photo and a diary sheet from the applicant, lists them and serves the photo without its location', async () => {
    // Prepare
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
    const applicant = { accessCode };
    const photo = await photoWithLocation();

    // Act
    const photoId = await addFile(reference, applicant, {
      name: 'stairwell.jpg',
      type: 'image/jpeg',
      bytes: photo,
    });
    const diaryId = await addFile(reference, applicant, {
      name: 'diary May.pdf',
      type: 'application/pdf',
      bytes: pdf(),
    });
    const listedPhoto = await waitForVerdict(reference, applicant, photoId);
    const listedDiary = await waitForVerdict(reference, applicant, diaryId);
    const link = await api.get(`/api/cases/${reference}/evidence/${photoId}`, applicant);
    const served = await fetch(link.body.url);
    const bytes = new Uint8Array(await served.arrayBuffer());
    const staffView = (await api.get(`/api/cases/${reference}`, officer)).body;

    // Assess
    expect(listedPhoto).toMatchObject({
      name: 'stairwell.jpg',
      type: 'image/jpeg',
      addedBy: { role: 'applicant' },
      verdict: 'not-scanned',
    });
    expect(listedDiary).toMatchObject({
      name: 'diary May.pdf',
      type: 'application/pdf',
      verdict: 'not-scanned',
    });
    expect(link.status, link.text).toBe(200);
    expect(Date.parse(link.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(link.body.url).not.toContain('stairwell');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-disposition')).toContain('attachment');
    expect(served.headers.get('content-disposition')).toContain('stairwell.jpg');
    const metadata = await sharp(bytes).metadata();
    expect(metadata.format).toBe('jpeg');
    expect(metadata.exif).toBeUndefined();
    expect(Buffer.from(bytes).includes(Buffer.from('Pat Resident'))).toBe(false);
    expect(staffView.evidence.map((file: Listed) => file.id)).toEqual([photoId, diaryId]);
    expect(staffView.audit.some((entry: { what: string }) => entry.what === 'evidence-download')).toBe(true);
    expect(staffView.timeline.some((event: { type: string }) => event.type === 'evidence-downloaded')).toBe(
      true,
    );
  });

  it('takes documents from the officer and the police, shown to the applicant only when shared', async () => {
    // Prepare
    const { reference, applicant } = await metCase();

    // Act
    const notes = await addFile(reference, officer, {
      name: 'meeting notes.txt',
      type: 'text/plain',
      bytes: Buffer.from('Meeting with the housing officer.\n'),
    });
    const report = await addFile(
      reference,
      police,
      { name: 'police report.pdf', type: 'application/pdf', bytes: pdf() },
      { shareWithApplicant: true },
    );
    await waitForVerdict(reference, officer, notes);
    const listedReport = await waitForVerdict(reference, officer, report);
    const applicantView = (await api.get(`/api/cases/${reference}`, applicant)).body;
    const hiddenNotes = await api.get(`/api/cases/${reference}/evidence/${notes}`, applicant);
    const sharedReport = await api.get(`/api/cases/${reference}/evidence/${report}`, applicant);
    const policeNotes = await api.get(`/api/cases/${reference}/evidence/${notes}`, police);

    // Assess
    expect(listedReport).toMatchObject({
      addedBy: { role: 'agency', agency: 'police' },
      verdict: 'not-scanned',
    });
    expect(applicantView.evidence.map((file: Listed) => file.id)).toEqual([report]);
    expect(applicantView.evidence[0].addedBy).toEqual({ role: 'agency' });
    expect(hiddenNotes.status).toBe(404);
    // Not scanned, shared, and not the applicant's own: given only to staff and whoever added it.
    expect(sharedReport.status).toBe(403);
    expect(policeNotes.status).toBe(200);
  });

  it('shares a file staff added with the applicant and stops, audited once each; refuses what may not change', async () => {
    // Prepare
    const { reference, applicant } = await metCase();
    const text = (words: string) => ({ name: `${words}.txt`, type: 'text/plain', bytes: Buffer.from(words) });
    const notes = await addFile(reference, officer, text('meeting notes'));
    const report = await addFile(reference, police, text('police report'));
    const own = await addFile(reference, applicant, text('my diary'));
    const share = (id: string, credentials: Credentials, body: unknown) =>
      api.post(`/api/cases/${reference}/evidence/${id}`, body, credentials);

    // Act
    const shared = await share(notes, officer, { shareWithApplicant: true });
    const sharedAgain = await share(notes, officer, { shareWithApplicant: true });
    const ownReport = await share(report, police, { shareWithApplicant: true });
    const seen = (await api.get(`/api/cases/${reference}`, applicant)).body;
    const stopped = await share(report, officer, { shareWithApplicant: false });
    const otherAgency = await share(notes, police, { shareWithApplicant: false });
    const byApplicant = await share(notes, applicant, { shareWithApplicant: false });
    const applicantsOwn = await share(own, officer, { shareWithApplicant: false });
    const badBody = await share(notes, officer, { shareWithApplicant: 'yes' });
    const unknown = await share('00000000-0000-4000-8000-000000000000', officer, {
      shareWithApplicant: true,
    });
    const after = (await api.get(`/api/cases/${reference}`, applicant)).body;
    const staffView = (await api.get(`/api/cases/${reference}`, officer)).body;

    // Assess
    expect(shared.status, shared.text).toBe(200);
    expect(shared.body).toEqual({ id: notes, sharedWithApplicant: true });
    expect(sharedAgain.status).toBe(200);
    expect(ownReport.status).toBe(200);
    expect(seen.evidence.map((file: Listed) => file.id).sort()).toEqual([notes, report, own].sort());
    expect(stopped.status).toBe(200);
    expect(after.evidence.map((file: Listed) => file.id).sort()).toEqual([notes, own].sort());
    expect(otherAgency.status).toBe(403);
    expect(byApplicant.status).toBe(403);
    expect(applicantsOwn.status).toBe(409);
    expect(badBody.status).toBe(400);
    expect(badBody.body.issues[0].path).toBe('shareWithApplicant');
    expect(unknown.status).toBe(404);
    const audit = staffView.audit.map((entry: { what: string }) => entry.what);
    expect(audit.filter((what: string) => what === 'evidence-shared')).toHaveLength(2);
    expect(audit.filter((what: string) => what === 'evidence-unshared')).toHaveLength(1);
    const told = after.timeline.filter((event: { summary: string }) =>
      event.summary.includes('was shared with the applicant'),
    );
    expect(told).toHaveLength(2);
    expect(JSON.stringify(after.timeline)).not.toContain('no longer shared');
  });

  it('refuses a file of the wrong type or too large, and too many at once, with a clear error, adding nothing', async () => {
    // Prepare
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
    const applicant = { accessCode };
    const file = (name: string, type: string, size = 1000) => ({ name, type, size });

    // Act
    const wrongType = await requestUploads(reference, applicant, [file('song.mp3', 'audio/mpeg')]);
    const tooLarge = await requestUploads(reference, applicant, [
      file('video.jpg', 'image/jpeg', MAX_EVIDENCE_BYTES + 1),
    ]);
    const heic = await requestUploads(reference, applicant, [file('IMG_0001.HEIC', 'image/heic')]);
    const tooMany = await requestUploads(
      reference,
      applicant,
      Array.from({ length: 11 }, (_, index) => file(`page ${index}.pdf`, 'application/pdf')),
    );
    const notJson = await api.post(`/api/cases/${reference}/evidence`, { files: 'diary.pdf' }, applicant);
    const view = (await api.get(`/api/cases/${reference}`, applicant)).body;

    // Assess
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.issues).toEqual([
      { path: 'files.0', message: '"song.mp3" must be a PDF, JPEG, PNG, Word document or plain text file.' },
    ]);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.message).toBe('"video.jpg" must be smaller than 10 MB.');
    expect(heic.body.message).toContain('choose it as a JPEG');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toBe('Add at most 10 files at a time.');
    expect(notJson.status).toBe(400);
    expect(view.evidence).toEqual([]);
  });

  it('keeps a file name as it reads, without the marks that would turn it round to hide its ending', async () => {
    // Prepare
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
    const applicant = { accessCode };

    // Act
    const granted = await requestUploads(reference, applicant, [
      { name: 'holiday\u202egpj.exe', type: 'image/jpeg', size: 1000 },
    ]);
    const view = (await api.get(`/api/cases/${reference}`, applicant)).body;

    // Assess
    expect(granted.status).toBe(200);
    expect(view.evidence.map((file: { name: string }) => file.name)).toEqual(['holidaygpj.exe']);
  });

  it('takes at most 30 files on a case: the 31st is a 400 naming the files, adding nothing', async () => {
    // Prepare
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
    const applicant = { accessCode };
    const pages = (from: number) =>
      Array.from({ length: 10 }, (_, index) => ({
        name: `page ${from + index}.pdf`,
        type: 'application/pdf',
        size: 1000,
      }));
    for (const from of [1, 11, 21])
      expect((await requestUploads(reference, applicant, pages(from))).status).toBe(200);

    // Act
    const oneMore = await requestUploads(reference, applicant, pages(31).slice(0, 1));
    const view = (await api.get(`/api/cases/${reference}`, applicant)).body;

    // Assess
    expect(oneMore.status).toBe(400);
    expect(oneMore.body).toMatchObject({ error: 'validation', issues: [{ path: 'files' }] });
    expect(view.evidence).toHaveLength(30);
  });

  it('refuses at storage a file larger than its presigned POST allows, storing nothing', async () => {
    // Prepare
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
    const applicant = { accessCode };
    const response = await requestUploads(reference, applicant, [
      { name: 'big.pdf', type: 'application/pdf', size: 1000 },
    ]);
    const [upload] = response.body.uploads as Upload[];

    // Act
    const posted = await postForm(upload as Upload, new Uint8Array(MAX_EVIDENCE_BYTES + 1), 'big.pdf');

    // Assess
    expect(posted.status).toBe(400);
    expect(await posted.text()).toContain('EntityTooLarge');
    const link = await api.get(`/api/cases/${reference}/evidence/${(upload as Upload).id}`, applicant);
    expect(link.status).toBe(409);
  });

  it('answers 409 while a file is pending and 410 once its content is refused', async () => {
    // Prepare
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
    const applicant = { accessCode };
    const response = await requestUploads(reference, applicant, [
      { name: 'diary.pdf', type: 'application/pdf', size: 20 },
    ]);
    const [upload] = response.body.uploads as Upload[];
    const id = (upload as Upload).id;

    // Act
    const pending = await api.get(`/api/cases/${reference}/evidence/${id}`, applicant);
    await postForm(upload as Upload, Buffer.from('not a PDF at all\n'), 'diary.pdf');
    const listed = await waitForVerdict(reference, applicant, id);
    const gone = await api.get(`/api/cases/${reference}/evidence/${id}`, officer);

    // Assess
    expect(pending.status).toBe(409);
    expect(listed.verdict).toBe('rejected');
    expect(gone.status).toBe(410);
    expect(gone.body.message).toBe('The file is a plain text file, not the PDF it was added as.');
  });

  it('adds the files of a request sent again with the same Idempotency-Key once', async () => {
    // Prepare
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
    const applicant = { accessCode };
    const files = [{ name: 'diary.pdf', type: 'application/pdf', size: 100 }];
    const headers = { 'idempotency-key': 'evidence-retry-1' };

    // Act
    const first = await requestUploads(reference, applicant, files, { headers });
    const again = await requestUploads(reference, applicant, files, { headers });
    const view = (await api.get(`/api/cases/${reference}`, applicant)).body;

    // Assess
    expect(again.body.uploads.map((upload: Upload) => upload.id)).toEqual(
      first.body.uploads.map((upload: Upload) => upload.id),
    );
    expect(view.evidence).toHaveLength(1);
  });

  it('lets nobody else add or fetch files', async () => {
    // Prepare
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'sefton' }));
    const files = [{ name: 'diary.pdf', type: 'application/pdf', size: 100 }];
    const id = await addFile(
      reference,
      { accessCode },
      { name: 'diary.pdf', type: 'application/pdf', bytes: pdf() },
    );

    // Act
    const anonymous = await requestUploads(reference, {}, files);
    const wrongCode = await requestUploads(reference, { accessCode: 'WRONG-CODE' }, files);
    const otherCsp = await requestUploads(reference, otherOfficer, files);
    const notShared = await requestUploads(reference, police, files);
    const otherFetch = await api.get(`/api/cases/${reference}/evidence/${id}`, otherOfficer);
    const unknown = await api.get(`/api/cases/${reference}/evidence/not-an-id`, officer);

    // Assess
    expect(anonymous.status).toBe(401);
    expect(wrongCode.status).toBe(403);
    expect(otherCsp.status).toBe(403);
    expect(notShared.status).toBe(403);
    expect(otherFetch.status).toBe(403);
    expect(unknown.status).toBe(404);
  });

  it("deletes a case's files once its retention ended when an operator runs the nightly retention schedule now", async () => {
    // Prepare: two cases with a file each, one whose retention ended yesterday.
    const ended = await api.submit(applicationBody({ csp: 'sefton' }));
    const open = await api.submit(applicationBody({ csp: 'sefton' }));
    for (const { reference, accessCode } of [ended, open]) {
      const id = await addFile(
        reference,
        { accessCode },
        { name: 'diary.pdf', type: 'application/pdf', bytes: pdf() },
      );
      await waitForVerdict(reference, officer, id);
    }
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: service.dynamodbEndpoint,
        region: 'eu-west-2',
        credentials: localCredentials,
      }),
    );
    await db.send(
      new UpdateCommand({
        TableName: service.env.CASES_TABLE,
        Key: caseKey(ended.reference),
        UpdateExpression: 'SET expiresAt = :at',
        ExpressionAttributeValues: { ':at': Math.floor(Date.now() / 1000) - 86_400 },
      }),
    );
    const s3 = new S3Client({
      endpoint: service.s3Endpoint,
      region: 'eu-west-2',
      forcePathStyle: true,
      credentials: localCredentials,
    });
    const objectsOf = async (reference: string) => {
      const keys: (string | undefined)[] = [];
      for (const prefix of [`uploads/${reference}/`, `clean/${reference}/`]) {
        const listed = await s3.send(
          new ListObjectVersionsCommand({ Bucket: 'asb-evidence', Prefix: prefix }),
        );
        keys.push(...(listed.Versions ?? []).map((version) => version.Key));
      }
      return keys;
    };

    // Act
    const ran = await fetch(`${service.url}/local/schedules`, {
      method: 'POST',
      body: JSON.stringify({ schedule: 'DailyEvidenceRetention' }),
    });
    const { schedules } = (await (await fetch(`${service.url}/local/schedules`)).json()) as {
      schedules: { name: string; expression: string; timeZone: string; nextRun: string }[];
    };

    // Assess
    expect(ran.status).toBe(200);
    expect(await ran.json()).toMatchObject({ run: { outcome: 'succeeded', result: { casesDeleted: 1 } } });
    expect(await objectsOf(ended.reference)).toEqual([]);
    expect(await objectsOf(open.reference)).toHaveLength(2);
    expect(schedules.map(({ name, expression, timeZone }) => [name, expression, timeZone])).toEqual([
      ['DailyReconciliation', 'cron(0 6 * * ? *)', 'Europe/London'],
      ['DailyEvidenceRetention', 'cron(0 3 * * ? *)', 'Europe/London'],
    ]);
    s3.destroy();
    db.destroy();
  });
});

describe('who is involved and the witnesses', { timeout: 120_000 }, () => {
  const involved = [
    { name: 'Dana Upstairs', description: 'Tall, red jacket', address: 'Flat 3, 2 Example Street' },
    { description: 'A friend who visits at night' },
  ];
  const witnesses = [{ name: 'Wendy Witness', contact: '07700 900 123' }];

  it('are shown to staff of the case only, and never enter the workflow or the logs', async () => {
    // Prepare
    const body = { ...applicationBody({ csp: 'sefton' }), involved, witnesses };

    // Act
    const { reference, accessCode } = await api.submit(body);
    const applicant = { accessCode };
    await api.waitForStage(reference, applicant, 'awaiting-threshold-decision');
    const staffView = (await api.get(`/api/cases/${reference}`, officer)).body;
    const applicantView = await api.get(`/api/cases/${reference}`, applicant);
    const otherCsp = await api.get(`/api/cases/${reference}`, otherOfficer);
    const sfn = new SFNClient({
      endpoint: service.stepFunctionsEndpoint,
      region: 'eu-west-2',
      credentials: localCredentials,
    });
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: `arn:aws:states:eu-west-2:000000000000:execution:case-review:${reference}`,
        maxResults: 1000,
      }),
    );
    sfn.destroy();

    // Assess
    expect(staffView.application.involved).toEqual(involved);
    expect(staffView.application.witnesses).toEqual(witnesses);
    expect(applicantView.text).not.toContain('Dana Upstairs');
    expect(applicantView.text).not.toContain('Wendy Witness');
    expect(otherCsp.status).toBe(403);
    const history = JSON.stringify(events);
    expect(history).toContain(reference);
    for (const personal of ['Dana Upstairs', 'red jacket', 'Flat 3', 'Wendy Witness', '07700 900 123']) {
      expect(history).not.toContain(personal);
      expect(service.output()).not.toContain(personal);
    }
  });

  it('are optional, an empty list counting as none, and refused with a clear error when empty or malformed', async () => {
    // Act
    const none = await api.post('/api/applications', { ...applicationBody(), involved: [], witnesses: [] });
    const blankPerson = await api.post('/api/applications', {
      ...applicationBody(),
      involved: [{ name: ' ' }],
    });
    const noWitnessName = await api.post('/api/applications', {
      ...applicationBody(),
      witnesses: [{ contact: '07700 900 123' }],
    });

    // Assess
    expect(none.status).toBe(201);
    expect(blankPerson.status).toBe(400);
    expect(blankPerson.body.issues).toEqual([
      {
        path: 'involved.0.name',
        message: 'Enter their name, a description of them, or where they live or are seen',
      },
    ]);
    expect(noWitnessName.status).toBe(400);
    expect(noWitnessName.body.issues).toEqual([
      { path: 'witnesses.0.name', message: 'Enter the name of the witness' },
    ]);
  });
});

describe('evidence on the pages without JavaScript', { timeout: 180_000 }, () => {
  it('takes a photo and a diary sheet on the confirmation page, one form each, and serves the photo without its location', async () => {
    // Prepare
    const resident = new FormBrowser(service);
    const { reference, accessCode, html: confirmation } = await applyWithoutJavaScript(resident);

    // Act
    const photoSent = await resident.upload(confirmation, await photoWithLocation(), 'stairwell.jpg');
    const back = photoSent.headers.get('location') ?? '';
    const afterPhoto = (await resident.get(back)).html;
    const diarySent = await resident.upload(afterPhoto, pdf(), 'diary.pdf');
    await resident.get(diarySent.headers.get('location') ?? '');
    const listed = await reloadUntil(resident, '/apply/confirmation', /PDF document[\s\S]*Not scanned/);
    const signedIn = await resident.post('/track', { reference, accessCode });
    const track = await reloadUntil(resident, '/track', /Photo \(JPEG\)/);
    const photoLink = /href="(\/track\/files\/[^"]+)"[^>]*>Photo \(JPEG\)/.exec(track)?.[1] ?? '';
    const download = await resident.get(photoLink);
    const served = await fetch(download.response.headers.get('location') ?? '');
    const bytes = Buffer.from(await served.arrayBuffer());

    // Assess
    expect(reference).toMatch(/^SEF-/);
    expect(confirmation).toContain('Add photos or documents (optional)');
    expect(photoSent.status).toBe(303);
    expect(back.startsWith(`${service.url}/apply/confirmation?uploaded=`)).toBe(true);
    expect(afterPhoto).toContain('Your file was sent');
    expect(afterPhoto).toContain('Add another file');
    expect(diarySent.status).toBe(303);
    expect(listed).toContain('Photo (JPEG)');
    expect(signedIn.status).toBe(303);
    expect(download.response.status).toBe(302);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-disposition')).toContain('attachment');
    const metadata = await sharp(bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('Pat Resident'))).toBe(false);
    const view = (await new ApiClient(service).get(`/api/cases/${reference}`, { accessCode })).body;
    expect(view.evidence.map((file: { type: string }) => file.type)).toEqual([
      'image/jpeg',
      'application/pdf',
    ]);
  });

  it('lists a file of the wrong type as refused, with the reason', async () => {
    // Prepare
    const resident = new FormBrowser(service);
    const { html } = await applyWithoutJavaScript(resident);

    // Act
    const sent = await resident.upload(html, Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]), 'setup.exe');
    await resident.get(sent.headers.get('location') ?? '');
    const listed = await reloadUntil(resident, '/apply/confirmation', /Refused/);

    // Assess
    expect(listed).toContain('The file must be a PDF, JPEG, PNG, Word document or plain text file.');
  });

  it('lets an officer and the police add documents on the case page', async () => {
    // Prepare
    const api = new ApiClient(service);
    const resident = new FormBrowser(service);
    const { reference, accessCode } = await applyWithoutJavaScript(resident);
    const officerToken = await service.token({ role: 'officer', csp: 'sefton', name: 'A Officer' });
    const policeToken = await service.token({
      role: 'agency',
      csp: 'sefton',
      agency: 'police',
      name: 'P Constable',
    });
    await api.waitForStage(reference, { accessCode }, 'awaiting-threshold-decision');
    await api.act(
      reference,
      'threshold-decision',
      { met: true, route: 'discretionary', reason: 'Met.' },
      { token: officerToken },
    );
    await api.waitForStage(reference, { accessCode }, 'awaiting-review');
    // The police are asked for what they knew and did, so the case is shared with them.
    await api.act(
      reference,
      'information-requests',
      { agencies: ['police'], message: 'What did you know and do?' },
      { token: officerToken },
    );
    const officer = new FormBrowser(service, { authorization: `Bearer ${officerToken}` });
    const police = new FormBrowser(service, { authorization: `Bearer ${policeToken}` });
    const casePath = `/staff/cases/${reference}`;

    // Act
    const officerPage = (await officer.get(casePath)).html;
    await officer.get(
      (await officer.upload(officerPage, Buffer.from('Notes of the meeting.\n'), 'notes.txt')).headers.get(
        'location',
      ) ?? '',
    );
    const policePage = (await police.get(casePath)).html;
    await police.get((await police.upload(policePage, pdf(), 'report.pdf')).headers.get('location') ?? '');
    const listed = await reloadUntil(officer, casePath, /Text file[\s\S]*PDF document/);
    const residentView = (await api.get(`/api/cases/${reference}`, { accessCode })).body;

    // Assess
    expect(officerPage).toContain('Add a document');
    expect(listed).toContain('A Officer, Council officer');
    expect(listed).toContain('P Constable, Police');
    expect(residentView.evidence).toEqual([]);
  });
});
