// Lighthouse's mobile profile (its default: a mid-range phone on simulated slow 4G) on the start page and
// an /apply step, offline, in Debian's Chromium (CHROME_PATH, else /usr/bin/chromium).
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { kb, target, write } from '#test/bench/figures.ts';

const SCORE = 98;
const LCP_MS = 1800;
const BYTES = 150 * 1024;
const FLAGS = ['uses-text-compression', 'uses-long-cache-ttl', 'unused-css-rules', 'unused-javascript'];

export async function lighthouseFigures(baseUrl: string, paths: readonly string[]): Promise<void> {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox'],
  });
  try {
    write('Lighthouse, mobile (simulated slow 4G)');
    for (const path of paths) {
      const result = await lighthouse(`${baseUrl}${path}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance'],
      });
      if (!result || result.lhr.runtimeError) {
        throw new Error(`Lighthouse could not run on ${path}: ${result?.lhr.runtimeError?.message}`);
      }
      const { lhr } = result;
      const score = Math.round((lhr.categories.performance?.score ?? 0) * 100);
      const metric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
      const lcp = metric('largest-contentful-paint');
      const bytes = metric('total-byte-weight');
      const flagged = FLAGS.filter((id) => (lhr.audits[id]?.score ?? 1) < 0.9);
      const none = `none of ${FLAGS.join(', ')}`;
      write(`   ${path}: flagged ${flagged.length > 0 ? flagged.join(', ') : none}`);
      // The score's other metrics, by their weights in it: TBT 30%, CLS 25%, FCP and Speed Index 10% each.
      write(
        `   ${path}: FCP ${(metric('first-contentful-paint') / 1000).toFixed(1)} s, Speed Index ${(metric('speed-index') / 1000).toFixed(1)} s, TBT ${metric('total-blocking-time').toFixed(0)} ms, CLS ${metric('cumulative-layout-shift').toFixed(3)}`,
      );
      target({
        name: `Lighthouse ${path}`,
        figure: `performance ${score}, LCP ${(lcp / 1000).toFixed(1)} s, ${kb(bytes)} transferred`,
        target: `>= ${SCORE}, LCP <= ${(LCP_MS / 1000).toFixed(1)} s, <= ${kb(BYTES)}`,
        met: score >= SCORE && lcp <= LCP_MS && bytes <= BYTES,
      });
    }
    write();
  } finally {
    chrome.kill();
  }
}
