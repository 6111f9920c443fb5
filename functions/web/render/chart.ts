// The statistics charts: server-drawn SVG (no script, no inline styles, so the CSP stays strict) of
// horizontal bars in groups (a CSP's figures for a year, or the area's figures for a year). Each bar
// carries its number in text, so colour is never the only way to tell the bars apart, and the SVG's
// title and description say everything the bars show, for people who cannot see them; the pages put
// the same figures in a table beside it.
import type { StatisticsRow, TotalCounts } from '#core/counting.ts';

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

type CountKey = keyof TotalCounts;

interface Series {
  readonly key: CountKey;
  readonly legend: string;
  /** The words beside a bar, its number included. */
  readonly bar: (value: number) => string;
  /** GOV.UK colours with at least 4.5:1 against white. */
  readonly colour: string;
}

const RECEIVED: Series = {
  key: 'applicationsReceived',
  legend: 'Applications received',
  bar: (n) => `${n} ${n === 1 ? 'application' : 'applications'} received`,
  colour: '#1d70b8',
};
const REVIEWED: Series = {
  key: 'caseReviewsCarriedOut',
  legend: 'Case reviews carried out',
  bar: (n) => `${n} case ${n === 1 ? 'review' : 'reviews'} carried out`,
  colour: '#00703c',
};
const TREND_SERIES: readonly Series[] = [
  RECEIVED,
  { key: 'thresholdNotMet', legend: 'Threshold not met', bar: (n) => `${n} not met`, colour: '#d4351c' },
  REVIEWED,
  {
    key: 'reviewsWithRecommendations',
    legend: 'Reviews with recommendations',
    bar: (n) => `${n} with recommendations`,
    colour: '#4c2c92',
  },
  {
    key: 'referralsToPcc',
    legend: 'Referrals to the PCC’s office',
    bar: (n) => `${n} referred to the PCC`,
    colour: '#505a5f',
  },
];

/** One group of bars: its name, and its counts (null when not available). */
interface Group {
  readonly name: string;
  readonly counts: Readonly<Record<CountKey, number | null>> | null;
}

// Drawn for a phone first: at 320 CSS px the 400 units are about 290 px, so the 20-unit text is about
// 14 px. Each group's name is on its own line above its bars, and the legend is one entry a line.
const WIDTH = 400;
const FONT = 20;
const VALUE_ROOM = 250;
const NAME_HEIGHT = 28;
const BAR_HEIGHT = 26;
const BAR_GAP = 6;
const GROUP_GAP = 18;
const LEGEND_LINE = 28;
/** A generous width of a character of the 20-unit text, so that no bar's words run off the chart. */
const CHARACTER = 11;
const TEXT_GAP = 8;

function barChart(chart: {
  readonly id: string;
  readonly title: string;
  readonly series: readonly Series[];
  readonly groups: readonly Group[];
}): string {
  const { id, series: allSeries, groups } = chart;
  const top = allSeries.length * LEGEND_LINE + 12;
  const values = groups.flatMap(({ counts }) =>
    counts
      ? allSeries.map((series) => ({
          value: counts[series.key] ?? 0,
          words: series.bar(counts[series.key] ?? 0),
        }))
      : [],
  );
  // The longest bars take what VALUE_ROOM leaves, unless a bar's words need more room beside it.
  const scale = Math.min(
    (WIDTH - VALUE_ROOM) / Math.max(1, ...values.map(({ value }) => value)),
    ...values
      .filter(({ value }) => value > 0)
      .map(({ value, words }) => (WIDTH - TEXT_GAP - words.length * CHARACTER) / value),
  );
  const groupHeight = NAME_HEIGHT + allSeries.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
  const height = top + groups.length * groupHeight;
  const describe = groups
    .map(({ name, counts }) =>
      counts
        ? `${name}: ${allSeries.map((series) => series.bar(counts[series.key] ?? 0)).join(', ')}.`
        : `${name}: not available.`,
    )
    .join(' ');
  const text = (x: number, y: number, content: string, bold = false) =>
    `<text x="${x.toFixed(1)}" y="${y}" font-size="${FONT}"${bold ? ' font-weight="bold"' : ''} fill="#0b0c0c">${content}</text>`;
  const legend = allSeries
    .map(
      (series, index) =>
        `<rect x="0" y="${index * LEGEND_LINE + 4}" width="18" height="18" fill="${series.colour}"/>` +
        text(26, index * LEGEND_LINE + 20, escapeXml(series.legend)),
    )
    .join('');
  const bars = groups
    .map(({ name, counts }, index) => {
      const y = top + index * groupHeight;
      const heading = text(0, y + NAME_HEIGHT - 8, escapeXml(name), true);
      const barsTop = y + NAME_HEIGHT;
      if (!counts) return heading + text(0, barsTop + BAR_HEIGHT - 6, 'Not available');
      return (
        heading +
        allSeries
          .map((series, n) => {
            const value = counts[series.key] ?? 0;
            const barY = barsTop + n * (BAR_HEIGHT + BAR_GAP);
            const width = Math.max(value * scale, 2);
            return (
              `<rect x="0" y="${barY}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${series.colour}"/>` +
              text(width + TEXT_GAP, barY + BAR_HEIGHT - 6, escapeXml(series.bar(value)))
            );
          })
          .join('')
      );
    })
    .join('');
  return (
    `<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-description">` +
    `<title id="${id}-title">${escapeXml(chart.title)}</title>` +
    `<desc id="${id}-description">${escapeXml(describe)}</desc>` +
    legend +
    bars +
    '</svg>'
  );
}

/** A year's applications received and case reviews carried out, by CSP. */
export function statisticsChart(rows: readonly StatisticsRow[], year: string): string {
  return barChart({
    id: 'chart',
    title: `Applications received and case reviews carried out in ${year}, by area`,
    series: [RECEIVED, REVIEWED],
    groups: rows.map((row) => ({ name: row.name, counts: row.available ? row : null })),
  });
}

/** The area's totals of every year with figures, oldest first. */
export function trendChart(years: readonly { readonly year: string; readonly total: TotalCounts }[]): string {
  return barChart({
    id: 'trend-chart',
    title: 'Applications and what happened to them, by reporting year',
    series: TREND_SERIES,
    groups: years.map(({ year, total }) => ({
      name: year,
      counts: total.applicationsReceived === null ? null : total,
    })),
  });
}
