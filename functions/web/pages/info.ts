// The pages anyone can read: the start page, the accessibility statement, the privacy notice, and the
// page for an address that does not exist.

import { DRAFT_HOURS } from '../apply/draft.ts';
import type { Page } from '../page-context.ts';
import { caseReviewContacts, deadlineTable, listOfNames, thresholdWords } from '../render/area-words.ts';
import { TRACK_SESSION_HOURS, TRACK_SESSION_MINUTES } from '../session/cookie-names.ts';

export const startPage: Page = async (context) =>
  context.view('start.njk', {
    title: 'Ask for an anti-social behaviour case review',
    threshold: thresholdWords(context.deps.area),
    deadlines: deadlineTable(context.deps.area),
    csps: listOfNames(context.deps.area.csps.map((csp) => csp.name)),
    draftHours: DRAFT_HOURS,
  });

export const accessibilityPage: Page = async (context) =>
  context.view('accessibility.njk', {
    title: 'Accessibility statement',
    contacts: caseReviewContacts(context.deps.area),
    draftHours: DRAFT_HOURS,
    trackSessionMinutes: TRACK_SESSION_MINUTES,
    trackSessionHours: TRACK_SESSION_HOURS,
  });

export const privacyPage: Page = async (context) =>
  context.view('privacy.njk', {
    title: 'Privacy notice',
    draftHours: DRAFT_HOURS,
    trackSessionMinutes: TRACK_SESSION_MINUTES,
    trackSessionHours: TRACK_SESSION_HOURS,
  });

export const addressNotFoundPage: Page = async (context) =>
  context.view('errors/not-found.njk', { title: 'Page not found' }, 404);
