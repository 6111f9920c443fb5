// The pages' function with stand-ins for what lies behind it (the case operations, the draft table, the
// token verifier), and a small browser-like client that keeps cookies and reads form tokens, so page
// tests run without DynamoDB, the workflow or a browser.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ProgressDone } from '#cases/action-progress.ts';
import type { ApplicantCaller, Caller, StaffCaller } from '#cases/caller.ts';
import type { ActionDone } from '#cases/case-actions.ts';
import type { CaseWithUploadForm, UploadOptions } from '#cases/case-evidence.ts';
import type { LinkSuggestions, LinksChanged } from '#cases/case-links.ts';
import type { ReviewStep, ReviewStepDone } from '#cases/case-review-steps.ts';
import type { ApplicantCaseView, CaseView, StaffCaseView } from '#cases/case-views.ts';
import type { CaseOperations } from '#cases/operations.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import type {
  PublishedStatistics,
  SignedOffReturn,
  StatisticsOverview,
  StatisticsTrend,
} from '#cases/statistics.ts';
import type { Submission, SubmitOptions } from '#cases/submit-application.ts';
import type { Worklist, WorklistItem, WorklistQuery } from '#cases/worklist.ts';
import { MERSEYSIDE } from '#core/area-config.ts';
import { AlreadySubmittedError, InvalidInputError, NotAllowedError, NotFoundError } from '#core/errors.ts';
import { applicationSchema } from '#core/schemas/application.ts';
import { assignmentSchema } from '#core/schemas/case-work.ts';
import { validate } from '#core/schemas/issues.ts';
import type { CaseAction } from '#core/stages.ts';
import { DraftChangedError } from '#data/draft-repository.ts';
import type { StaffIdentity } from '#shared/staff-token.ts';
import { InvalidStaffTokenError } from '#shared/staff-token.ts';
import { applicantCaseView } from '#test/support/case-views.ts';
import { createWebApp } from '#web/app.ts';
import type { Draft, DraftStore } from '#web/apply/draft.ts';
import type { StaffPageDeps } from '#web/page-context.ts';
import { createRenderer } from '#web/render/renderer.ts';
import { residentRoutes } from '#web/resident-routes.ts';
import type { PageRoutes } from '#web/routes.ts';
import { webKeys } from '#web/session/keys.ts';
import type { SignInSettings } from '#web/session/sign-in-settings.ts';
import { staffRoutes } from '#web/staff-routes.ts';
import { webPaths } from '#web/web-paths.ts';

export class MemoryDraftStore implements DraftStore {
  readonly drafts = new Map<string, Draft>();

  async get(id: string) {
    return this.drafts.get(id);
  }

  async save(draft: Draft) {
    const stored = this.drafts.get(draft.id);
    if ((stored?.version ?? 0) !== draft.version) throw new DraftChangedError();
    const saved = { ...draft, version: draft.version + 1 };
    this.drafts.set(draft.id, saved);
    return saved;
  }

  async delete(id: string) {
    this.drafts.delete(id);
  }
}

export interface RecordedAct {
  readonly reference: string;
  readonly action: CaseAction | ReviewStep | 'action-progress';
  readonly body: unknown;
  readonly caller: Caller;
}

/**
 * A case as the worklist lists it: to an agency asked about it, with the date its reply is due, and to one
 * owning actions of its plan, the day its next is due.
 */
