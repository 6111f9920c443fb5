import type nunjucks from 'nunjucks';
import { formatDate, formatDateTime } from './words.ts';

export function registerFilters(environment: nunjucks.Environment): void {
  environment.addFilter('date', (value: string | Date | undefined) => (value ? formatDate(value) : ''));
  environment.addFilter('dateTime', (value: string | Date | undefined) =>
    value ? formatDateTime(value) : '',
  );
}
