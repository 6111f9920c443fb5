import nunjucks from 'nunjucks';
import { formatDate, formatDateTime } from './words.ts';

export function registerFilters(environment: nunjucks.Environment): void {
  // Nunjucks' own trim is replace(/^\s*|\s*$/g, ''), whose second branch is tried from every character
  // of every run of spaces inside the text, to its end: GOV.UK Frontend's macros trim whole blocks of
  // HTML, and that was a tenth of a page's rendering. String.prototype.trim removes the same characters
  // (ECMAScript's WhiteSpace and LineTerminator, which \s matches) from the ends alone.
  const { SafeString } = nunjucks.runtime;
  environment.addFilter('trim', (value: string | InstanceType<typeof SafeString>) =>
    value instanceof SafeString ? new SafeString(value.val.trim()) : value.trim(),
  );
  environment.addFilter('date', (value: string | Date | undefined) => (value ? formatDate(value) : ''));
  environment.addFilter('dateTime', (value: string | Date | undefined) =>
    value ? formatDateTime(value) : '',
  );
}
