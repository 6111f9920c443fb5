// The Lambda API's Invoke for the deployed functions (`POST /2015-03-31/functions/<name>/invocations`,
// what `aws lambda invoke` sends), so a person can run one step of the workflow by hand as the state
// machine would (a reminder of an overdue case, without waiting for its deadline to come round again).
// A function's error comes back as Lambda returns it: status 200, `X-Amz-Function-Error: Unhandled` and
// `{errorType, errorMessage}`. A call signed by a deployed function needs lambda:InvokeFunction.
import { createServer, type Server } from 'node:http';
import { readBody } from '#local/deployed/aws-json.ts';
import { accessKeyOf, type LocalIam } from '#local/deployed/iam.ts';
import type { LambdaHost } from '#local/deployed/lambda-host.ts';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export function createLambdaApi(options: {
  functions: ReadonlyMap<string, LambdaHost>;
  arnOf: (name: string) => string;
  iam: LocalIam;
}): Server {
  return createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const reply = (status: number, answer: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(answer) ?? 'null';
        response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        response.end(text);
      };
      const match = request.method === 'POST' ? INVOKE_PATH.exec(request.url?.split('?')[0] ?? '') : null;
      const name = match?.[1] ? decodeURIComponent(match[1]).split(':').pop() : undefined;
      const host = name === undefined ? undefined : options.functions.get(name);
      if (!name || !host) {
        return reply(
          404,
          { Type: 'User', message: `Function not found: ${name ? options.arnOf(name) : request.url}` },
          { 'x-amzn-ErrorType': 'ResourceNotFoundException' },
        );
      }
      const caller = options.iam.callerOf(accessKeyOf(request.headers.authorization));
      if (caller) {
        const denied = await options.iam.authorise(caller, [
          { action: 'lambda:InvokeFunction', resource: options.arnOf(name) },
        ]);
        if (denied) {
          return reply(
            403,
            { Type: 'User', Message: denied.message },
            { 'x-amzn-ErrorType': 'AccessDeniedException' },
          );
        }
      }
      let event: unknown;
      try {
        event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        return reply(
          400,
          { Type: 'User', message: 'Could not parse request body into json' },
          { 'x-amzn-ErrorType': 'InvalidRequestContentException' },
        );
      }
      try {
        reply(200, await host.invoke(event), { 'X-Amz-Executed-Version': '$LATEST' });
      } catch (error) {
        const { name: errorType, message: errorMessage } =
          error instanceof Error ? error : { name: 'Error', message: String(error) };
        reply(200, { errorType, errorMessage }, { 'X-Amz-Function-Error': 'Unhandled' });
      }
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
}
