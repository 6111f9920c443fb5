// "Check your answers": the draft as GOV.UK summary lists, each answer with a link to the page that asks
// for it. Answers are passed to the macros as `text`, so whatever someone typed is escaped.
import { type AreaConfig, cspById } from '#core/area-config.ts';
import { involvementRows } from '../render/involvement.ts';
import {
  CONTACT_NAME,
  formatDate,
  HATE_MOTIVATION_NAME,
  nameOf,
  REPORTED_TO_NAME,
  VICTIM_TYPE_NAME,
} from '../render/words.ts';
import { filled } from './blocks.ts';
import type { Answers, Draft } from './draft.ts';
import {
  otherReportPath,
  otherReportsOf,
  otherReportsPath,
  removeOtherReportPath,
  reportedElsewhere,
} from './other-reports.ts';
import { formOf, type PeopleKind, readPeople } from './people.ts';
import { answerList, answerText } from './steps.ts';

export interface SummaryRow {
  readonly key: { readonly text: string };
  readonly value: { readonly text: string };
  readonly actions?: {
    readonly items: readonly { href: string; text: string; visuallyHiddenText: string }[];
  };
}

export interface SummaryCard {
  readonly card: {
    readonly title: { readonly text: string; readonly headingLevel: 3 };
    readonly actions: {
      readonly items: readonly { href: string; text: string; visuallyHiddenText: string }[];
    };
  };
  readonly rows: readonly SummaryRow[];
}

export interface CheckAnswers {
  /** The application, the applicant and the behaviour: shown before the incidents. */
  readonly sections: readonly { title: string; rows: readonly SummaryRow[] }[];
  readonly incidents: readonly SummaryCard[];
  /** Shown after the incidents, as the pages ask for it last. */
  readonly sharing: readonly SummaryRow[];
}

const NOT_GIVEN = 'Not given';

/** An address typed over several lines, on one line (summary list values are single paragraphs). */
export function oneLine(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split(/\r?\n/))
    .map((line) => line.trim())
    .filter(Boolean)
    .join(', ');
}

export function buildCheckAnswers(
  area: AreaConfig,
  base: string,
  draft: Pick<Draft, 'mode' | 'answers' | 'incidents'>,
): CheckAnswers {
  const a = (name: string) => answerText(draft.answers, name);
  const row = (key: string, text: string, page?: string): SummaryRow => ({
    key: { text: key },
    value: { text: text || NOT_GIVEN },
    ...(page && {
      actions: {
        items: [{ href: `${base}/${page}`, text: 'Change', visuallyHiddenText: key.toLowerCase() }],
      },
    }),
  });
  const forSomeoneElse = a('forSomeoneElse') === 'yes';

  const application: SummaryRow[] = [
    row('Council area', cspById(area, a('csp'))?.name ?? '', 'area'),
    row('Who it is affecting', nameOf(VICTIM_TYPE_NAME, a('victimType')), 'victim'),
    row('Applying for someone else', forSomeoneElse ? 'Yes' : 'No', 'someone-else'),
  ];
  const behalf: SummaryRow[] = forSomeoneElse
    ? [
        row('Their name', a('behalfName'), 'their-details'),
        row('How the applicant knows them', a('behalfRelationship'), 'their-details'),
        row('Their address', oneLine(a('behalfAddress'), a('behalfPostcode').toUpperCase()), 'their-details'),
        row('Their email address', a('behalfEmail'), 'their-details'),
        row('Their telephone number', a('behalfPhone'), 'their-details'),
        row('They agreed to the application', a('behalfConsent') === 'yes' ? 'Yes' : 'No', 'their-details'),
      ]
    : [];
  const person: SummaryRow[] = [
    row('Your name', a('name'), 'your-details'),
    row('Your address', oneLine(a('address'), a('postcode').toUpperCase()), 'your-details'),
    row('Email address', a('email'), 'contact'),
    row('Telephone number', a('phone'), 'contact'),
    row('How to contact', nameOf(CONTACT_NAME, a('contactPreference')), 'contact'),
    row('Accessibility needs', a('accessibilityNeeds') || 'None', 'needs'),
    row('Anything that makes the victim vulnerable', a('vulnerabilityNeeds') || 'None', 'needs'),
  ];
  const behaviour: SummaryRow[] = [
    row('What is happening', a('description'), 'description'),
    row('How it is affecting the victim', a('impact'), 'impact'),
  ];
  const people: SummaryRow[] = [
    ...peopleRows(draft.answers, 'involved', 'Person involved', 'People involved', 'involved'),
    ...peopleRows(draft.answers, 'witness', 'Witness', 'Witnesses', 'witnesses'),
  ].map((answer) => row(answer.key, answer.value, answer.page));
  const involvement: SummaryRow[] = involvementRows(
    {
      involvement: a('involvement'),
      involvementViews: a('involvementViews'),
      involvementNeeds: a('involvementNeeds'),
      consultOnPlan: a('consultOnPlan'),
    },
    'resident',
  ).map((answer) => row(answer.key.text, answer.value.text, 'involvement'));
  const consent: SummaryRow[] = [
    row('Agencies may share the information', a('consentToShare') === 'yes' ? 'Yes' : 'No', 'consent'),
  ];
  return {
    sections: [
      { title: 'About the application', rows: [...application, ...behalf] },
      { title: 'About you', rows: person },
      { title: 'The anti-social behaviour', rows: behaviour },
      { title: 'People involved and witnesses', rows: people },
      { title: 'Taking part in the case review', rows: involvement },
    ],
    incidents: draft.incidents.map((incident, index) => incidentCard(base, incident, index + 1)),
    sharing: consent,
  };
}

