// zod for every schema of the service: zod/mini, whose schemas carry no methods beyond parsing and
// checking, so that a bundle keeps only the kinds of schema and checks it uses (about 40 KB of zod
// instead of 95 KB, and less to run at a cold start). Its issues are classic zod's, with English
// messages for those a schema does not word itself, as classic zod gives them.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
