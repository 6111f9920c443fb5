import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS } from '#api/http/error-responses.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { parseCaseReference } from '#cases/case-identifiers.ts';
import { decodeCursor, encodeCursor } from '#cases/worklist-cursor.ts';
import { DomainError } from '#core/errors.ts';
import { apiEvent } from '#test/support/api-events.ts';

const onlyRefusals = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (!(error instanceof DomainError) || HTTP_STATUS[error.kind] >= 500) throw error;
  }
};

describe('readJsonBody', () => {
  it('fails only with a 4xx for any bytes, encoding and content type', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.boolean(),
        fc.option(fc.string()),
        (bytes, base64, type) => {
          const event = apiEvent('POST /x', {
            rawBody: base64 ? Buffer.from(bytes).toString('base64') : Buffer.from(bytes).toString('latin1'),
            isBase64Encoded: base64,
            headers: type === null ? {} : { 'content-type': type },
          });
          onlyRefusals(() => readJsonBody(event));
        },
      ),
    );
  });

  it('reads back any JSON value sent as JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const event = apiEvent('POST /x', {
          rawBody: JSON.stringify(value),
          headers: { 'content-type': 'application/json' },
        });
        expect(readJsonBody(event)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('decodeCursor', () => {
  it('fails only with a 400 for any text, and round-trips any key it issued', () => {
    fc.assert(fc.property(fc.string(), (text) => onlyRefusals(() => decodeCursor(text))));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { minKeys: 1, maxKeys: 6 }),
        (key) => {
          expect(decodeCursor(encodeCursor(key) ?? '')).toEqual(key);
        },
      ),
    );
  });
});

describe('parseCaseReference', () => {
  it('never throws, and gives either nothing or a well-formed reference', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const reference = parseCaseReference(text);
        if (reference !== undefined) expect(reference).toMatch(/^[A-Z]{3}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      }),
    );
  });
});
