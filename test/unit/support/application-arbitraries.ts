import fc from 'fast-check';
import { addDays, daysBetween } from '#core/local-date.ts';
import {
  CHANNELS,
  CONTACT_PREFERENCES,
  HATE_MOTIVATIONS,
  REPORTED_TO,
  VICTIM_TYPES,
} from '#core/schemas/application.ts';
import { CSP_IDS } from '#test/unit/support/application-fixtures.ts';

/** Valid application bodies as of NOW (1 June 2015), with the untidy spacing people type. */

const FIRST_DAY = '2014-10-20';
const TODAY = '2015-06-01';
// Noon UTC on TODAY is after NOW (10:00), so the latest noon in the past is the day before.
const LAST_NOON = '2015-05-31';

export function dayBetween(from: string, to: string): fc.Arbitrary<string> {
  return fc.integer({ min: 0, max: daysBetween(from, to) }).map((days) => addDays(from, days));
}

const padding = fc.constantFrom('', ' ', '  ', '\t', ' \n');

/** Non-blank text of at most `maxLength` characters once trimmed, padded with spaces. */
export function paddedText(maxLength: number): fc.Arbitrary<string> {
  return fc
    .tuple(padding, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), padding)
    .filter(([, text]) => text.trim() !== '' && text.trim().length <= maxLength)
    .map(([before, text, after]) => before + text + after);
}

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,5})?$/),
    fc.stringMatching(/^[a-z]{1,10}$/),
    fc.constantFrom('com', 'org', 'co.uk', 'gov.uk'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

const phone = fc.oneof(
  fc.stringMatching(/^07\d{3} ?\d{3} ?\d{3}$/),
  fc.stringMatching(/^01\d{3} \d{6}$/),
  fc.stringMatching(/^\+44 \d{3} \d{3} \d{4}$/),
);

const postcode = fc
  .tuple(
    fc.stringMatching(/^[A-Z]{1,2}\d[A-Z0-9]?$/),
    fc.constantFrom('', ' ', '  '),
    fc.stringMatching(/^\d[A-Z]{2}$/),
  )
  .chain(([outward, space, inward]) =>
    fc.constantFrom(`${outward}${space}${inward}`, `${outward}${space}${inward}`.toLowerCase()),
  );

const applicant = fc
  .record({
    name: paddedText(200),
    email: fc.option(email, { nil: undefined }),
    phone: fc.option(phone, { nil: undefined }),
    address: paddedText(200),
    postcode,
    accessibilityNeeds: fc.option(paddedText(10_000), { nil: undefined }),
    vulnerabilityNeeds: fc.option(paddedText(10_000), { nil: undefined }),
  })
  .filter((details) => details.email !== undefined || details.phone !== undefined)
  .chain((details) => {
    const possible = CONTACT_PREFERENCES.filter(
      (preference) =>
        preference === 'post' ||
        (preference === 'email' && details.email !== undefined) ||
        ((preference === 'phone' || preference === 'text') && details.phone !== undefined),
    );
    return fc
      .constantFrom(...possible)
      .map((contactPreference) => withoutAbsent({ ...details, contactPreference }));
  });

const onBehalfOf = fc
  .record({
    name: paddedText(200),
    relationship: paddedText(200),
    address: fc.option(paddedText(200), { nil: undefined }),
    postcode: fc.option(postcode, { nil: undefined }),
    email: fc.option(email, { nil: undefined }),
    phone: fc.option(phone, { nil: undefined }),
  })
  .map((details) => withoutAbsent({ ...details, consentGiven: true }));

const otherReport = (occurredOn: string) =>
  fc
    .record({
      reportedTo: fc.constantFrom(...REPORTED_TO),
      reportedOn: dayBetween(occurredOn, TODAY),
      reference: fc.option(paddedText(200), { nil: undefined }),
    })
    .map(withoutAbsent);

export const incident = dayBetween(FIRST_DAY, TODAY).chain((occurredOn) =>
  fc
    .record({
      occurredOn: fc.constant(occurredOn),
      reportedOn: dayBetween(occurredOn, TODAY),
      occurredAt: fc.option(fc.stringMatching(/^([01]\d|2[0-3]):[0-5]\d$/), { nil: undefined }),
      reportedTo: fc.constantFrom(...REPORTED_TO),
      reference: fc.option(paddedText(200), { nil: undefined }),
      location: fc.option(paddedText(200), { nil: undefined }),
      description: paddedText(10_000),
      alsoReportedTo: fc.option(fc.array(otherReport(occurredOn), { maxLength: 3 }), { nil: undefined }),
      hateMotivated: fc.boolean(),
    })
    .chain((details) =>
      (details.hateMotivated
        ? fc.option(fc.subarray([...HATE_MOTIVATIONS], { minLength: 1 }), { nil: undefined })
        : fc.constant(undefined)
      ).map((hateMotivation) => withoutAbsent({ ...details, hateMotivation })),
    ),
);

export const onlineApplication = fc
  .record({
    csp: fc.constantFrom(...CSP_IDS),
    victimType: fc.constantFrom(...VICTIM_TYPES),
    applicant,
    onBehalfOf: fc.option(onBehalfOf, { nil: undefined }),
    description: paddedText(10_000),
    impact: paddedText(10_000),
    incidents: fc.array(incident, { minLength: 1, maxLength: 5 }),
    consentToShare: fc.constant(true),
  })
  .map(withoutAbsent);

/** An officer's entry: a channel, and a time received on or after every date in it (noon UTC is that UK day). */
export const officerApplication = onlineApplication.chain((application) => {
  const latest =
    application.incidents
      .flatMap((item) => [item.reportedOn, ...(item.alsoReportedTo ?? []).map((other) => other.reportedOn)])
      .sort()
      .at(-1) ?? FIRST_DAY;
  return fc
    .record({
      channel: fc.constantFrom(...CHANNELS),
      receivedOn:
        latest <= LAST_NOON
          ? fc.option(dayBetween(latest, LAST_NOON), { nil: undefined })
          : fc.constant(undefined),
    })
    .map(({ channel, receivedOn }) =>
      withoutAbsent({
        ...application,
        channel,
        receivedAt: receivedOn === undefined ? undefined : `${receivedOn}T12:00:00Z`,
      }),
    );
});

function withoutAbsent<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