/** A row per person the answers name (`involved-1-name`, people.ts), or one saying there is none. */
function peopleRows(answers: Answers, kind: PeopleKind, each: string, none: string, page: string) {
  const blocks = filled(readPeople(formOf(answers), kind));
  if (blocks.length === 0) return [{ key: none, value: 'None given', page }];
  return blocks.map((block, index) => ({
    key: `${each} ${index + 1}`,
    value: oneLine(...Object.values(block.answers).map(String)),
    page,
  }));
}

/** One row per other report of an incident: who, when and the reference, with its Change and Remove links. */
export function otherReportRows(base: string, incident: Answers, number: number): SummaryRow[] {
  return otherReportsOf(incident).map((report, index) => {
    const which = `report ${index + 1} of incident ${number}`;
    return {
      key: { text: 'Also reported to' },
      value: {
        text: [
          nameOf(REPORTED_TO_NAME, report.reportedTo),
          report.reportedOn && formatDate(report.reportedOn),
          report.reference && `reference ${report.reference}`,
        ]
          .filter(Boolean)
          .join(', '),
      },
      actions: {
        items: [
          {
            href: `${base}/${otherReportPath(number, index + 1)}`,
            text: 'Change',
            visuallyHiddenText: which,
          },
          {
            href: `${base}/${removeOtherReportPath(number, index + 1)}`,
            text: 'Remove',
            visuallyHiddenText: which,
          },
        ],
      },
    };
  });
}

function incidentCard(base: string, incident: Answers, number: number): SummaryCard {
  const text = (name: string) => answerText(incident, name);
  const hate = text('hateMotivated') === 'yes';
  const motivations = answerList(incident, 'hateMotivation').map((code) =>
    nameOf(HATE_MOTIVATION_NAME, code),
  );
  const row = (key: string, value: string): SummaryRow => ({
    key: { text: key },
    value: { text: value || NOT_GIVEN },
  });
  return {
    card: {
      // A card sits under the page's h2 "Incidents".
      title: { text: `Incident ${number}`, headingLevel: 3 },
      actions: {
        items: [
          { href: `${base}/incident-${number}`, text: 'Change', visuallyHiddenText: `incident ${number}` },
          {
            href: `${base}/remove-incident-${number}`,
            text: 'Remove',
            visuallyHiddenText: `incident ${number}`,
          },
        ],
      },
    },
    rows: [
      row(
        'Date it happened',
        [text('occurredOn') && formatDate(text('occurredOn')), text('occurredAt')]
          .filter(Boolean)
          .join(' at '),
      ),
      row('Date reported', text('reportedOn') && formatDate(text('reportedOn'))),
      row('Reported to', nameOf(REPORTED_TO_NAME, text('reportedTo'))),
      row('Reference number', text('reference')),
      ...(reportedElsewhere(incident)
        ? otherReportRows(base, incident, number)
        : [
            {
              ...row('Reported to anyone else', 'No'),
              actions: {
                items: [
                  {
                    href: `${base}/${otherReportsPath(number)}`,
                    text: 'Change',
                    visuallyHiddenText: `other reports of incident ${number}`,
                  },
                ],
              },
            },
          ]),
      row('Where it happened', text('location')),
      row('What happened', text('description')),
      row('Hate incident', hate ? `Yes${motivations.length > 0 ? `: ${motivations.join(', ')}` : ''}` : 'No'),
    ],
  };
}
