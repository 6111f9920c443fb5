// `npm run bench`: every figure of issue 15 with its floor, measured in this one run, and which targets
// are met. The machine's load moves every figure; the floors move with it, which is why they are here.
// Loopback only; every request loop has a fixed count.
import { writesPerPath } from '#test/bench/api.bench.ts';
import { bundles } from '#test/bench/bundles.bench.ts';
import { summary, write } from '#test/bench/figures.ts';
import { againstTheService } from '#test/bench/service.bench.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
write(`Benchmark (${new Date().toISOString()}, Node ${process.versions.node})`);
write();
await bundles();
await againstTheService();
await writesPerPath();
write();
summary();