function worklistItem(view: CaseView, caller: Caller): WorklistItem {
  const applicant = 'application' in view ? view.application.applicant : undefined;
  const agency = caller.kind === 'staff' && caller.staff.role === 'agency' ? caller.staff.agency : undefined;
  const asked =
    'informationRequests' in view && view.stage === 'awaiting-review'
      ? view.informationRequests.find((request) => request.agency === agency)
      : undefined;
  const ownActions =
    'actionPlan' in view && view.stage === 'review-complete'
      ? (view.actionPlan?.actions ?? []).filter(
          (action) =>
            action.owner === agency && (action.status === 'open' || action.status === 'in-progress'),
        )
      : [];
  const actionDueBy = ownActions.map((action) => action.dueBy).sort()[0];
  return {
    reference: view.reference,
    csp: view.csp,
    stage: view.stage,
    receivedAt: view.receivedAt,
    nextDeadline: view.nextDeadline,
    overdue: view.overdue,
    needsAttention: 'needsAttention' in view && view.needsAttention !== null,
    channel: view.channel,
    applicantName: applicant?.name ?? null,
    postcode: applicant?.postcode ?? null,
    assignedTo: 'assignedTo' in view ? view.assignedTo : null,
    ...(view.stage === 'awaiting-review' && view.meeting !== null && { upcomingMeeting: view.meeting.at }),
    ...(asked !== undefined && { replyBy: asked.dueBy }),
    ...(actionDueBy !== undefined && { actionDueBy }),
  };
}

/** The case operations as far as page tests need them: submissions checked by the core schema, idempotent by key. */
export class FakeOperations implements CaseOperations {
  readonly submissions = new Map<string, Submission>();
  /** The body each key was first submitted with: the same key with another body is refused, as the service does. */
  private readonly submittedBodies = new Map<string, string>();
  /** Each submission as the pages made it: the caller and the options they passed. */
  readonly submitCallers: { caller: Caller; options: SubmitOptions; body: unknown }[] = [];
  /** Each worklist asked for, with its caller and query. */
  readonly worklists: { caller: Caller; query: WorklistQuery }[] = [];
  readonly assignments: { reference: string; to: string | undefined; caller: Caller }[] = [];
  readonly notes: { reference: string; text: string; caller: Caller }[] = [];
  /** Each search made, with its caller and what was searched for. */
  readonly searches: { caller: Caller; q: string | undefined }[] = [];
  readonly acts: RecordedAct[] = [];
  /** What getCase returns, by reference; the applicant must give `accessCode`. */
  readonly cases = new Map<string, { view: CaseView; accessCode: string }>();
  /** Set to make the next act fail. */
  failNextAct: Error | undefined;
  /** What linkSuggestions returns, by reference (none by default). */
  readonly suggestions = new Map<string, LinkSuggestions>();
  readonly linkChanges: { reference: string; body: unknown; caller: Caller }[] = [];
  /** Set to make the next change of links fail. */
  failNextLinks: Error | undefined;
  submitCalls = 0;
  /** Each reference a new access code was asked for, as given. */
  readonly newCodeRequests: string[] = [];
  now = new Date();

  async requestNewAccessCode(reference: string, readBody: RequestBody) {
    readBody();
    this.newCodeRequests.push(reference);
  }

  async submitApplication(readBody: RequestBody, caller: Caller, options: SubmitOptions) {
    this.submitCalls += 1;
    const body = readBody();
    this.submitCallers.push({ caller, options, body });
    const idempotencyKey = options.idempotencyKey ?? '';
    const staff = caller.kind === 'staff';
    const schema = applicationSchema({
      now: this.now,
      staff,
      cspIds: staff && caller.staff.csp ? [caller.staff.csp] : MERSEYSIDE.csps.map((csp) => csp.id),
    });
    const result = validate(schema, body);
    if (!result.success) throw new InvalidInputError(result.issues);
    const earlier = this.submissions.get(idempotencyKey);
    if (earlier && this.submittedBodies.get(idempotencyKey) !== JSON.stringify(body)) {
      throw new AlreadySubmittedError(
        'This Idempotency-Key was used for a different application.',
        earlier.reference,
      );
    }
    if (earlier) return earlier;
    const submitted: Submission = {
      reference: `SEF-TEST-${String(this.submissions.size + 1).padStart(4, '0')}`,
      accessCode: `CODE-${idempotencyKey}`,
      stage: 'received',
    };
    this.submissions.set(idempotencyKey, submitted);
    this.submittedBodies.set(idempotencyKey, JSON.stringify(body));
    // The confirmation page reads the new case (its files) as its applicant.
    this.cases.set(submitted.reference, {
      view: applicantCaseView({ reference: submitted.reference }),
      accessCode: submitted.accessCode,
    });
    return submitted;
  }

