import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

import { errorResponse } from '#api/http/error-responses.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import * as coreErrors from '#core/errors.ts';
import {
  AlreadySubmittedError,
  ConflictError,
  DomainError,
  GoneError,
  InvalidInputError,
  NotAllowedError,
  NotFoundError,
  NotSignedInError,
  RateLimitedError,
  StageConflictError,
  StillProcessingError,
  TooLargeError,
  UnsupportedMediaTypeError,
} from '#core/errors.ts';
import * as dataErrors from '#data/errors.ts';
import {
  CaseNotFoundError,
  ConcurrentCaseUpdateError,
  InvalidCursorError,
  WorkflowStateError,
} from '#data/errors.ts';
import { apiEvent, lambdaContext } from '#test/support/api-events.ts';
import { ERROR_PAGES } from '#web/error-pages.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Every error class of the taxonomy (core's domain errors, data's storage errors) beside the HTTP
 * status it becomes and the page status the pages answer with (303: sent to sign in). A class missing
 * here fails the first test, so that no new failure can fall through to a 500 unnoticed.
 */
const TAXONOMY: readonly (readonly [ErrorClass, () => Error, number, number])[] = [
  [InvalidInputError, () => new InvalidInputError([{ path: 'reason', message: 'Enter a reason' }]), 400, 400],
  [NotSignedInError, () => new NotSignedInError(), 401, 303],
  [NotAllowedError, () => new NotAllowedError(), 403, 403],
  [NotFoundError, () => new NotFoundError(), 404, 404],
  [ConflictError, () => new ConflictError('The case is closed.', 'closed'), 409, 409],
  [StillProcessingError, () => new StillProcessingError('Wait a moment.'), 409, 409],
  [AlreadySubmittedError, () => new AlreadySubmittedError('The key was used.', 'SEF-7K3M-Q9XD'), 409, 409],
  [GoneError, () => new GoneError('The file was found to contain malware.'), 410, 410],
  [TooLargeError, () => new TooLargeError(1024), 413, 413],
  [UnsupportedMediaTypeError, () => new UnsupportedMediaTypeError(), 415, 415],
  [RateLimitedError, () => new RateLimitedError(30), 429, 429],
  [CaseNotFoundError, () => new CaseNotFoundError('SEF-2026-000001'), 404, 404],
  [StageConflictError, () => new StageConflictError('withdraw', 'closed'), 409, 409],
  [InvalidCursorError, () => new InvalidCursorError(), 400, 400],
  [ConcurrentCaseUpdateError, () => new ConcurrentCaseUpdateError('SEF-2026-000001'), 409, 409],
  // A programming error in the workflow's use of the data: a fault of ours.
  [WorkflowStateError, () => new WorkflowStateError('SEF-2026-000001', 'no deadline'), 500, 500],
];

const exportedErrorClasses = (module: Record<string, unknown>): ErrorClass[] =>
  Object.values(module).filter(
    (value): value is ErrorClass =>
      typeof value === 'function' && value.prototype instanceof Error && value !== DomainError,
  );

function pageStatus(error: Error): number {
  if (!(error instanceof DomainError)) return 500;
  return error.kind === 'unauthorized' ? 303 : ERROR_PAGES[error.kind].status;
}

describe('the error taxonomy', () => {
  it('lists every error class of core and data beside its mappings', () => {
    // Prepare
    const listed = new Set(TAXONOMY.map(([errorClass]) => errorClass));

    // Act
    const unlisted = [...exportedErrorClasses(coreErrors), ...exportedErrorClasses(dataErrors)].filter(
      (errorClass) => !listed.has(errorClass),
    );

    // Assess
    expect(unlisted.map((errorClass) => errorClass.name)).toEqual([]);
  });

  it.each(TAXONOMY.map(([errorClass, make, http, page]) => [errorClass.name, make, http, page] as const))(
    'maps %s to HTTP %i and to a page with status %i',
    (_name, make, http, page) => {
      // Prepare
      const error = make();

      // Act
      const response = errorResponse(error);

      // Assess
      expect(response.statusCode).toBe(http);
      expect(pageStatus(error)).toBe(page);
      if (error instanceof DomainError) {
        expect(JSON.parse(response.body ?? '')).toMatchObject({ error: error.kind, message: error.message });
      }
    },
  );

  it('never answers bad input or a conflict with a 500', () => {
    // Prepare
    const domainErrors = TAXONOMY.map(([, make]) => make()).filter((error) => error instanceof DomainError);

    // Act
    const statuses = domainErrors.map((error) => [errorResponse(error).statusCode, pageStatus(error)]);

    // Assess
    expect(domainErrors.length).toBe(TAXONOMY.length - 1);
    for (const [http, page] of statuses) {
      expect(http).toBeLessThan(500);
      expect(page).toBeLessThan(500);
    }
  });

  it.each([
    ['a case that is not there', new CaseNotFoundError('SEF-2026-000001'), 404, 'not-found'],
    ['a case that kept changing', new ConcurrentCaseUpdateError('SEF-2026-000001'), 409, 'conflict'],
  ])('answers %s from the data layer with its status, not a 500', async (_what, error, status, kind) => {
    // Prepare
    const handler = httpHandler({
      'POST /x': async () => {
        throw error;
      },
    });

    // Act
    const result = await handler(apiEvent('POST /x'), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ error: kind });
  });

  it('sends the headers a refusal needs', () => {
    // Act
    const notSignedIn = errorResponse(new NotSignedInError());
    const rateLimited = errorResponse(new RateLimitedError(30));

    // Assess
    expect(notSignedIn.headers).toMatchObject({ 'www-authenticate': 'Bearer' });
    expect(rateLimited.headers).toMatchObject({ 'retry-after': '30' });
  });
});
