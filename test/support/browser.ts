// Real Chromium (Debian's) driven by playwright-core, for the page tests: axe checks against WCAG 2.2 A
// and AA, and screenshots kept under test-results/ (git-ignored) to look at.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page, type ViewportSize } from 'playwright-core';

const projectRoot = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(projectRoot, 'test-results', 'pages');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 740 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface AxeViolation {
  readonly id: string;
  readonly help: string;
  readonly targets: readonly string[];
}

type Axe = typeof axe;

/**
 * Axe's WCAG 2.2 A/AA violations on the page as it is now, at each of `viewports` (by default its own
 * size), one list per viewport. Axe needs JavaScript, so a page open with JavaScript off (say so:
 * playwright cannot tell) is checked as the same HTML served again to a checking page with scripts
 * blocked, so what is checked is what someone without JavaScript got. Axe's source (half a megabyte) is
 * put into the page once for all the viewports, and only the violations come back: most of a check's
 * time was spent there, not in axe's rules.
 */
export async function axeViolations(
  page: Page,
  browser: Browser,
  options: { javaScript: boolean; viewports?: readonly ViewportSize[] },
): Promise<AxeViolation[][]> {
  const ownSize = page.viewportSize() ?? DESKTOP;
  const checker = options.javaScript ? undefined : await browser.newContext({ viewport: ownSize });
  try {
    const target = checker ? await withoutScripts(page, checker) : page;
    if (!(await target.evaluate(() => 'axe' in globalThis))) await target.evaluate(axe.source);
    const results: AxeViolation[][] = [];
    for (const viewport of options.viewports ?? [ownSize]) {
      await target.setViewportSize(viewport);
      results.push(
        await target.evaluate(async (tags) => {
          const inPage = (globalThis as unknown as { axe: Axe }).axe;
          const result = await inPage.run({
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
          });
          return result.violations.map((violation) => ({
            id: violation.id,
            help: violation.help,
            targets: violation.nodes.map((node) => String(node.target)),
          }));
        }, AXE_TAGS),
      );
    }
    return results;
  } finally {
    if (checker) await checker.close();
    else await page.setViewportSize(ownSize);
  }
}

/** The page's HTML as it was served, in a page of `checker` that runs none of the page's own scripts. */
async function withoutScripts(page: Page, checker: BrowserContext): Promise<Page> {
  const copy = await checker.newPage();
  const html = await page.content();
  await copy.route(page.url(), (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      headers: { 'content-security-policy': "script-src 'none'" },
      body: html,
    }),
  );
  await copy.goto(page.url());
  return copy;
}

/** A full-page screenshot at the page's viewport, named for the page (`folder/name` for a folder of its own). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}