  getCase(reference: string, caller: StaffCaller): Promise<StaffCaseView>;
  getCase(reference: string, caller: ApplicantCaller): Promise<ApplicantCaseView>;
  async getCase(reference: string, caller: Caller): Promise<CaseView> {
    return this.caseAs(reference, caller);
  }

  private caseAs(reference: string, caller: Caller): CaseView {
    const found = this.cases.get(reference);
    if (!found) throw new NotFoundError();
    if (caller.kind === 'applicant' && caller.accessCode !== found.accessCode) throw new NotAllowedError();
    if (caller.kind === 'anonymous') throw new NotAllowedError();
    return found.view;
  }

  async listCases(caller: Caller, query: WorklistQuery) {
    this.worklists.push({ caller, query });
    if (query.cursor !== undefined && query.cursor !== 'page-2') {
      throw new InvalidInputError([{ path: 'cursor', message: 'Start again from the first page' }]);
    }
    return {
      cases: [...this.cases.values()].map(({ view }) => worklistItem(view, caller)),
      next: null,
    } satisfies Worklist;
  }

  /** Every case whose reference or applicant's name holds the words searched for. */
  async searchCases(caller: Caller, readBody: RequestBody) {
    const { q } = readBody() as { q?: string };
    this.searches.push({ caller, q });
    if (!q?.trim()) {
      throw new InvalidInputError([
        { path: 'q', message: 'Enter a case reference, the applicant’s name or their postcode' },
      ]);
    }
    const words = q.toLowerCase().split(/\s+/);
    const cases = [...this.cases.values()]
      .map(({ view }) => view)
      .filter((view) => {
        const name = 'application' in view ? view.application.applicant.name : '';
        const text = `${view.reference} ${name}`.toLowerCase();
        return words.every((word) => text.includes(word));
      });
    return { cases: cases.map((view) => worklistItem(view, caller)), next: null } satisfies Worklist;
  }

  async changeAssignment(reference: string, readBody: RequestBody, caller: Caller) {
    const { to } = parseInput(assignmentSchema, readBody());
    this.assignments.push({ reference, to, caller });
    const staff = caller.kind === 'staff' ? caller.staff : undefined;
    return { reference, assignedTo: to === 'me' && staff ? { sub: staff.sub, name: staff.name } : null };
  }

  async addNote(reference: string, readBody: RequestBody, caller: Caller) {
    const { text } = readBody() as { text?: string };
    if (!text?.trim()) throw new InvalidInputError([{ path: 'text', message: 'Enter the note' }]);
    this.notes.push({ reference, text, caller });
    return { reference, note: { at: this.now.toISOString(), text } };
  }

  async act(
    reference: string,
    action: CaseAction,
    readBody: RequestBody,
    caller: Caller,
  ): Promise<ActionDone> {
    return this.record(reference, action, readBody, caller);
  }

  /** Recorded with the actions, as the pages take both kinds the same way. */
  async reviewStep(
    reference: string,
    step: ReviewStep,
    readBody: RequestBody,
    caller: Caller,
  ): Promise<ReviewStepDone> {
    return this.record(reference, step, readBody, caller);
  }

  /** Recorded with the actions, under `action-progress`, with the action's id beside its body. */
  async actionProgress(
    reference: string,
    actionId: string,
    readBody: RequestBody,
    caller: Caller,
  ): Promise<ProgressDone> {
    const done = this.record(
      reference,
      'action-progress',
      () => ({ actionId, ...(readBody() as object) }),
      caller,
    );
    return { ...done, action: 'action-progress', actionId, status: 'in-progress' };
  }

  private record<A extends CaseAction | ReviewStep | 'action-progress'>(
    reference: string,
    action: A,
    readBody: RequestBody,
    caller: Caller,
  ) {
    this.acts.push({ reference, action, body: readBody(), caller });
    const failure = this.failNextAct;
    this.failNextAct = undefined;
    if (failure) throw failure;
    return { reference, action, changed: true, stage: this.cases.get(reference)?.view.stage ?? 'received' };
  }

