// The service's Lambda functions, described once: CDK builds one function per entry and the local
// gateway and engine load the same modules in-process. A route is "METHOD /path" as API Gateway HTTP
// APIs write route keys; `workflow` functions are called by the state machine, whose definition refers
// to them as `${<id>FunctionArn}`.
import type { Door } from '#web/web-paths.ts';

export interface FunctionSpec {
  /** The CDK construct id and the local function name. */
  id: string;
  /** The module, relative to the project root, exporting `handler`. */
  entry: string;
  routes: readonly string[];
  workflow: boolean;
  /**
   * Packages with native code, whose compiled build is not bundled but carried as installed, the one for
   * Lambda's x86_64 Linux (infra/bundling.ts): the function runs on x86_64, the build this kind of machine
   * installs, so that `npm run start:deployed` runs the very bundle AWS would.
   */
  nativePackages?: readonly string[];
  /**
   * Whether the bundle carries its source map, through which Node (`--enable-source-maps`) writes a stack
   * trace as the source lines: every function but one that never logs a stack. Node reads and parses a
   * bundle's map as it loads the bundle, at each cold start.
   */
  sourceMap?: false;
  /** For the pages' functions: the door whose pages it serves, and whose templates it carries. */
  door?: Door;
}

/** Neither routed nor called by the state machine: the stack schedules it (functions/workflow/reconcile.ts). */
export const RECONCILER_FUNCTION: FunctionSpec = {
  id: 'Reconciler',
  entry: 'functions/workflow/reconcile.ts',
  routes: [],
  workflow: false,
};

/**
 * Neither routed nor a workflow step: an EventBridge rule calls it for each object created under
 * uploads/ in the evidence bucket (functions/evidence/process-upload.ts). It re-encodes photos with
 * sharp, whose compiled build (libvips) is exempt from the bundle size limits.
 */
export const PROCESS_UPLOAD_FUNCTION: FunctionSpec = {
  id: 'ProcessUpload',
  entry: 'functions/evidence/process-upload.ts',
  routes: [],
  workflow: false,
  nativePackages: ['sharp'],
};

/**
 * An EventBridge rule calls it with GuardDuty Malware Protection's result for each cleaned object
 * (functions/evidence/scan-result.ts).
 */
export const SCAN_RESULT_FUNCTION: FunctionSpec = {
  id: 'ScanResult',
  entry: 'functions/evidence/scan-result.ts',
  routes: [],
  workflow: false,
};

/**
 * Run each day by EventBridge Scheduler: deletes every version of the files of each case whose retention
 * has ended (functions/evidence/retention.ts).
 */
export const EVIDENCE_RETENTION_FUNCTION: FunctionSpec = {
  id: 'EvidenceRetention',
  entry: 'functions/evidence/retention.ts',
  routes: [],
  workflow: false,
};

/** The functions the evidence bucket's events call (infra/stacks/stateless-stack.ts wires each). */
export const EVIDENCE_EVENT_FUNCTIONS: readonly FunctionSpec[] = [
  PROCESS_UPLOAD_FUNCTION,
  SCAN_RESULT_FUNCTION,
];

