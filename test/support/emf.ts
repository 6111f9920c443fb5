// CloudWatch embedded metric format (EMF) documents, as Powertools Metrics writes them to standard
// output in a Lambda function, captured from this process while some code runs.
import { vi } from 'vitest';

export interface EmfDocument {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit?: string }[];
    }[];
  };
  readonly [field: string]: unknown;
}

/** The EMF documents written to standard output while `act` runs; everything else is passed on. */
export async function emfWrittenDuring(act: () => Promise<unknown> | unknown): Promise<EmfDocument[]> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((
    chunk: string | Uint8Array,
    ...rest: []
  ) => {
    const text = String(chunk);
    if (!text.includes('"_aws"')) return write(chunk, ...rest);
    lines.push(...text.trim().split('\n'));
    return true;
  }) as typeof process.stdout.write);
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as EmfDocument);
}

/** The values of one metric, one per document that carries it. */
export function metricValues(documents: readonly EmfDocument[], name: string): unknown[] {
  return documents
    .filter((document) =>
      document._aws.CloudWatchMetrics.some((set) => set.Metrics.some((metric) => metric.Name === name)),
    )
    .map((document) => document[name]);
}