  private linksOf(reference: string) {
    const view = this.cases.get(reference)?.view;
    return view !== undefined && 'links' in view ? view.links : [];
  }

  async linkSuggestions(reference: string): Promise<LinkSuggestions> {
    return this.suggestions.get(reference) ?? { reference, links: this.linksOf(reference), suggestions: [] };
  }

  async changeLinks(reference: string, readBody: RequestBody, caller: Caller): Promise<LinksChanged> {
    this.linkChanges.push({ reference, body: readBody(), caller });
    const failure = this.failNextLinks;
    this.failNextLinks = undefined;
    if (failure) throw failure;
    return { reference, changed: true, links: this.linksOf(reference) };
  }

  async statistics(query: { year?: string | undefined }): Promise<PublishedStatistics> {
    return { format: 'json', table: this.table(query.year) };
  }

  private table(year: string | undefined) {
    const label = year ?? '2015-16';
    const row = (csp: string, name: string, counts: number[] | null) =>
      counts
        ? {
            csp,
            name,
            status: 'confirmed' as const,
            available: true as const,
            signedOffAt: null,
            changedAfterSignOff: false,
            applicationsReceived: counts[0] ?? 0,
            thresholdNotMet: counts[1] ?? 0,
            caseReviewsCarriedOut: counts[2] ?? 0,
            reviewsWithRecommendations: counts[3] ?? 0,
            referralsToPcc: counts[4] ?? 0,
            inProgress: (counts[0] ?? 0) - (counts[1] ?? 0) - (counts[2] ?? 0),
          }
        : {
            csp,
            name,
            status: 'not-available' as const,
            available: false as const,
            signedOffAt: null,
            changedAfterSignOff: false as const,
            applicationsReceived: null,
            thresholdNotMet: null,
            caseReviewsCarriedOut: null,
            reviewsWithRecommendations: null,
            referralsToPcc: null,
            inProgress: null,
          };
    return {
      pccArea: 'merseyside',
      year: label,
      from: `${label.slice(0, 4)}-04-01`,
      to: `${Number(label.slice(0, 4)) + 1}-03-31`,
      rows: [row('sefton', 'Sefton', [15, 13, 2, 0, 1]), row('wirral', 'Wirral', null)],
      total: {
        applicationsReceived: 15,
        thresholdNotMet: 13,
        caseReviewsCarriedOut: 2,
        reviewsWithRecommendations: 0,
        referralsToPcc: 1,
      },
      totalInProgress: 0,
    };
  }

  async statisticsYears() {
    return { pccArea: 'merseyside', years: ['2015-16'] };
  }

  async statisticsTrend(): Promise<StatisticsTrend> {
    return { pccArea: 'merseyside', years: [{ year: '2015-16', total: this.table('2015-16').total }] };
  }

  /** The year's table and the trend as the two methods above give them, so a test may replace either. */
  async statisticsOverview(query: { year?: string | undefined }): Promise<StatisticsOverview> {
    const [{ table }, trend] = await Promise.all([this.statistics(query), this.statisticsTrend()]);
    return { table, trend };
  }

  async signOffReturn(readBody: RequestBody): Promise<SignedOffReturn> {
    readBody();
    return { pccArea: 'merseyside', year: '2015-16', ...this.table('2015-16').rows[0] };
  }

  /** Each upload a page confirmed, as storage's return made it. */
  readonly confirmedUploads: { reference: string; id: string; caller: Caller }[] = [];

