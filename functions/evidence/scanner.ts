// The malware scan on this machine. In AWS, GuardDuty Malware Protection for S3 scans each object and
// its result, through EventBridge, records the verdict; here the same step asks whatever scanner the
// machine has (ClamAV's clamscan), and a file that no scanner could look at is `not-scanned`.
import { spawn } from 'node:child_process';

export type ScanResult = 'clean' | 'threat' | 'not-scanned';

export type Scanner = (bytes: Uint8Array) => Promise<ScanResult>;

/** clamscan reading the file from its standard input: exit 0 clean, 1 a threat, anything else an error. */
export function clamscan(executable = 'clamscan'): Scanner {
  return (bytes) =>
    new Promise((resolve) => {
      const child = spawn(executable, ['--no-summary', '--infected', '-'], {
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.once('error', () => resolve('not-scanned'));
      child.once('close', (code) => resolve(code === 0 ? 'clean' : code === 1 ? 'threat' : 'not-scanned'));
      child.stdin.once('error', () => undefined);
      child.stdin.end(bytes);
    });
}
