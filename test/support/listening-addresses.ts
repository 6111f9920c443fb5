// The addresses a TCP port is listening on, from the kernel's socket tables (Linux), whoever opened it.
import { readFileSync } from 'node:fs';

const LISTEN = '0A';

/** Every local address with a listening socket on `port`, e.g. `127.0.0.1`, `::1`, `::ffff:127.0.0.1`, `::`. */
export function listeningAddresses(port: number): string[] {
  return [...listeners('/proc/net/tcp', port).map(ipv4), ...listeners('/proc/net/tcp6', port).map(ipv6)];
}

/** Whether an address is only reachable from this machine. */
export function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address);
}

function listeners(table: string, port: number): string[] {
  return readFileSync(table, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([, local, , state]) => state === LISTEN && Number.parseInt(local?.split(':')[1] ?? '', 16) === port,
    )
    .map(([, local]) => (local as string).split(':')[0] as string);
}

// The kernel prints each 32-bit word of an address in host byte order (little-endian here).
function words(hex: string): number[][] {
  return (hex.match(/.{8}/g) ?? []).map((word) =>
    (word.match(/../g) ?? []).map((byte) => Number.parseInt(byte, 16)).reverse(),
  );
}

function ipv4(hex: string): string {
  return (words(hex)[0] ?? []).join('.');
}

function ipv6(hex: string): string {
  const bytes = words(hex).flat();
  const isMappedIpv4 =
    bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMappedIpv4) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, index) =>
    (((bytes[2 * index] ?? 0) << 8) | (bytes[2 * index + 1] ?? 0)).toString(16),
  );
  // The URL parser prints an IPv6 address in its shortest form.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
