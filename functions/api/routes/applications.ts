// POST /api/applications: an application online, or entered by a CSP officer for a phone call, letter,
// email or visit. An Idempotency-Key makes a retry return the first response and create nothing.
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { actorOf } from '#api/authorisation.ts';
import type { ApiContext, WorkflowContext } from '#api/dependencies.ts';
import type { Caller } from '#api/http/caller.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { metrics } from '#api/http/powertools.ts';
import { requestHeader } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { parseInput } from '#api/http/validation.ts';
import { sealAccessCode, unsealAccessCode } from '#api/sealed-access-code.ts';
import { type Submission, submitApplication } from '#api/submit-application.ts';
import { cspIds } from '#core/area-config.ts';
import type { Actor } from '#core/case-record.ts';
import { ConflictError, InvalidInputError, NotAllowedError, StillProcessingError } from '#core/errors.ts';
import { type Application, applicationSchema } from '#core/schemas.ts';
import { canonicalHash } from '#data/canonical-hash.ts';
import type { StaffIdentity } from '#shared/staff-token.ts';

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]+$/;
// Long enough for any client's retries; the record (with its sealed code) is deleted after it.
const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

/** What identifies a submission for Idempotency-Key: the key, the body as sent, and who entered it. */
interface IdempotentRequest {
  readonly key: string;
  readonly body: unknown;
  readonly enteredBy: string;
}

type StoredSubmission = Omit<Submission, 'accessCode'> & { readonly sealedAccessCode: string };

export interface ApplicationsContext extends ApiContext {
  /** Where Powertools keeps the responses of submissions made with an Idempotency-Key. */
  readonly idempotencyStore: BasePersistenceLayer;
}

function idempotencyKeyOf(event: APIGatewayProxyEventV2): string | undefined {
  const key = requestHeader(event, 'idempotency-key')?.trim();
  if (key === undefined || key === '') return undefined;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !IDEMPOTENCY_KEY.test(key)) {
    throw new InvalidInputError([
      {
        path: 'Idempotency-Key',
        message: `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible characters, like a UUID`,
      },
    ]);
  }
  return key;
}

/** Online, anyone (an access code changes nothing); a CSP officer for their own CSP; no other staff. */
function enteringOfficer(caller: Caller): StaffIdentity | undefined {
  if (caller.kind !== 'staff') return undefined;
  if (caller.staff.role !== 'officer') {
    throw new NotAllowedError('Only the applicant, online, or a CSP officer can submit an application.');
  }
  return caller.staff;
}

function sealingMaterial(request: IdempotentRequest): string {
  return `${request.key}\0${canonicalHash(request.body)}`;
}

export function applicationRoutes(context: ApplicationsContext, workflow: WorkflowContext): Routes {
  const { data, area, identify, now, idempotencyStore } = context;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: '[body, enteredBy]',
    hashFunction: 'sha256',
    expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
    throwOnNoIdempotencyKey: true,
  });

  const submit = async (application: Application, enteredBy: Actor, at: Date) => {
    const submission = await submitApplication(data, workflow, area, { application, enteredBy, now: at });
    metrics.addMetric('ApplicationsSubmitted', MetricUnit.Count, 1);
    return submission;
  };

  const submitOnce = makeIdempotent(
    async (request: IdempotentRequest, application: Application, enteredBy: Actor, at: Date) => {
      const { accessCode, ...submission } = await submit(application, enteredBy, at);
      const stored: StoredSubmission = {
        ...submission,
        sealedAccessCode: sealAccessCode(accessCode, sealingMaterial(request)),
      };
      return stored;
    },
    { persistenceStore: idempotencyStore, config, keyPrefix: 'submit-application', dataIndexArgument: 0 },
  );

  const submitWithKey = async (
    request: IdempotentRequest,
    application: Application,
    enteredBy: Actor,
    at: Date,
    lambda: Context,
  ): Promise<Submission> => {
    config.registerLambdaContext(lambda);
    let stored: StoredSubmission;
    try {
      stored = await submitOnce(request, application, enteredBy, at);
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new StillProcessingError(
          'An application with this Idempotency-Key is still being submitted. Wait a moment, then send it again.',
          { cause: error },
        );
      }
      if (error instanceof IdempotencyValidationError) {
        throw new ConflictError(
          'This Idempotency-Key was used for a different application. Use a new key for a new application.',
          undefined,
          { cause: error },
        );
      }
      throw error;
    }
    const { sealedAccessCode, ...submission } = stored;
    return { ...submission, accessCode: unsealAccessCode(sealedAccessCode, sealingMaterial(request)) };
  };

  return {
    'POST /api/applications': async (event, lambda) => {
      const caller = await identify(event);
      const officer = enteringOfficer(caller);
      const key = idempotencyKeyOf(event);
      const body = readJsonBody(event);
      const at = now();
      const application = parseInput(
        applicationSchema({ now: at, staff: officer !== undefined, cspIds: cspIds(area) }),
        body,
      );
      if (officer !== undefined && application.csp !== officer.csp) {
        throw new NotAllowedError('You can only enter applications for your own CSP.');
      }
      const enteredBy: Actor =
        officer === undefined ? { role: 'applicant' } : actorOf({ kind: 'staff', staff: officer });
      const submission =
        key === undefined
          ? await submit(application, enteredBy, at)
          : await submitWithKey(
              { key, body, enteredBy: officer?.sub ?? 'online' },
              application,
              enteredBy,
              at,
              lambda,
            );
      return json(201, submission);
    },
  };
}
