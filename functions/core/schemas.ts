/**
 * Schemas of every request body in contract.md, for the API handlers and the pages. Each one trims
 * text, refuses unknown fields (a typo is caught, not silently dropped) and words its messages for the
 * person who filled in the form, GOV.UK style. Those that depend on the clock, the area or the caller
 * are factories taking that context.
 */
export * from '#core/schemas/actions.ts';
export * from '#core/schemas/application.ts';
export * from '#core/schemas/case-review.ts';
export * from '#core/schemas/evidence.ts';
export { AGENCIES, type Agency, FREE_TEXT_MAX, SHORT_TEXT_MAX } from '#core/schemas/fields.ts';
export * from '#core/schemas/issues.ts';
export * from '#core/schemas/links.ts';
export * from '#core/schemas/local-token.ts';
export * from '#core/schemas/statistics.ts';
