// Lambda entry point: the case actions and the case review's information steps,
// POST /api/cases/{reference}/<action>, and progress on an action of the plan; it sends the review
// meeting's invitations and tells the applicant when an action finishes.
import { apiContextFromEnv } from '#api/bootstrap.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { caseActionRoutes } from '#api/routes/case-actions.ts';
import { notifierFromEnv } from '#shared/notifier-from-env.ts';

export const handler = httpHandler(caseActionRoutes({ ...apiContextFromEnv(), notifier: notifierFromEnv() }));
