import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assetsFolder, buildWeb, WebBuildError } from '#infra/web-build.ts';
import { createRenderer } from '#web/render/renderer.ts';
import { webPaths } from '#web/web-paths.ts';

const PROJECT = resolve(import.meta.dirname, '../..');

// A project of its own: this build module, GOV.UK Frontend, the service's static files and two views.
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'asb-web-build-'));
  mkdirSync(join(root, 'infra'));
  cpSync(join(PROJECT, 'infra/web-build.ts'), join(root, 'infra/web-build.ts'));
  cpSync(join(PROJECT, 'functions/web/assets'), join(root, 'functions/web/assets'), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(join(PROJECT, 'node_modules/govuk-frontend'), join(root, 'node_modules/govuk-frontend'));
  mkdirSync(join(root, 'functions/web/views/partials'), { recursive: true });
  writeView(root, 'partials/go.njk', '{% macro go(text) %}{{ govukButton({ text: text }) }}{% endmacro %}');
  writeView(
    root,
    'page.njk',
    '{% from "govuk/components/button/macro.njk" import govukButton %}{% from "./partials/go.njk" import go with context %}{{ go(label) }}<link href="{{ "app.css" | asset }}">',
  );
  return root;
}

function writeView(root: string, name: string, text: string): void {
  writeFileSync(join(root, 'functions/web/views', name), text);
}

