// Powertools Metrics writes each function's metrics to standard output as CloudWatch's embedded metric
// format (EMF), as Lambda forwards them to CloudWatch. In a test run nothing reads them there: the workflow
// tests' handlers wrote about 300 such lines into the log between the results. The tests that assert
// metrics take them before they reach this (test/support/emf.ts); the rest are dropped here.
const QUIETED = Symbol.for('asb.metrics-output-quieted');
const stdout = process.stdout as typeof process.stdout & { [QUIETED]?: true };

// Files share a worker (isolate: false) and each runs this again: the first one wraps it.
if (!stdout[QUIETED]) {
  const write = stdout.write.bind(stdout);
  stdout.write = ((chunk: string | Uint8Array, ...rest: []) =>
    typeof chunk === 'string' && chunk.startsWith('{"_aws":')
      ? true
      : write(chunk, ...rest)) as typeof stdout.write;
  stdout[QUIETED] = true;
}
