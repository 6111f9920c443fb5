// `npm run bench`: every figure of issue 15 with its floor, measured in this one run, and which targets
// are met. The machine's load moves every figure; the floors move with it, which is why they are here.
// Loopback only; every request loop has a fixed count.
// `npm run bench -- pages worklist` runs only the sections named (bundles, submissions, pages,
// lighthouse, worklist, writes), to look at one figure without waiting for the others.
import { writesPerPath } from '#test/bench/api.bench.ts';
import { bundles } from '#test/bench/bundles.bench.ts';
import { summary, write } from '#test/bench/figures.ts';
import { againstTheService, SERVICE_SECTIONS, type ServiceSection } from '#test/bench/service.bench.ts';

const SECTIONS = ['bundles', ...SERVICE_SECTIONS, 'writes'] as const;
type Section = (typeof SECTIONS)[number];

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !SECTIONS.includes(name as Section));
if (unknown.length > 0) {
  throw new Error(`Unknown bench section(s) ${unknown.join(', ')}: choose from ${SECTIONS.join(', ')}`);
}
const runs = (section: Section) => asked.length === 0 || asked.includes(section);

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
write(`Benchmark (${new Date().toISOString()}, Node ${process.versions.node})`);
write();
if (runs('bundles')) await bundles();
const serviceSections = SERVICE_SECTIONS.filter((section: ServiceSection) => runs(section));
if (serviceSections.length > 0) await againstTheService(serviceSections);
if (runs('writes')) await writesPerPath();
write();
summary();
