// The PCC area this process serves, named by AREA_CONFIG_FILE: in AWS the CDK app validates the area's
// configuration and copies it into every bundle; on one machine `npm start` takes the file given, and
// Merseyside when none is. Every handler and script reads the area here, so none can assume one.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AreaConfig, AreaConfigError, MERSEYSIDE, validateAreaConfig } from '#core/area-config.ts';

export class DeployedAreaConfigError extends AreaConfigError {
  readonly file: string;

  constructor(file: string, options?: ErrorOptions) {
    const problem = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(`Cannot use the area configuration in ${file}: ${problem}`, options);
    this.name = 'DeployedAreaConfigError';
    this.file = file;
  }
}

// Read and validated once per process and file: every handler of the local runtime shares one process.
const loaded = new Map<string, AreaConfig>();

function readAreaConfigFile(file: string): AreaConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DeployedAreaConfigError(file, { cause: error });
  }
  try {
    return validateAreaConfig(JSON.parse(text));
  } catch (error) {
    throw new DeployedAreaConfigError(file, { cause: error });
  }
}

/** The area of AREA_CONFIG_FILE (relative to the working directory), else Merseyside; throws DeployedAreaConfigError. */
export function areaConfigFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AreaConfig {
  const file = env.AREA_CONFIG_FILE;
  if (!file) return MERSEYSIDE;
  const path = resolve(file);
  let area = loaded.get(path);
  if (area === undefined) {
    area = readAreaConfigFile(path);
    loaded.set(path, area);
  }
  return area;
}
