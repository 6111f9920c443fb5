// Valid application bodies (contract.md, POST /api/applications), dated relative to a day.
import { addDays, ukDateOf } from '#core/local-date.ts';

export interface ApplicationOptions {
  readonly csp?: string;
  /** The UK date the incidents are counted back from (default: today). */
  readonly today?: string;
  readonly incidents?: number;
  readonly hate?: boolean;
}

export function applicationBody(options: ApplicationOptions = {}): Record<string, unknown> {
  const today = options.today ?? ukDateOf(new Date());
  const count = options.incidents ?? 3;
  return {
    csp: options.csp ?? 'sefton',
    victimType: 'individual',
    applicant: {
      name: 'Jane Example',
      email: 'jane@example.com',
      phone: '07700 900 982',
      address: '1 Example Street, Bootle',
      postcode: 'L20 1AA',
      contactPreference: 'email',
    },
    description: 'Loud music and shouting from the flat upstairs most nights.',
    impact: 'I cannot sleep and I am anxious at home.',
    incidents: Array.from({ length: count }, (_, index) => {
      const occurredOn = addDays(today, -(10 + index * 7));
      return {
        occurredOn,
        reportedOn: addDays(occurredOn, 1),
        reportedTo: (['police', 'council', 'housing-provider'] as const)[index % 3],
        reference: `REF-${index + 1}`,
        description: `Incident ${index + 1}: loud music after midnight.`,
        hateMotivated: options.hate === true && index === 0,
      };
    }),
    consentToShare: true,
  };
}
