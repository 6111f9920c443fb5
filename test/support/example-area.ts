// The fictional example area shipped for trying another police area (README "Run it"): its file, and
// the area as the service reads it.
import { resolve } from 'node:path';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';

export const EXAMPLE_AREA_FILE = resolve(import.meta.dirname, '../../infra/config/exampleshire.area.json');

export const EXAMPLE_AREA = areaConfigFromEnv({ AREA_CONFIG_FILE: EXAMPLE_AREA_FILE });
