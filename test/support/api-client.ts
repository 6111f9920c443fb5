// A small HTTP client for the running service, as an outside program would use the contract.

import { setTimeout as sleep } from 'node:timers/promises';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { localCredentials } from '#test/support/dynamodb.ts';
import type { LocalService } from '#test/support/local-service.ts';

export interface Credentials {
  readonly token?: string;
  readonly accessCode?: string;
}

export interface ApiResponse {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in tests.
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

export interface RequestOptions extends Credentials {
  readonly body?: unknown;
  readonly rawBody?: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

export class ApiClient {
  readonly service: LocalService;

  constructor(service: LocalService) {
    this.service = service;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(options.token !== undefined && { authorization: `Bearer ${options.token}` }),
      ...(options.accessCode !== undefined && { 'x-access-code': options.accessCode }),
      ...options.headers,
    };
    const response = await fetch(`${this.service.url}${path}`, {
      method,
      headers,
      ...((options.body !== undefined || options.rawBody !== undefined) && {
        body: options.rawBody ?? JSON.stringify(options.body),
      }),
    });
    const text = await response.text();
    let body: unknown = text;
    if (response.headers.get('content-type')?.startsWith('application/json')) body = JSON.parse(text);
    return { status: response.status, body, text, headers: response.headers };
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, options);
  }

  post(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}) {
    return this.request('POST', path, { ...options, body });
  }

  /** Submits an application; fails the test unless it is created. */
  async submit(
    body: unknown,
    options: Omit<RequestOptions, 'body'> = {},
  ): Promise<{ reference: string; accessCode: string }> {
    const response = await this.post('/api/applications', body, options);
    if (response.status !== 201) throw new Error(`Submission failed: ${response.status} ${response.text}`);
    return response.body;
  }

  /** Takes an action; fails the test unless it is accepted. */
  async act(
    reference: string,
    action: string,
    body: unknown,
    credentials: Credentials,
  ): Promise<ApiResponse> {
    const response = await this.post(`/api/cases/${reference}/${action}`, body, credentials);
    if (response.status !== 200)
      throw new Error(`${action} on ${reference} failed: ${response.status} ${response.text}`);
    return response;
  }

  /**
   * Reads the case until `done` holds: the workflow moves a case shortly after a request, and clients
   * poll (contract.md). Gives up after `timeoutMs`, with the last state seen.
   */
  async waitForCase(
    reference: string,
    credentials: Credentials,
    done: (view: Record<string, unknown>) => boolean,
    timeoutMs = 60_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.get(`/api/cases/${reference}`, credentials);
      if (response.status === 200 && done(response.body)) return response.body;
      if (Date.now() > deadline) {
        throw new Error(
          `Case ${reference} did not get there: last ${response.status} ${response.text.slice(0, 300)}\n` +
            `Its execution, latest first: ${await this.executionTail(reference)}\n` +
            `The service printed: ${this.service.output().slice(-3000)}`,
        );
      }
      await sleep(100);
    }
  }

  /** The last events of a case's execution, for a test that fails waiting on it. */
  async executionTail(reference: string): Promise<string> {
    const sfn = new SFNClient({
      endpoint: this.service.stepFunctionsEndpoint,
      region: 'eu-west-2',
      credentials: localCredentials,
    });
    try {
      const { events = [] } = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn: `arn:aws:states:eu-west-2:000000000000:execution:case-review:${reference}`,
          reverseOrder: true,
          maxResults: 12,
        }),
      );
      return JSON.stringify(
        events.map(({ timestamp, type, id: _id, previousEventId: _previous, ...details }) => ({
          at: timestamp?.toISOString(),
          type,
          details: JSON.stringify(details).slice(0, 300),
        })),
      );
    } catch (error) {
      return `unavailable (${error instanceof Error ? error.name : String(error)})`;
    } finally {
      sfn.destroy();
    }
  }

  waitForStage(reference: string, credentials: Credentials, stage: string, timeoutMs?: number) {
    return this.waitForCase(reference, credentials, (view) => view.stage === stage, timeoutMs);
  }

  async statistics(year: string): Promise<Record<string, Record<string, unknown>>> {
    const response = await this.get(`/api/statistics?year=${year}`);
    if (response.status !== 200) throw new Error(`Statistics failed: ${response.status} ${response.text}`);
    return Object.fromEntries(response.body.rows.map((row: { csp: string }) => [row.csp, row]));
  }
}
