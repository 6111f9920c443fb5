// What CloudWatch would take from each function's output: lines in the embedded metric format (what
// Powertools Metrics writes) become metric records kept in DATA_DIR/metrics.ndjson, newest last, for
// `GET /local/metrics` and the tests that hold the template's alarms against them; every other line is
// the function's log and goes to this process's output, as it would go to the function's log group.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MetricRecord {
  readonly function: string;
  readonly timestamp: number;
  readonly namespace: string;
  readonly name: string;
  readonly unit?: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

interface EmbeddedMetricDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string; readonly Unit?: string }[];
}

export function metricsFile(dataDir: string): string {
  return join(dataDir, 'metrics.ndjson');
}

/** The metric records of one embedded-format line (one per metric and dimension set), or undefined. */
export function metricRecordsOf(functionName: string, line: string): MetricRecord[] | undefined {
  if (!line.startsWith('{')) return undefined;
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const metadata = document._aws as { Timestamp?: number; CloudWatchMetrics?: EmbeddedMetricDirective[] };
  if (!Array.isArray(metadata?.CloudWatchMetrics)) return undefined;
  return metadata.CloudWatchMetrics.flatMap((directive) =>
    directive.Metrics.flatMap((metric) => {
      const raw = document[metric.Name];
      const values = (Array.isArray(raw) ? raw : [raw]).map(Number);
      return directive.Dimensions.flatMap((dimensionSet) =>
        values.map((value) => ({
          function: functionName,
          timestamp: metadata.Timestamp ?? Date.now(),
          namespace: directive.Namespace,
          name: metric.Name,
          ...(metric.Unit && { unit: metric.Unit }),
          value,
          dimensions: Object.fromEntries(dimensionSet.map((name) => [name, String(document[name])])),
        })),
      );
    }),
  );
}

/** Sorts one function's output lines into metric records (appended to `file`) and log lines. */
export function functionOutput(
  functionName: string,
  file: string,
  log: (line: string) => void,
): (line: string) => void {
  return (line) => {
    const records = metricRecordsOf(functionName, line);
    if (!records) return log(line);
    if (records.length > 0) {
      appendFileSync(file, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    }
  };
}

export function readMetrics(file: string): MetricRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as MetricRecord);
}
