// The second area shipped under infra/config/: valid by the service's own rules, and different from
// Merseyside wherever an area may differ, so running it shows nothing assumes Merseyside.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cspReferencePrefix, MERSEYSIDE, validateAreaConfig } from '#core/area-config.ts';
import { EXAMPLE_AREA, EXAMPLE_AREA_FILE } from '#test/support/example-area.ts';

describe('the fictional example area', () => {
  it('passes the same validation as any area the service runs', () => {
    // Prepare
    const file = JSON.parse(readFileSync(EXAMPLE_AREA_FILE, 'utf8'));

    // Act
    const area = validateAreaConfig(file);

    // Assess
    expect(area).toEqual(file);
    expect(EXAMPLE_AREA).toEqual(file);
  });

  it('is plainly fictional and shares no CSP, no reference prefix and no id with Merseyside', () => {
    // Prepare
    const merseysideCsps = new Set(MERSEYSIDE.csps.map((csp) => csp.id));
    const prefixes = EXAMPLE_AREA.csps.map((csp) => cspReferencePrefix(csp.id));

    // Assess
    expect(EXAMPLE_AREA.id).not.toBe(MERSEYSIDE.id);
    expect(EXAMPLE_AREA.name).toMatch(/fictional/i);
    expect(EXAMPLE_AREA.csps.filter((csp) => merseysideCsps.has(csp.id))).toEqual([]);
    expect(new Set(prefixes).size).toBe(EXAMPLE_AREA.csps.length);
  });

  it('has more CSPs, a calendar reporting year and its own deadlines and thresholds', () => {
    // Assess
    expect(EXAMPLE_AREA.csps.length).toBeGreaterThanOrEqual(6);
    expect(EXAMPLE_AREA.csps.length).toBeGreaterThan(MERSEYSIDE.csps.length);
    expect(EXAMPLE_AREA.reportingYear).toBe('calendar');
    const merseysideDeadlines = new Set(MERSEYSIDE.csps.map((csp) => JSON.stringify(csp.deadlines)));
    const merseysideThresholds = new Set(MERSEYSIDE.csps.map((csp) => JSON.stringify(csp.threshold)));
    for (const csp of EXAMPLE_AREA.csps) {
      expect(merseysideDeadlines.has(JSON.stringify(csp.deadlines)), csp.id).toBe(false);
      expect(merseysideThresholds.has(JSON.stringify(csp.threshold)), csp.id).toBe(false);
    }
    expect(EXAMPLE_AREA.csps[0]?.threshold.routeA.complaints).toBe(2);
  });
});
