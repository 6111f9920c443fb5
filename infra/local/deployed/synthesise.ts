// `cdk synth`, offline, as `npm run synth` runs it: the CDK app of infra/bin with the area file given
// (`-c areaConfig=…`), writing the cloud assembly to `outdir`.
import { spawn } from 'node:child_process';
import { delimiter, join, resolve } from 'node:path';

const projectRoot = resolve(import.meta.dirname, '../../..');

export class SynthesisError extends Error {
  override name = 'SynthesisError';
}

export interface SynthesisOptions {
  readonly outdir: string;
  readonly areaConfigFile?: string;
  /**
   * false: without the CloudFormation checks CDK runs on the templates at synth (CDK_VALIDATION), which
   * only warn, write validation-report.json beside the templates, and took most of a synthesis's CPU.
   */
  readonly validate?: boolean;
}

export function synthesise(options: SynthesisOptions): Promise<string> {
  const context = options.areaConfigFile ? ['-c', `areaConfig=${resolve(options.areaConfigFile)}`] : [];
  const cdk = join(projectRoot, 'node_modules/aws-cdk/bin/cdk');
  return new Promise((resolveSynth, reject) => {
    const child = spawn(process.execPath, [cdk, 'synth', '--quiet', '-o', options.outdir, ...context], {
      cwd: projectRoot,
      // cdk.json runs the app with `node`: the project's Node, as under npm scripts.
      env: {
        ...process.env,
        PATH: [join(projectRoot, 'node_modules/.bin'), process.env.PATH].join(delimiter),
        ...(options.validate === false && { CDK_VALIDATION: 'false' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolveSynth(options.outdir);
      else reject(new SynthesisError(`cdk synth failed (exit ${code}):\n${output}`));
    });
  });
}
