// The statistics chart: a server-drawn SVG (no script, no inline styles, so the CSP stays strict) of the
// applications received and the case reviews carried out per CSP. Each bar carries its number in text,
// so colour is never the only way to tell the bars apart, and the SVG's title and description say
// everything the bars show, for people who cannot see them.
import type { StatisticsRow } from '#core/counting.ts';

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const SERIES = [
  { key: 'applicationsReceived', label: 'applications received', colour: '#1d70b8' },
  { key: 'caseReviewsCarriedOut', label: 'case reviews carried out', colour: '#00703c' },
] as const;

// Drawn for a phone first: at 320 CSS px the 400 units are about 290 px, so the 20-unit text is about
// 14 px. Each area's name is on its own line above its bars, and the legend is one entry a line.
const WIDTH = 400;
const FONT = 20;
const VALUE_ROOM = 250;
const NAME_HEIGHT = 28;
const BAR_HEIGHT = 26;
const BAR_GAP = 6;
const GROUP_GAP = 18;
const LEGEND_LINE = 28;
const TOP = SERIES.length * LEGEND_LINE + 12;

function plural(n: number, label: string): string {
  return n === 1
    ? label.replace(/^applications/, 'application').replace(/^case reviews/, 'case review')
    : label;
}

export function statisticsChart(rows: readonly StatisticsRow[], year: string): string {
  const max = Math.max(1, ...rows.flatMap((row) => SERIES.map((series) => row[series.key] ?? 0)));
  const scale = (WIDTH - VALUE_ROOM) / max;
  const groupHeight = NAME_HEIGHT + SERIES.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
  const height = TOP + rows.length * groupHeight;
  const describe = rows
    .map((row) =>
      row.available
        ? `${row.name}: ${SERIES.map((s) => `${row[s.key] ?? 0} ${plural(row[s.key] ?? 0, s.label)}`).join(', ')}.`
        : `${row.name}: not available.`,
    )
    .join(' ');
  const text = (x: number, y: number, words: string, bold = false) =>
    `<text x="${x.toFixed(1)}" y="${y}" font-size="${FONT}"${bold ? ' font-weight="bold"' : ''} fill="#0b0c0c">${words}</text>`;
  const legend = SERIES.map(
    (series, index) =>
      `<rect x="0" y="${index * LEGEND_LINE + 4}" width="18" height="18" fill="${series.colour}"/>` +
      text(26, index * LEGEND_LINE + 20, escapeXml(series.label[0]?.toUpperCase() + series.label.slice(1))),
  ).join('');
  const groups = rows
    .map((row, index) => {
      const y = TOP + index * groupHeight;
      const name = text(0, y + NAME_HEIGHT - 8, escapeXml(row.name), true);
      const barsTop = y + NAME_HEIGHT;
      if (!row.available) return name + text(0, barsTop + BAR_HEIGHT - 6, 'Not available');
      const bars = SERIES.map((series, n) => {
        const value = row[series.key] ?? 0;
        const barY = barsTop + n * (BAR_HEIGHT + BAR_GAP);
        const width = Math.max(value * scale, 2);
        return (
          `<rect x="0" y="${barY}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${series.colour}"/>` +
          text(width + 8, barY + BAR_HEIGHT - 6, `${value} ${escapeXml(plural(value, series.label))}`)
        );
      }).join('');
      return name + bars;
    })
    .join('');
  return (
    `<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="chart-title chart-description">` +
    `<title id="chart-title">Applications received and case reviews carried out in ${escapeXml(year)}, by area</title>` +
    `<desc id="chart-description">${escapeXml(describe)}</desc>` +
    legend +
    groups +
    '</svg>'
  );
}