describe('the pages’ build', () => {
  let root: string;
  beforeEach(() => {
    root = project();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('compiles the views and the GOV.UK Frontend templates they reach, rendered by the names the pages give', () => {
    // Act
    buildWeb(root);
    const render = createRenderer(webPaths('resident', root));

    // Assess
    const templates = Object.keys(createRequire(import.meta.url)(webPaths('resident', root).templates));
    expect(templates).toEqual(
      expect.arrayContaining(['page.njk', 'partials/go.njk', 'govuk/components/button/template.njk']),
    );
    const page = render('page.njk', { label: '<Send>' });
    expect(page).toContain('&lt;Send&gt;');
    expect(page).toMatch(/href="\/assets\/app\.[0-9a-f]{12}\.css"/);
  });

  it('gives each door the views of its folders and the templates they reach, and no other door’s', () => {
    // Prepare
    mkdirSync(join(root, 'functions/web/views/staff'));
    writeView(
      root,
      'staff/desk.njk',
      '{% from "govuk/components/tag/macro.njk" import govukTag %}{{ govukTag({ text: "Open" }) }}',
    );

    // Act
    buildWeb(root);

    // Assess
    const names = (door: 'resident' | 'staff') =>
      Object.keys(createRequire(import.meta.url)(webPaths(door, root).templates));
    expect(names('resident')).toEqual(
      expect.arrayContaining(['page.njk', 'govuk/components/button/template.njk']),
    );
    expect(names('resident')).not.toContain('staff/desk.njk');
    expect(names('resident')).not.toContain('govuk/components/tag/template.njk');
    expect(names('staff')).toEqual(
      expect.arrayContaining(['staff/desk.njk', 'govuk/components/tag/template.njk']),
    );
    expect(names('staff')).not.toContain('page.njk');
    expect(createRenderer(webPaths('staff', root))('staff/desk.njk', {})).toContain('govuk-tag');
  });

  it('compiles the stylesheet from Sass with GOV.UK Frontend’s core and the components it loads, in Arial', () => {
    // Act
    const built = buildWeb(root);

    // Assess
    const css = readFileSync(join(assetsFolder(root), built['app.css'] as string), 'utf8');
    expect(css).toContain('.govuk-button{');
    expect(css).toContain('.govuk-template{');
    expect(css).toContain('.app-staff-bar{');
    expect(css).not.toContain('.govuk-accordion');
    expect(css).not.toMatch(/GDS Transport|@font-face/);
    expect(Object.keys(built).some((name) => name.startsWith('fonts/'))).toBe(false);
  });

  it('refuses a view that uses a GOV.UK Frontend component whose styles the stylesheet does not load, naming both', () => {
    // Prepare
    writeView(root, 'page.njk', '<div class="govuk-accordion" data-module="govuk-accordion"></div>');

    // Act and assess
    expect(() => buildWeb(root)).toThrow(WebBuildError);
    expect(() => buildWeb(root)).toThrow(/page\.njk uses GOV\.UK Frontend's accordion/);
  });

  it('renders what the build writes shorter as Nunjucks renders it: a set a template imports, a loop’s variables, escaping, a filter, an import of a name not exported', () => {
    // Prepare
    writeView(root, 'partials/names.njk', '{% set greeting = "Hello" %}{% set _hidden = "no" %}');
    writeView(
      root,
      'page.njk',
      '{% from "./partials/names.njk" import greeting %}{% set shout = greeting + "!" %}{{ shout }} {{ label }}' +
        '{% for item in items %}[{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }} {{ item }}]{% endfor %}',
    );
    writeView(root, 'filters.njk', '{{ items | length }} {{ items | join("+") | upper }}');
    writeView(root, 'broken.njk', '{% from "./partials/names.njk" import farewell %}{{ farewell }}');

    // Act
    buildWeb(root);
    const page = createRenderer(webPaths('resident', root))('page.njk', { label: '<b>', items: ['a', 'b'] });

    // Assess
    expect(page).toBe('Hello! &lt;b&gt;[1/0/2/1/true/false/2 a][2/1/1/0/false/true/2 b]');
    const render = createRenderer(webPaths('resident', root));
    expect(render('filters.njk', { items: ['a', 'b'] })).toBe('2 A+B');
    expect(() => render('broken.njk', {})).toThrow("cannot import 'farewell'");
  });

  it('bundles the pages’ script with only the GOV.UK Frontend components it imports', () => {
    // Act
    const built = buildWeb(root);

    // Assess
    const script = readFileSync(join(assetsFolder(root), built['app.mjs'] as string), 'utf8');
    expect(script).toContain('govuk-radios');
    expect(script).not.toContain('govuk-accordion');
    expect(script).not.toMatch(/^import /m);
    expect(built['govuk-frontend.min.js']).toBeUndefined();
  });

  it('refuses a view that uses a GOV.UK Frontend component whose script the pages’ script does not set up, naming both', () => {
    // Prepare: styled, so that only its script is missing.
    const stylesheet = join(root, 'functions/web/assets/app.scss');
    writeFileSync(
      stylesheet,
      readFileSync(stylesheet, 'utf8').replace(
        '@use "govuk/utilities";',
        '@use "govuk/components/tabs";\n$&',
      ),
    );
    writeView(root, 'page.njk', '<div class="govuk-tabs" data-module="govuk-tabs"></div>');

    // Act and assess
    expect(() => buildWeb(root)).toThrow(WebBuildError);
    expect(() => buildWeb(root)).toThrow(/page\.njk uses GOV\.UK Frontend's tabs, whose script/);
  });

  it('builds again only when what it reads changed', () => {
    // Prepare
    buildWeb(root);
    const templates = webPaths('resident', root).templates;
    const first = statSync(templates).mtimeMs;

    // Act
    buildWeb(root);
    const unchanged = statSync(templates).mtimeMs;
    writeView(root, 'page.njk', '<p>{{ label }} again</p>');
    buildWeb(root);

    // Assess
    expect(unchanged).toBe(first);
    expect(readFileSync(templates, 'utf8')).toContain(' again</p>');
  });

  it('refuses a view that names a template there is not, naming it', () => {
    // Prepare
    writeView(root, 'page.njk', '{% include "partials/missing.njk" %}');

    // Act and assess
    expect(() => buildWeb(root)).toThrow(WebBuildError);
    expect(() => buildWeb(root)).toThrow('partials/missing.njk');
  });

  it('refuses a view whose text reads as a call of Nunjucks’ runtime, which the build rewrites in its code', () => {
    // Prepare
    writeView(root, 'page.njk', '<p>runtime.memberLookup(a, "b")</p>');

    // Act and assess
    expect(() => buildWeb(root)).toThrow(WebBuildError);
    expect(() => buildWeb(root)).toThrow('page.njk');
  });
});
