// Case references and access codes. A reference is read out on the phone and written on letters, so
// it is short, in Crockford's base32 (no I, L, O or U, so misreadings survive) and names the CSP:
// `SEF-7K3M-Q9XD`. It grants nothing by itself: the access code does, so that carries 140 random bits
// and only its hash is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { cspReferencePrefix } from '#core/area-config.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SYMBOL = '[0-9A-HJKMNP-TV-Z]';
const REFERENCE = new RegExp(`^[A-Z]{3}-${SYMBOL}{4}-${SYMBOL}{4}$`);
const REFERENCE_SYMBOLS = 8;
const ACCESS_CODE_SYMBOLS = 28;

function randomSymbols(count: number): string {
  // One byte per symbol, 5 of its bits used: uniform, since 256 is a multiple of 32.
  return [...randomBytes(count)].map((byte) => CROCKFORD.charAt(byte % 32)).join('');
}

function groupsOfFour(text: string): string {
  return (text.match(/.{1,4}/g) ?? [text]).join('-');
}

/** How people type symbols: any case, with or without hyphens and spaces, O for 0, I and L for 1. */
function normaliseSymbols(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** A new reference for a case of `csp`, such as `SEF-7K3M-Q9XD` (40 random bits). */
export function newCaseReference(csp: string): string {
  return `${cspReferencePrefix(csp)}-${groupsOfFour(randomSymbols(REFERENCE_SYMBOLS))}`;
}

/**
 * The reference in its stored form, or undefined when the text cannot be one, so that a path segment
 * of any size or shape never reaches the database as a key. Any case, and spaces or nothing for the
 * hyphens (contract.md), as people read it off a letter.
 */
export function parseCaseReference(text: string): string | undefined {
  if (text.length > 40) return undefined;
  // The CSP's letters stay letters: only the symbols after them are read as Crockford's.
  const compact = text.toUpperCase().replace(/[\s-]/g, '');
  const reference = `${compact.slice(0, 3)}-${groupsOfFour(normaliseSymbols(compact.slice(3)))}`;
  return REFERENCE.test(reference) ? reference : undefined;
}

/** A new access code (140 random bits), in groups of four for reading and typing. */
export function newAccessCode(): string {
  return groupsOfFour(randomSymbols(ACCESS_CODE_SYMBOLS));
}

/** What is stored for an access code: SHA-256 (hex) of the code as typed, normalised. */
export function hashAccessCode(code: string): string {
  return createHash('sha256').update(normaliseSymbols(code)).digest('hex');
}

/** Compares in constant time, so the time taken says nothing about how much of the code was right. */
export function accessCodeMatches(code: string, storedHash: string): boolean {
  const given = Buffer.from(hashAccessCode(code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
