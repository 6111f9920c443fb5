// DynamoDB's port in the deployed mode: every call reaches DynamoDB Local through here, and a call
// signed by a deployed function is first checked against that function's role policies (each item of a
// transaction or batch on its own table, a Query on an index against the index's ARN). A refused call
// gets DynamoDB's AccessDeniedException and never reaches the data. Calls with other credentials (the
// AWS CLI, the recount script, the engine's own table) pass unchecked, as they do under `npm start`.
import { createServer, type Server } from 'node:http';
import { ACCESS_DENIED, jsonObject, readBody, sendAwsJson } from '#local/deployed/aws-json.ts';
import { type ArnContext, dynamoDbRequests, operationOf } from '#local/deployed/aws-requests.ts';
import { accessKeyOf, type LocalIam } from '#local/deployed/iam.ts';
import { forwardRequest } from '#local/forward.ts';

const TARGET_PREFIX = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

export function createDynamoDbGate(options: {
  /** DynamoDB Local itself, on a port of its own. */
  upstream: string;
  iam: LocalIam;
  arns: ArnContext;
  onError?: (error: unknown) => void;
}): Server {
  const upstream = new URL(options.upstream);
  return createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const caller = options.iam.callerOf(accessKeyOf(request.headers.authorization));
      const operation = operationOf(request.headers['x-amz-target'], TARGET_PREFIX);
      if (caller && operation) {
        const denied = await options.iam.authorise(
          caller,
          dynamoDbRequests(operation, jsonObject(body), options.arns),
        );
        if (denied) {
          sendAwsJson(response, 400, CONTENT_TYPE, { __type: ACCESS_DENIED, Message: denied.message });
          return;
        }
      }
      const upstreamRequest = forwardRequest(
        { host: upstream.hostname, port: upstream.port },
        request,
        response,
      );
      upstreamRequest.once('error', (error) => {
        options.onError?.(error);
        if (!response.headersSent) {
          sendAwsJson(response, 500, CONTENT_TYPE, {
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: 'DynamoDB Local did not answer',
          });
        } else response.destroy();
      });
      upstreamRequest.end(body);
    })().catch((error: unknown) => {
      options.onError?.(error);
      if (!response.headersSent) {
        sendAwsJson(response, 400, CONTENT_TYPE, {
          __type: 'com.amazon.coral.service#SerializationException',
          Message: 'The request could not be read',
        });
      }
    });
  });
}