  getCaseWithUploadForm(
    reference: string,
    caller: StaffCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm<StaffCaseView>>;
  getCaseWithUploadForm(
    reference: string,
    caller: ApplicantCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm<ApplicantCaseView>>;
  getCaseWithUploadForm(
    reference: string,
    caller: StaffCaller | ApplicantCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm>;
  async getCaseWithUploadForm(
    reference: string,
    caller: Caller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm> {
    const view = this.caseAs(reference, caller);
    const id = '00000000-0000-4000-8000-000000000001';
    return {
      view,
      upload: {
        id,
        url: 'https://storage.test/asb-evidence',
        fields: { key: `uploads/SEF-TEST/${id}`, success_action_redirect: redirect(id) },
      },
    };
  }

  async confirmUpload(reference: string, id: string, caller: Caller) {
    this.confirmedUploads.push({ reference, id, caller });
  }

  /** Each request for several uploads at once, with the body and the options the page passed. */
  readonly uploadRequests: { reference: string; body: unknown; caller: Caller; options: UploadOptions }[] =
    [];

  async requestUploads(reference: string, readBody: RequestBody, caller: Caller, options: UploadOptions) {
    const body = readBody() as { files?: { name: string; type: string }[] };
    this.uploadRequests.push({ reference, body, caller, options });
    const files = body.files ?? [];
    const wrong = files.findIndex((file) => file.type === 'audio/mpeg');
    if (wrong >= 0) {
      throw new InvalidInputError([
        { path: `files.${wrong}`, message: 'It must be a PDF, JPEG, PNG, Word document or plain text file.' },
      ]);
    }
    return {
      uploads: files.map((_, index) => {
        const id = `00000000-0000-4000-8000-00000000010${index}`;
        return {
          id,
          url: 'https://storage.test/asb-evidence',
          fields: { key: `uploads/${reference}/${id}` },
        };
      }),
    };
  }

  async evidenceDownload(_reference: string, id: string) {
    return { url: `https://storage.test/asb-evidence/clean/${id}`, expiresAt: this.now.toISOString() };
  }

  /** Each file the pages shared with the applicant or stopped sharing, with the body they sent. */
  readonly shares: { reference: string; id: string; body: unknown; caller: Caller }[] = [];

  async shareEvidence(reference: string, id: string, readBody: RequestBody, caller: Caller) {
    const body = readBody() as { shareWithApplicant?: unknown };
    if (typeof body.shareWithApplicant !== 'boolean') {
      throw new InvalidInputError([{ path: 'shareWithApplicant', message: 'Say true or false' }]);
    }
    this.shares.push({ reference, id, body, caller });
    const found = this.cases.get(reference);
    if (!found?.view.evidence.some((file) => file.id === id)) throw new NotFoundError();
    const sharedWithApplicant = body.shareWithApplicant;
    const evidence = found.view.evidence.map((file) =>
      file.id === id ? { ...file, sharedWithApplicant } : file,
    );
    this.cases.set(reference, { ...found, view: { ...found.view, evidence } as CaseView });
    return { id, sharedWithApplicant };
  }
}

/** The pages' keys, of one secret: the service between rotations. */
const KEYS = webKeys(Buffer.alloc(32, 7));

export const STAFF: Readonly<Record<string, StaffIdentity>> = {
  'officer-token': {
    sub: 'officer-1',
    name: 'Olivia Officer',
    role: 'officer',
    csp: 'sefton',
    pccArea: 'merseyside',
  },
  'police-token': {
    sub: 'police-1',
    name: 'Pat Constable',
    role: 'agency',
    csp: 'sefton',
    agency: 'police',
    pccArea: 'merseyside',
  },
  'pcc-token': { sub: 'pcc-1', name: 'Priya PCC', role: 'pcc', pccArea: 'merseyside' },
};

/**
 * Both doors' pages as one site, as a browser sees it through CloudFront and the gateway (each path sent
 * to its door's function): what the page tests drive.
 */
export function pageRoutes(): PageRoutes<StaffPageDeps> {
  return { ...residentRoutes(), ...staffRoutes() };
}

export interface TestWeb {
  readonly operations: FakeOperations;
  readonly drafts: MemoryDraftStore;
  readonly deps: StaffPageDeps;
  readonly app: ReturnType<typeof createWebApp>;
}

export function testWeb(
  overrides: Partial<StaffPageDeps> = {},
  signIn: SignInSettings = { mode: 'off' },
): TestWeb {
  const operations = new FakeOperations();
  const drafts = new MemoryDraftStore();
  // The tokens whose session was signed out: refused from then on, as the service's record makes them.
  const signedOut = new Set<string>();
  const deps: StaffPageDeps = {
    operations,
    drafts,
    keys: async () => KEYS,
    render: createRenderer(webPaths('staff')),
    siteUrl: 'https://asb.example',
    verifyStaffToken: async (token) => {
      const staff = STAFF[token];
      if (!staff) throw new InvalidStaffTokenError('unknown test token');
      return { staff, signedOut: async () => signedOut.has(token) };
    },
    endStaffSession: async (token) => {
      signedOut.add(token);
    },
    signIn,
    area: MERSEYSIDE,
    clock: () => operations.now,
    onError: (error) => {
      throw error;
    },
    ...overrides,
  };
  // Each door's pages with its own function's templates, as the gateway sends each path to its door.
  const resident = createWebApp({ ...deps, render: createRenderer(webPaths('resident')) }, residentRoutes());
  const staff = createWebApp(deps, staffRoutes());
  const staffRouteKeys = new Set(Object.keys(staffRoutes()));
  return {
    operations,
    drafts,
    deps,
    app: (event) => (staffRouteKeys.has(event.routeKey) ? staff : resident)(event),
  };
}

export interface Response {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: string;
  readonly location: string | undefined;
}

/** A client that keeps the cookies it is given and sends the last page's form token with each form. */
export class PageClient {
  readonly cookies = new Map<string, string>();
  lastBody = '';
  readonly routes: readonly string[];
  private readonly web: TestWeb;

  constructor(web: TestWeb, routes: readonly string[]) {
    this.web = web;
    this.routes = routes;
  }

  /** The form token on the last page shown. */
  csrfToken(): string {
    return /name="csrfToken" value="([^"]+)"/.exec(this.lastBody)?.[1] ?? '';
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send('GET', path, undefined, headers);
  }

  /** Posts a form with the last page's token (unless the form names its own). */
  post(path: string, form: Record<string, string | string[]> = {}, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    if (!('csrfToken' in form)) body.append('csrfToken', this.csrfToken());
    for (const [name, value] of Object.entries(form)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    }
    return this.send('POST', path, body.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  /** Follows a 30x, as a browser would. */
  async follow(response: Response): Promise<Response> {
    return response.location ? this.get(response.location) : response;
  }

  private async send(
    method: string,
    target: string,
    body: string | undefined,
    headers: Record<string, string>,
  ) {
    const url = new URL(target, 'http://127.0.0.1');
    const routeKey = this.match(method, url.pathname);
    const result = await this.web.app(
      event(method, url, routeKey.key, routeKey.params, body, headers, this.cookies),
    );
    const setCookies = result.cookies ?? [];
    for (const cookie of setCookies) {
      const [pair = '', ...attributes] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (attributes.some((attribute) => attribute.trim() === 'Max-Age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const responseHeaders = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
    );
    const response = {
      status: result.statusCode ?? 200,
      headers: responseHeaders,
      cookies: setCookies,
      body: result.body ?? '',
      location: responseHeaders.location,
    };
    if (response.status === 200 || response.status >= 400) this.lastBody = response.body;
    return response;
  }

  private match(method: string, path: string): { key: string; params: Record<string, string> } {
    for (const key of this.routes) {
      const [routeMethod, pattern = ''] = key.split(' ');
      if (routeMethod !== method) continue;
      const names: string[] = [];
      const source = pattern.replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
        names.push(name);
        return greedy ? '(.+)' : '([^/]+)';
      });
      const found = new RegExp(`^${source}$`).exec(path);
      if (found)
        return {
          key,
          params: Object.fromEntries(
            names.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? '')]),
          ),
        };
    }
    return { key: `${method} ${path}`, params: {} };
  }
}

function event(
  method: string,
  url: URL,
  routeKey: string,
  pathParameters: Record<string, string>,
  body: string | undefined,
  headers: Record<string, string>,
  cookies: ReadonlyMap<string, string>,
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.size > 0 && { cookies: [...cookies].map(([name, value]) => `${name}=${value}`) }),
    headers: { host: '127.0.0.1', ...headers },
    ...(Object.keys(pathParameters).length > 0 && { pathParameters }),
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'test',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body !== undefined && { body }),
    isBase64Encoded: false,
  };
}
