// Real Chromium (Debian's) driven by playwright-core, for the page tests: axe checks against WCAG 2.2 A
// and AA, and screenshots kept under test-results/ (git-ignored) to look at.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

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

/**
 * Axe's WCAG 2.2 A/AA violations on the page as it is now. Axe needs JavaScript, so a page open with
 * JavaScript off (say so: playwright cannot tell) is checked as the same HTML served again to a checking
 * page with scripts blocked, so what is checked is what someone without JavaScript got.
 */
export async function axeViolations(
  page: Page,
  browser: Browser,
  options: { javaScript: boolean },
): Promise<AxeViolation[]> {
  let target = page;
  let checker: BrowserContext | undefined;
  if (!options.javaScript) {
    checker = await browser.newContext({ viewport: page.viewportSize() ?? DESKTOP });
    target = await checker.newPage();
    const html = await page.content();
    await target.route(page.url(), (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': "script-src 'none'" },
        body: html,
      }),
    );
    await target.goto(page.url());
  }
  try {
    const result = await new AxeBuilder({ page: target }).withTags(AXE_TAGS).analyze();
    return result.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => String(node.target)),
    }));
  } finally {
    await checker?.close();
  }
}

/** A full-page screenshot, named for the page, at the page's viewport. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
