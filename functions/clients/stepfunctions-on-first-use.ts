// The Step Functions client loaded with the first call rather than with the function, for the pages: few
// of their requests start or answer a case's workflow (a submission, a withdrawal, a decision).
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Env } from '#clients/environment.ts';
import { onFirstUse } from '#clients/on-first-use.ts';
import type { StepFunctionsSender } from '#clients/stepfunctions.ts';

export function stepFunctionsOnFirstUse(env: Env = process.env): StepFunctionsSender {
  const client = onFirstUse(async () =>
    (await import('#clients/stepfunctions.ts')).createStepFunctionsClient(env),
  );
  // The client's own send, made once the client is loaded: the same call with the same arguments, which
  // its overloads type.
  const send = (...call: Parameters<SFNClient['send']>) => client().then((sfn) => sfn.send(...call));
  return { send: send as SFNClient['send'] };
}
