// The PCC area this deployment serves. The CDK app validates the area configuration it is given and
// copies it into every bundle, naming the file in AREA_CONFIG_FILE; on one machine, where no such file
// is named, the service runs for Merseyside like the local runtime.
import { readFileSync } from 'node:fs';
import { type AreaConfig, AreaConfigError, MERSEYSIDE, validateAreaConfig } from '#core/area-config.ts';

export class DeployedAreaConfigError extends AreaConfigError {
  readonly file: string;

  constructor(file: string, options?: ErrorOptions) {
    super(`Cannot read the area configuration bundled at ${file}`, options);
    this.name = 'DeployedAreaConfigError';
    this.file = file;
  }
}

export function areaConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AreaConfig {
  const file = env.AREA_CONFIG_FILE;
  if (!file) return MERSEYSIDE;
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
