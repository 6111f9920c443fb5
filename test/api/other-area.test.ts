// `AREA_CONFIG_FILE` makes `npm start` serve another police area (contract.md, "Running it"): the
// journey over HTTP on the fictional example area, whose CSPs, thresholds, deadlines and calendar
// reporting year all differ from Merseyside's, so anything that still assumed Merseyside fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireCsp } from '#core/area-config.ts';
import { deadlineFor } from '#core/deadlines.ts';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { reportingYearOf } from '#core/reporting-year.ts';
import { ApiClient } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { EXAMPLE_AREA, EXAMPLE_AREA_FILE } from '#test/support/example-area.ts';
import { type LocalService, SERVICE_MODES, startLocalService } from '#test/support/local-service.ts';
import { runReconcile, runRecount } from '#test/support/recount.ts';

let service: LocalService;
let api: ApiClient;
const year = reportingYearOf(new Date(), 'calendar').label;
const today = ukDateOf(new Date());

// In the deployed mode the CDK app is synthesised with the same file (`-c areaConfig=…`).
describe.each(SERVICE_MODES)('%s', (mode) => {
  beforeAll(async () => {
    service = await startLocalService({ mode, env: { AREA_CONFIG_FILE: EXAMPLE_AREA_FILE } });
    api = new ApiClient(service);
  }, 360_000);

  afterAll(async () => {
    await service?.stop();
  });

  describe('npm start with AREA_CONFIG_FILE naming the example area', { timeout: 300_000 }, () => {
    it('takes a case through its own threshold and deadlines to a PCC decision, counted under that area', async () => {
      // Prepare
      const officer = { token: await service.token({ role: 'officer', csp: 'axeford', name: 'A Officer' }) };
      const pcc = { token: await service.token({ role: 'pcc', name: 'The PCC Office' }) };
      const axeford = requireCsp(EXAMPLE_AREA, 'axeford');

      // Act and assess, step by step
      // Two complaints meet Axeford's route A (Merseyside needs three).
      const { reference, accessCode } = await api.submit(applicationBody({ csp: 'axeford', incidents: 2 }));
      const applicant = { accessCode };
      expect(reference).toMatch(/^AXE-/);
      const assessed = await api.waitForStage(reference, applicant, 'awaiting-threshold-decision');
      expect(assessed.thresholdAssessment).toMatchObject({ met: true, route: 'A' });
      expect(assessed.deadlines).toMatchObject({
        thresholdDecision: deadlineFor('thresholdDecision', axeford, assessed.receivedAt as string),
      });

      await api.act(
        reference,
        'threshold-decision',
        { met: true, route: 'A', reason: 'Two complaints' },
        officer,
      );
      await api.waitForStage(reference, applicant, 'awaiting-review');
      await api.act(
        reference,
        'review-outcome',
        {
          heldOn: today,
          summary: 'The partners agreed an action plan.',
          findings: FINDINGS,
          recommendations: [{ action: 'Joint visit', owner: 'police', dueBy: addDays(today, 30) }],
        },
        officer,
      );
      await api.waitForStage(reference, applicant, 'action-plan-consultation');
      await api.act(
        reference,
        'action-plan',
        {
          recommendations: [{ action: 'Joint visit', owner: 'police', dueBy: addDays(today, 30) }],
          changes: 'Nothing changed.',
        },
        officer,
      );
      await api.waitForStage(reference, applicant, 'review-complete');
      // The plan's action done, so the review standing closes the case.
      await api.act(reference, 'actions/1-1/progress', { status: 'done', note: 'Visited.' }, officer);
      await api.act(reference, 'referral', { reason: 'The plan misses the threats.' }, applicant);
      await api.waitForStage(reference, applicant, 'awaiting-pcc-decision');
      const pccView = await api.get(`/api/cases/${reference}`, pcc);
      await api.act(reference, 'pcc-decision', { outcome: 'review-stands', reason: 'Due process.' }, pcc);
      const closed = await api.waitForStage(reference, applicant, 'closed');

      expect(pccView.status).toBe(200);
      expect(pccView.body).toMatchObject({ csp: 'axeford', pccArea: EXAMPLE_AREA.id });
      expect(closed.closure).toMatchObject({ reason: 'pcc-decided' });
      const statistics = await api.get(`/api/statistics?year=${year}`);
      expect(statistics.status).toBe(200);
      expect(statistics.body).toMatchObject({ pccArea: EXAMPLE_AREA.id, year, from: `${year}-01-01` });
      expect(statistics.body.rows.map((row: { csp: string }) => row.csp)).toEqual(
        EXAMPLE_AREA.csps.map((csp) => csp.id),
      );
      expect((await api.statistics(year)).axeford).toMatchObject({
        applicationsReceived: 1,
        thresholdNotMet: 0,
        caseReviewsCarriedOut: 1,
        reviewsWithRecommendations: 1,
        referralsToPcc: 1,
      });
    });

    it('assesses the same two complaints as not met where the CSP asks for three', async () => {
      // Act
      const { reference, accessCode } = await api.submit(
        applicationBody({ csp: 'fennick-cross', incidents: 2 }),
      );
      const assessed = await api.waitForStage(reference, { accessCode }, 'awaiting-threshold-decision');

      // Assess
      expect(assessed.thresholdAssessment).toMatchObject({ met: false, route: null });
    });

    it('refuses an application, a sign-in and a year of Merseyside with 400', async () => {
      // Act
      const application = await api.post('/api/applications', applicationBody({ csp: 'sefton' }));
      const token = await fetch(`${service.url}/local/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'officer', csp: 'sefton', name: 'S Officer' }),
      });
      const financialYear = await api.get(
        `/api/statistics?year=${reportingYearOf(new Date(), 'financial').label}`,
      );

      // Assess
      expect(application.status).toBe(400);
      expect(application.body).toMatchObject({ error: 'validation', issues: [{ path: 'csp' }] });
      expect(token.status).toBe(400);
      expect(financialYear.status).toBe(400);
    });

    it("serves pages that name that area's CSPs and no Merseyside one", async () => {
      // Act
      const start = await api.get('/');

      // Assess
      expect(start.status).toBe(200);
      for (const csp of EXAMPLE_AREA.csps) expect(start.text).toContain(csp.name);
      expect(start.text).not.toMatch(/Sefton|Knowsley|Merseyside/);
    });

    it('tells panels on the statistics page that its years are calendar years', async () => {
      // Act
      const page = await api.get(`/statistics?year=${year}`);

      // Assess
      expect(page.status).toBe(200);
      expect(page.text).toContain('Years run from 1 January to 31 December.');
      expect(page.text).not.toContain('1 April');
    });

    it('recounts the calendar year of that area equal to its counters', async () => {
      // Act
      const { code, output } = await runRecount(service, year);

      // Assess
      expect(output).toContain(`Recount of ${year}`);
      expect(output).toMatch(/^fennick-cross /m);
      expect(output).toContain('The counters equal the recount.');
      expect(code).toBe(0);
    });

    it("is reconciled by npm run reconcile on the service's ports, finding its open cases running", async () => {
      // Act
      const { code, output } = await runReconcile(service);

      // Assess
      expect(output).toMatch(/^Checked [1-9]\d* open case\(s\)\.$/m);
      expect(output).not.toMatch(/Resumed|Started|Could not/);
      expect(code).toBe(0);
    });

    it("refuses to reconcile that area's tables as Merseyside's, naming both areas", async () => {
      // Act
      const reconcile = await runReconcile(service, { AREA_CONFIG_FILE: '' });

      // Assess
      expect(reconcile.output).toContain(
        `Could not reconcile: the tables hold the counts of area '${EXAMPLE_AREA.id}', not of 'merseyside': AREA_CONFIG_FILE must name`,
      );
      expect(reconcile.code).toBe(2);
    });
  });
});