export const functionSpecs: readonly FunctionSpec[] = [
  { id: 'Health', entry: 'functions/api/health.ts', routes: ['GET /health'], workflow: false },
  {
    id: 'Applications',
    entry: 'functions/api/applications.ts',
    routes: ['POST /api/applications'],
    workflow: false,
  },
  {
    id: 'Cases',
    entry: 'functions/api/cases.ts',
    routes: [
      'GET /api/cases',
      'GET /api/cases/{reference}',
      'POST /api/cases/search',
      'POST /api/cases/{reference}/assignment',
      'POST /api/cases/{reference}/notes',
      'POST /api/cases/{reference}/new-access-code',
    ],
    workflow: false,
  },
  {
    id: 'CaseActions',
    entry: 'functions/api/case-actions.ts',
    routes: [
      'POST /api/cases/{reference}/threshold-decision',
      'POST /api/cases/{reference}/agency-responses',
      'POST /api/cases/{reference}/review-outcome',
      'POST /api/cases/{reference}/action-plan',
      'POST /api/cases/{reference}/referral',
      'POST /api/cases/{reference}/pcc-decision',
      'POST /api/cases/{reference}/withdraw',
      'POST /api/cases/{reference}/contact',
      'POST /api/cases/{reference}/involvement',
      'POST /api/cases/{reference}/information-requests',
      'POST /api/cases/{reference}/review-meeting',
      'POST /api/cases/{reference}/action-plan-response',
      'POST /api/cases/{reference}/actions/{actionId}/progress',
    ],
    workflow: false,
  },
  {
    id: 'CaseLinks',
    entry: 'functions/api/case-links.ts',
    routes: ['GET /api/cases/{reference}/link-suggestions', 'POST /api/cases/{reference}/links'],
    workflow: false,
  },
  {
    id: 'Evidence',
    entry: 'functions/api/evidence.ts',
    routes: [
      'POST /api/cases/{reference}/evidence',
      'GET /api/cases/{reference}/evidence/{id}',
      'POST /api/cases/{reference}/evidence/{id}',
    ],
    workflow: false,
  },
  {
    id: 'Statistics',
    entry: 'functions/api/statistics.ts',
    routes: ['GET /api/statistics', 'GET /api/statistics/years', 'POST /api/statistics/returns'],
    workflow: false,
  },
  // The pages (functions/web/): GOV.UK Frontend, server-rendered, calling the case operations
  // (functions/cases/), one function per door: each bundles only its own pages and is granted only what
  // they do (infra/function-grants.ts). A failed page logs only the error's name (its message could quote
  // a request), so the pages' maps (larger than their bundles) would only be read at each cold start.
  {
    id: 'ResidentPages',
    entry: 'functions/web/resident.ts',
    door: 'resident',
    sourceMap: false,
    routes: [
      'GET /',
      'GET /accessibility',
      'GET /privacy',
      'GET /statistics',
      'GET /apply',
      'GET /apply/{step}',
      'POST /apply/{step}',
      'GET /track',
      'POST /track',
      'GET /track/{action}',
      'GET /track/files/{id}',
      'POST /track/{action}',
      'ANY /{proxy+}',
    ],
    workflow: false,
  },
  {
    id: 'StaffPages',
    entry: 'functions/web/staff.ts',
    door: 'staff',
    sourceMap: false,
    routes: [
      'GET /staff',
      'POST /staff',
      'GET /staff/sign-in',
      'GET /staff/callback',
      'POST /staff/sign-out',
      'GET /staff/cases',
      'POST /staff/cases/search',
      'GET /staff/cases/{reference}',
      'GET /staff/cases/{reference}/summary',
      'GET /staff/cases/{reference}/files/{id}',
      'POST /staff/cases/{reference}/{action}',
      'GET /staff/returns',
      'POST /staff/returns',
      'GET /staff/apply',
      'POST /staff/apply',
      'GET /staff/apply/confirmation',
      'GET /staff/kept',
      'POST /staff/kept',
      'GET /pcc/referrals',
      'POST /pcc/referrals/search',
      'GET /pcc/referrals/{reference}',
      'GET /pcc/referrals/{reference}/summary',
    ],
    workflow: false,
  },
  // The state machine's steps (statemachines/case-review.asl.json).
  { id: 'AssessThreshold', entry: 'functions/workflow/assess-threshold.ts', routes: [], workflow: true },
  { id: 'RegisterTask', entry: 'functions/workflow/register-task.ts', routes: [], workflow: true },
  { id: 'ApplyDecision', entry: 'functions/workflow/apply-decision.ts', routes: [], workflow: true },
  { id: 'Remind', entry: 'functions/workflow/remind.ts', routes: [], workflow: true },
  { id: 'CloseCase', entry: 'functions/workflow/close-case.ts', routes: [], workflow: true },
  { id: 'NeedsAttention', entry: 'functions/workflow/needs-attention.ts', routes: [], workflow: true },
  { id: 'HandOver', entry: 'functions/workflow/hand-over.ts', routes: [], workflow: true },
  // Run by EventBridge Scheduler each day (and by `npm run reconcile`): resumes stranded cases.
  RECONCILER_FUNCTION,
  ...EVIDENCE_EVENT_FUNCTIONS,
  EVIDENCE_RETENTION_FUNCTION,
];

export const LOCAL_REGION = 'eu-west-2';
export const LOCAL_ACCOUNT = '000000000000';

/**
 * The alias each workflow function's current version is published under, which the state machine
 * calls, and the state machine's alias, on which every execution starts: a deployment moves both,
 * while an execution in flight keeps running on the state machine version it started on.
 */
export const LIVE_ALIAS = 'live';

export function localFunctionArn(id: string, qualifier?: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${id}${qualifier === undefined ? '' : `:${qualifier}`}`;
}

/** The case review state machine on one machine, and its alias executions start on. */
export const LOCAL_STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:case-review`;
export const LOCAL_STATE_MACHINE_ALIAS_ARN = `${LOCAL_STATE_MACHINE_ARN}:${LIVE_ALIAS}`;

/** The `definitionSubstitutions` the state machines need: one ARN per workflow function. */
export function definitionSubstitutions(arnOf: (spec: FunctionSpec) => string): Record<string, string> {
  return Object.fromEntries(
    functionSpecs.filter((spec) => spec.workflow).map((spec) => [`${spec.id}FunctionArn`, arnOf(spec)]),
  );
}
