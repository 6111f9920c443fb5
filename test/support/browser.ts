// Real Chromium (Debian's) driven by playwright-core, for the page tests: axe checks against WCAG 2.2 A
// and AA, and screenshots kept under test-results/ (git-ignored) to look at.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import axe from 'axe-core';
import { type Browser, chromium, type Page, type ViewportSize } from 'playwright-core';

const projectRoot = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(projectRoot, 'test-results', 'pages');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const DESKTOP = { width: 1280, height: 900 };
// WCAG 2.2's reflow width (1.4.10): what a phone of 320 CSS px shows without scrolling sideways.
export const PHONE = { width: 320, height: 740 };

// Debian's headless shell is the same engine without the browser's UI, and drives the journeys about a
// fifth faster; the full browser serves where it is not installed.
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

// Started through chromium.sh, which joins playwright-core's --disable-features and ours into one.
const STARTER = join(import.meta.dirname, 'chromium.sh');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: STARTER,
    env: {
      ...process.env,
      CHROMIUM:
        process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium'),
    },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A navigation keeps the page's frame in the renderer instead of making a new one for the new
      // document (RenderDocument, Chromium's default): the same pages and checks, for a tenth less of
      // Chromium's CPU over a journey (deployed 36.9 -> 32.7 s, source 46.9 -> 42.3 s, loaded machine).
      '--disable-features=RenderDocument',
    ],
  });
}

export interface AxeViolation {
  readonly id: string;
  readonly help: string;
  readonly targets: readonly string[];
}

type Axe = typeof axe;

/** What of a page's document the reflow check reads (the tests are compiled without the DOM's types). */
interface InPageElement {
  readonly tagName: string;
  readonly className: unknown;
  readonly parentElement: InPageElement | null;
  getBoundingClientRect(): { readonly right: number };
}
interface InPageDom {
  readonly document: {
    readonly documentElement: { readonly clientWidth: number; readonly scrollWidth: number };
    querySelectorAll(selector: string): Iterable<InPageElement>;
  };
}

/** What of a page's window the checks use (the tests are compiled without the DOM's types). */
interface InPageWindow {
  readonly history: { replaceState(data: null, unused: string, url: string): void };
  readonly document: { open(): void; write(html: string): void; close(): void };
  addEventListener(type: 'load', listener: () => void, options: { once: true }): void;
}

/**
 * Axe's WCAG 2.2 A/AA violations on the page as it is now, at each of `viewports` (by default its own
 * size), one list per viewport. Axe needs JavaScript, so a page open with JavaScript off (say so:
 * playwright cannot tell) is checked as the same HTML served again to a checking page with scripts
 * blocked, so what is checked is what someone without JavaScript got. `atEach` runs with the page itself
 * at each viewport (for its screenshots), so that it is resized only as often as the checks need: each
 * resize lays the whole page out again.
 */
export async function axeViolations(
  page: Page,
  browser: Browser,
  options: {
    javaScript: boolean;
    viewports?: readonly ViewportSize[];
    atEach?: (viewport: ViewportSize) => Promise<void>;
  },
): Promise<AxeViolation[][]> {
  const ownSize = page.viewportSize() ?? DESKTOP;
  const viewports = options.viewports ?? [ownSize];
  try {
    if (options.javaScript) return await checkWithAxe(page, viewports, options.atEach);
    const [url, html] = [page.url(), await page.content()];
    const results = await inCopyChecker(browser, async (checker) => {
      await showCopy(checker, url, html);
      return checkWithAxe(checker, viewports);
    });
    for (const index of fromCurrentSize(page, viewports)) {
      const viewport = viewports[index] as ViewportSize;
      await resize(page, viewport);
      await options.atEach?.(viewport);
    }
    return results;
  } finally {
    await resize(page, ownSize);
  }
}

/**
 * Axe's source (half a megabyte) is put into the document once for all the viewports, and only the
 * violations come back: most of a check's time went there, not into axe's rules. The viewports are
 * checked starting with the one the page is at, so a page already at the phone's width is not laid out
 * at the desktop's and back again.
 */
