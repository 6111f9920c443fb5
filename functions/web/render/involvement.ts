// How the victim wants to take part in the case review, as the pages ask it (the application's question
// page, /track and the officer's case page) and show it. One radio question carries both the level and
// how someone would attend, so no answer reveals another question (GOV.UK Frontend's revealing radios
// carry aria-expanded, which ARIA does not allow on a radio).
import type { Involvement } from '#core/schemas.ts';

/** The form's fields, named apart from the application's other answers. */
export const INVOLVEMENT_FIELDS = [
  'involvement',
  'involvementViews',
  'involvementNeeds',
  'consultOnPlan',
] as const;
export type InvolvementAnswers = Readonly<Record<(typeof INVOLVEMENT_FIELDS)[number], string>>;

const HOW: Readonly<
  Record<string, { readonly level: Involvement['level']; readonly attendance: Involvement['attendance'] }>
> = {
  'attend-in-person': { level: 'attend', attendance: 'in-person' },
  'attend-online': { level: 'attend', attendance: 'online' },
  'views-only': { level: 'views-only', attendance: null },
  'updates-only': { level: 'updates-only', attendance: null },
};

const HOW_WORDS: Readonly<Record<string, { readonly resident: string; readonly staff: string }>> = {
  'attend-in-person': {
    resident: 'Attend the case review meeting in person',
    staff: 'Attend the meeting in person',
  },
  'attend-online': { resident: 'Attend the case review meeting online', staff: 'Attend the meeting online' },
  'views-only': {
    resident: 'Give my views in writing, without attending',
    staff: 'Give views in writing, without attending',
  },
  'updates-only': { resident: 'Only be kept up to date', staff: 'Only be kept up to date' },
};

export type Audience = keyof (typeof HOW_WORDS)[string];

/** The radio items of the "how" question, with `selected` checked. */
export function howItems(audience: Audience, selected: string | undefined) {
  return Object.entries(HOW_WORDS).map(([value, words]) => ({
    value,
    text: words[audience],
    checked: value === selected,
  }));
}

/** The form's answers as the involvement body (contract.md); undefined while the "how" question is unanswered. */
export function involvementBody(answers: InvolvementAnswers) {
  const how = HOW[answers.involvement];
  if (how === undefined && answers.involvement === '') return undefined;
  const consult = answers.consultOnPlan;
  return {
    // An unknown answer is sent as it is, so the schema's own message names it.
    level: how?.level ?? answers.involvement,
    attendance: how?.attendance ?? null,
    ...(answers.involvementViews !== '' && { views: answers.involvementViews }),
    ...(answers.involvementNeeds !== '' && { needs: answers.involvementNeeds }),
    ...(consult !== '' && { consultOnPlan: consult === 'yes' ? true : consult === 'no' ? false : consult }),
  };
}

/** The form's answers read from a posted form, trimmed. */
export function involvementAnswersOf(form: URLSearchParams): InvolvementAnswers {
  const read = (name: string) => (form.get(name) ?? '').trim();
  return {
    involvement: read('involvement'),
    involvementViews: read('involvementViews'),
    involvementNeeds: read('involvementNeeds'),
    consultOnPlan: read('consultOnPlan'),
  };
}

/** A recorded involvement as the form's answers, to change it. */
export function answersOfInvolvement(involvement: Involvement | null): InvolvementAnswers {
  if (involvement === null) {
    return { involvement: '', involvementViews: '', involvementNeeds: '', consultOnPlan: '' };
  }
  return {
    involvement:
      involvement.level === 'attend' ? `attend-${involvement.attendance ?? 'in-person'}` : involvement.level,
    involvementViews: involvement.views ?? '',
    involvementNeeds: involvement.needs ?? '',
    consultOnPlan: involvement.consultOnPlan ? 'yes' : 'no',
  };
}

/** The schema's path of an issue → the form's field it belongs on. */
export function involvementField(path: string): (typeof INVOLVEMENT_FIELDS)[number] {
  const last = path.split('.').at(-1) ?? '';
  if (last === 'views') return 'involvementViews';
  if (last === 'needs') return 'involvementNeeds';
  if (last === 'consultOnPlan') return 'consultOnPlan';
  return 'involvement';
}

/** The involvement as summary list rows (each value given as text, so whatever was typed is escaped). */
export function involvementRows(answers: InvolvementAnswers, audience: Audience) {
  const row = (key: string, text: string) => ({ key: { text: key }, value: { text } });
  const consult = answers.consultOnPlan;
  return [
    row('How', HOW_WORDS[answers.involvement]?.[audience] ?? 'Not given'),
    row(
      audience === 'resident' ? 'Your views in writing' : 'Views in writing',
      answers.involvementViews || 'None given',
    ),
    row(
      'See the action plan before it is final',
      consult === 'yes' ? 'Yes' : consult === 'no' ? 'No' : 'Not given',
    ),
    row('Support needed to take part', answers.involvementNeeds || 'None'),
  ];
}
