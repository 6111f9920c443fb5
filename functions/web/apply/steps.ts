// The resident's application, question pages in order (an officer's entry asks the same questions on one
// screen: phone-form.ts). Each names its fields and the paths of the application
// schema (core/schemas/application.ts) whose messages belong on them, so the core schema alone decides
// what is valid and the pages only put each message next to the right box.
import type { Answers, Draft } from './draft.ts';

export type FieldKind = 'text' | 'many' | 'date' | 'yes';

export interface StepField {
  readonly name: string;
  readonly kind: FieldKind;
  /** Schema paths whose issues are shown on this field. */
  readonly paths: readonly string[];
  /** For a date: how its box messages start, like "Date the incident happened". */
  readonly dateLabel?: string;
  /** An answer the API does not take (a yes/no that decides the next page): the message when it is missing. */
  readonly requiredMessage?: string;
}

export interface Step {
  readonly id: string;
  readonly fields: readonly StepField[];
  readonly applies: (draft: Pick<Draft, 'mode' | 'answers'>) => boolean;
}

const text = (name: string, ...paths: string[]): StepField => ({ name, kind: 'text', paths });

const always = () => true;

/** Pages before the incidents. */
const BEFORE_INCIDENTS: readonly Step[] = [
  { id: 'area', fields: [text('csp', 'csp')], applies: always },
  { id: 'victim', fields: [text('victimType', 'victimType')], applies: always },
  {
    id: 'someone-else',
    fields: [
      {
        name: 'forSomeoneElse',
        kind: 'text',
        paths: [],
        requiredMessage: 'Select yes if the application is for someone else',
      },
    ],
    applies: always,
  },
  {
    id: 'their-details',
    fields: [
      text('behalfName', 'onBehalfOf.name', 'onBehalfOf'),
      text('behalfRelationship', 'onBehalfOf.relationship'),
      text('behalfAddress', 'onBehalfOf.address'),
      text('behalfPostcode', 'onBehalfOf.postcode'),
      text('behalfEmail', 'onBehalfOf.email'),
      text('behalfPhone', 'onBehalfOf.phone'),
      { name: 'behalfConsent', kind: 'yes', paths: ['onBehalfOf.consentGiven'] },
    ],
    applies: (draft) => draft.answers.forSomeoneElse === 'yes',
  },
  {
    id: 'your-details',
    fields: [
      text('name', 'applicant.name', 'applicant'),
      text('address', 'applicant.address'),
      text('postcode', 'applicant.postcode'),
    ],
    applies: always,
  },
  {
    id: 'contact',
    fields: [
      text('email', 'applicant.email'),
      text('phone', 'applicant.phone'),
      text('contactPreference', 'applicant.contactPreference'),
    ],
    applies: always,
  },
  {
    id: 'needs',
    fields: [
      text('accessibilityNeeds', 'applicant.accessibilityNeeds'),
      text('vulnerabilityNeeds', 'applicant.vulnerabilityNeeds'),
    ],
    applies: always,
  },
  { id: 'description', fields: [text('description', 'description')], applies: always },
  { id: 'impact', fields: [text('impact', 'impact')], applies: always },
  // Optional lists of numbered blocks (people.ts): their schema issues are under `involved.0.name` and so on.
  { id: 'involved', fields: [{ name: 'involved', kind: 'many', paths: ['involved'] }], applies: always },
  { id: 'witnesses', fields: [{ name: 'witnesses', kind: 'many', paths: ['witnesses'] }], applies: always },
  {
    id: 'involvement',
    fields: [
      {
        name: 'involvement',
        kind: 'text',
        paths: ['involvement.level', 'involvement.attendance', 'involvement'],
        requiredMessage: 'Select how you want to take part in the case review',
      },
      text('involvementViews', 'involvement.views'),
      {
        name: 'consultOnPlan',
        kind: 'text',
        paths: ['involvement.consultOnPlan'],
        requiredMessage: 'Select yes if you want to see the action plan and comment on it before it is final',
      },
      text('involvementNeeds', 'involvement.needs'),
    ],
    applies: always,
  },
];

export const INCIDENTS_STEP: Step = {
  id: 'incidents',
  fields: [
    {
      name: 'addAnother',
      kind: 'text',
      paths: ['incidents'],
      requiredMessage: 'Select yes if you need to add another incident',
    },
  ],
  applies: always,
};

const AFTER_INCIDENTS: readonly Step[] = [
  {
    id: 'consent',
    fields: [{ name: 'consentToShare', kind: 'yes', paths: ['consentToShare'] }],
    applies: always,
  },
];

/** Every question page in order; the incidents are their own loop (incident-1, incident-2, …). */
export const STEPS: readonly Step[] = [...BEFORE_INCIDENTS, INCIDENTS_STEP, ...AFTER_INCIDENTS];

/** One incident's page. Its schema paths are relative to the incident. */
export const INCIDENT_FIELDS: readonly StepField[] = [
  {
    name: 'occurredOn',
    kind: 'date',
    paths: ['occurredOn'],
    dateLabel: 'Date the incident happened',
  },
  text('occurredAt', 'occurredAt'),
  {
    name: 'reportedOn',
    kind: 'date',
    paths: ['reportedOn'],
    dateLabel: 'Date the incident was reported',
  },
  text('reportedTo', 'reportedTo'),
  text('reference', 'reference'),
  {
    name: 'reportedElsewhere',
    kind: 'text',
    paths: ['alsoReportedTo'],
    requiredMessage: 'Select yes if the incident was reported to anyone else',
  },
  text('location', 'location'),
  text('description', 'description', ''),
  text('hateMotivated', 'hateMotivated'),
  { name: 'hateMotivation', kind: 'many', paths: ['hateMotivation'] },
];

export function stepById(id: string): Step | undefined {
  return STEPS.find((step) => step.id === id);
}

export function stepsFor(draft: Pick<Draft, 'mode' | 'answers'>): readonly Step[] {
  return STEPS.filter((step) => step.applies(draft));
}

/** The page after `step` for this draft, ignoring whether later pages are answered. */
export function stepAfter(draft: Pick<Draft, 'mode' | 'answers' | 'incidents'>, stepId: string): string {
  const steps = stepsFor(draft);
  const next = steps[steps.findIndex((step) => step.id === stepId) + 1];
  if (!next) return 'check';
  if (next.id === 'incidents' && draft.incidents.length === 0) return 'incident-1';
  return next.id;
}

/** Reads one incident page's number from its id (`incident-3` → 3), or undefined. */
export function incidentNumber(stepId: string, prefix: 'incident' | 'remove-incident'): number | undefined {
  const match = new RegExp(`^${prefix}-([1-9][0-9]?)$`).exec(stepId);
  return match ? Number(match[1]) : undefined;
}

export function answerText(answers: Answers, name: string): string {
  const value = answers[name];
  return typeof value === 'string' ? value : '';
}

export function answerList(answers: Answers, name: string): readonly string[] {
  const value = answers[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