async function checkWithAxe(
  page: Page,
  viewports: readonly ViewportSize[],
  atEach?: (viewport: ViewportSize) => Promise<void>,
): Promise<AxeViolation[][]> {
  await putAxeInto(page);
  const results: AxeViolation[][] = [];
  for (const index of fromCurrentSize(page, viewports)) {
    const viewport = viewports[index] as ViewportSize;
    await resize(page, viewport);
    results[index] = await page.evaluate(async (tags) => {
      const inPage = (globalThis as unknown as { axe: Axe }).axe;
      const result = await inPage.run({
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      const violations = result.violations.map((violation) => ({
        id: violation.id,
        help: violation.help,
        targets: violation.nodes.map((node) => String(node.target)),
      }));
      // Reflow (WCAG 2.2 1.4.10), which axe does not check: at any width, 320 CSS px included, the page
      // itself never scrolls sideways; a wide table scrolls inside a region of its own.
      const dom = globalThis as unknown as InPageDom;
      const width = dom.document.documentElement.clientWidth;
      if (dom.document.documentElement.scrollWidth > width) {
        const wide = [...dom.document.querySelectorAll('main *')]
          .filter((element) => element.getBoundingClientRect().right > width + 1)
          .filter(
            (element) =>
              !element.parentElement || element.parentElement.getBoundingClientRect().right <= width + 1,
          )
          .slice(0, 5)
          .map(
            (element) =>
              element.tagName.toLowerCase() +
              (element.className ? `.${String(element.className).split(' ').join('.')}` : ''),
          );
        violations.push({
          id: 'reflow',
          help: `The page is ${dom.document.documentElement.scrollWidth} px wide in a ${width} px window: it scrolls sideways`,
          targets: wide,
        });
      }
      return violations;
    }, AXE_TAGS);
    await atEach?.(viewport);
  }
  return results;
}

/**
 * Axe goes in as a script run through the DevTools protocol rather than through page.evaluate, whose
 * eval took half as much again of the renderer's time for every document it was put into. It keeps no
 * copy of the HTML of each element it looks at (noHtml): the checks report rules and selectors, never
 * that HTML, and copying it was about a sixteenth of axe's runs.
 */
async function putAxeInto(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in globalThis)) return;
  const session = await page.context().newCDPSession(page);
  try {
    const { exceptionDetails } = await session.send('Runtime.evaluate', {
      expression: `${axe.source};axe.configure({ noHtml: true });`,
    });
    if (exceptionDetails) throw new Error(`axe did not load: ${exceptionDetails.text}`);
  } finally {
    await session.detach();
  }
}

/** The indexes of `viewports`, the page's current size first. */
function fromCurrentSize(page: Page, viewports: readonly ViewportSize[]): number[] {
  const indexes = viewports.map((_, index) => index);
  const current = indexes.findIndex((index) => sameSize(viewports[index], page.viewportSize()));
  return current <= 0 ? indexes : [...indexes.slice(current), ...indexes.slice(0, current)];
}

async function resize(page: Page, viewport: ViewportSize): Promise<void> {
  if (!sameSize(viewport, page.viewportSize())) await page.setViewportSize(viewport);
}

const sameSize = (a: ViewportSize | undefined, b: ViewportSize | null | undefined) =>
  a !== undefined && b !== null && b !== undefined && a.width === b.width && a.height === b.height;

// One page per browser checks the copies, one at a time: a context of its own per check (a renderer
// process started each time) cost several times the check itself.
const copyCheckers = new WeakMap<Browser, { page: Promise<Page>; queue: Promise<unknown> }>();

function inCopyChecker<T>(browser: Browser, check: (checker: Page) => Promise<T>): Promise<T> {
  let checker = copyCheckers.get(browser);
  if (checker === undefined) {
    checker = { page: browser.newContext().then((context) => context.newPage()), queue: Promise.resolve() };
    copyCheckers.set(browser, checker);
  }
  const { page } = checker;
  const result = checker.queue.then(async () => check(await page));
  checker.queue = result.catch(() => undefined);
  return result;
}

/**
 * Shows the checking page `html` at `url`, with scripts refused (`script-src 'none'`). The first copy from
 * a site is served to it; the later ones are written into that document (document.open, as a new
 * document from the same parser, keeping its policy and the axe already put into it: putting axe into a
 * new document each time cost more than a check's rules), at their own URL, once their styles load.
 */
async function showCopy(checker: Page, url: string, html: string): Promise<void> {
  if (checker.url() !== 'about:blank' && new URL(checker.url()).origin === new URL(url).origin) {
    await checker.evaluate(
      async ([at, copy]) => {
        const window = globalThis as unknown as InPageWindow;
        window.history.replaceState(null, '', at);
        window.document.open();
        const loaded = new Promise<void>((resolve) =>
          window.addEventListener('load', () => resolve(), { once: true }),
        );
        window.document.write(copy);
        window.document.close();
        await loaded;
      },
      [url, html] as const,
    );
    return;
  }
  await checker.route(url, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      headers: { 'content-security-policy': "script-src 'none'" },
      body: html,
    }),
  );
  try {
    await checker.goto(url);
  } finally {
    await checker.unroute(url);
  }
}

/**
 * A full-page screenshot at the page's viewport, named for the page (`folder/name` for a folder of its
 * own): Chromium's own capture, asked for its fast PNG encoding (a third less of the browser's CPU
 * than playwright's screenshot, which encodes for size).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  const session = await page.context().newCDPSession(page);
  try {
    const { cssContentSize } = await session.send('Page.getLayoutMetrics');
    const { data } = await session.send('Page.captureScreenshot', {
      format: 'png',
      optimizeForSpeed: true,
      captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: cssContentSize.width, height: cssContentSize.height, scale: 1 },
    });
    writeFileSync(path, Buffer.from(data, 'base64'));
  } finally {
    await session.detach();
  }
}
