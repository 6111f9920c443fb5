// Cases as the operations return them (cases/case-views.ts), for page tests: each test sets the fields it
// is about and the rest take these defaults (a case just received online, with nothing decided yet).
import type { ApplicantCaseView, StaffCaseView } from '#cases/case-views.ts';

/** The fields a test sets; the page reads each as the operation's type says. */
type Fields<T> = { readonly [K in keyof T]?: unknown };

const APPLICANT_DEFAULTS = {
  reference: 'SEF-7K3M-Q9XD',
  csp: 'sefton',
  pccArea: 'merseyside',
  stage: 'received',
  receivedAt: '2015-06-01T10:00:00.000Z',
  channel: 'online',
  victimType: 'individual',
  deadlines: {},
  nextDeadline: null,
  overdue: false,
  closure: null,
  thresholdAssessment: null,
  thresholdDecision: null,
  reviewOutcome: null,
  referral: null,
  pccDecision: null,
  asked: [],
  contact: {
    name: 'Sefton Council anti-social behaviour team',
    role: 'Case review team',
    phone: '0345 140 0845',
    email: null,
  },
  involvement: null,
  meeting: null,
  actionPlan: null,
  evidence: [],
  timeline: [],
} satisfies Fields<ApplicantCaseView>;

const STAFF_DEFAULTS = {
  ...APPLICANT_DEFAULTS,
  recordedAt: '2015-06-01T10:00:00.000Z',
  onBehalf: false,
  cycle: 1,
  sharedWith: [],
  waitingFor: null,
  recordedDecisions: [],
  withdrawal: null,
  needsAttention: null,
  assignedTo: null,
  caseNotes: [],
  links: [],
  application: {
    applicant: {
      name: 'Jo Resident',
      address: '1 Hill Street',
      postcode: 'L20 1AA',
      contactPreference: 'email',
      email: 'jo@example.com',
    },
    onBehalfOf: null,
    description: 'Loud parties.',
    impact: 'No sleep.',
    incidents: [],
  },
  informationRequests: [],
  agencyResponses: [],
  audit: [],
} satisfies Fields<StaffCaseView>;

export function applicantCaseView(fields: Fields<ApplicantCaseView> = {}): ApplicantCaseView {
  return { ...APPLICANT_DEFAULTS, ...fields } as ApplicantCaseView;
}

export function staffCaseView(fields: Fields<StaffCaseView> = {}): StaffCaseView {
  return { ...STAFF_DEFAULTS, ...fields } as StaffCaseView;
}
