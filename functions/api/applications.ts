// Lambda entry point: POST /api/applications.
import { apiContextFromEnv } from '#api/bootstrap.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { applicationRoutes } from '#api/routes/applications.ts';
import { notifierFromEnv } from '#shared/notifier-from-env.ts';

export const handler = httpHandler(
  applicationRoutes({ ...apiContextFromEnv(), notifier: notifierFromEnv() }),
);
