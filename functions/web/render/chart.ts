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

const WIDTH = 640;
const LABEL_WIDTH = 110;
const VALUE_ROOM = 230;
const BAR_HEIGHT = 24;
const BAR_GAP = 6;
const GROUP_GAP = 22;
const TOP = 40;

function plural(n: number, label: string): string {
  return n === 1
    ? label.replace(/^applications/, 'application').replace(/^case reviews/, 'case review')
    : label;
}

export function statisticsChart(rows: readonly StatisticsRow[], year: string): string {
  const max = Math.max(1, ...rows.flatMap((row) => SERIES.map((series) => row[series.key] ?? 0)));
  const scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / max;
  const groupHeight = SERIES.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
  const height = TOP + rows.length * groupHeight;
  const describe = rows
    .map((row) =>
      row.available
        ? `${row.name}: ${SERIES.map((s) => `${row[s.key] ?? 0} ${plural(row[s.key] ?? 0, s.label)}`).join(', ')}.`
        : `${row.name}: not available.`,
    )
    .join(' ');
  const legend = SERIES.map(
    (series, index) =>
      `<rect x="${LABEL_WIDTH + index * 260}" y="6" width="16" height="16" fill="${series.colour}"/>` +
      `<text x="${LABEL_WIDTH + index * 260 + 22}" y="19" font-size="16" fill="#0b0c0c">${escapeXml(series.label[0]?.toUpperCase() + series.label.slice(1))}</text>`,
  ).join('');
  const groups = rows
    .map((row, index) => {
      const y = TOP + index * groupHeight;
      const name = `<text x="0" y="${y + BAR_HEIGHT - 6}" font-size="16" font-weight="bold" fill="#0b0c0c">${escapeXml(row.name)}</text>`;
      if (!row.available) {
        return `${name}<text x="${LABEL_WIDTH}" y="${y + BAR_HEIGHT - 6}" font-size="16" fill="#0b0c0c">Not available</text>`;
      }
      const bars = SERIES.map((series, n) => {
        const value = row[series.key] ?? 0;
        const barY = y + n * (BAR_HEIGHT + BAR_GAP);
        const width = Math.max(value * scale, 2);
        return (
          `<rect x="${LABEL_WIDTH}" y="${barY}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${series.colour}"/>` +
          `<text x="${(LABEL_WIDTH + width + 8).toFixed(1)}" y="${barY + BAR_HEIGHT - 6}" font-size="16" fill="#0b0c0c">${value} ${escapeXml(plural(value, series.label))}</text>`
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
