// A victim's photo must never reveal where they live: a JPEG or PNG is decoded and encoded again, which
// keeps only its pixels. sharp writes no metadata unless asked (no EXIF with its GPS position and camera,
// no XMP or IPTC with names, no comments), and the EXIF orientation is applied to the pixels first so
// the photo still stands the right way up without it.
import sharp from 'sharp';
import type { EvidenceType } from '#core/evidence-files.ts';

/** A photo of at most 100 megapixels: more is a decompression bomb, not a phone's photo. */
const MAX_PIXELS = 100_000_000;

export class UnreadableImageError extends Error {
  constructor(options?: ErrorOptions) {
    super('The image could not be read.', options);
    this.name = 'UnreadableImageError';
  }
}

/** The image's pixels alone, in the type it came in. */
export async function reencodeImage(bytes: Uint8Array, type: EvidenceType): Promise<Buffer> {
  const image = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_PIXELS }).rotate();
  try {
    if (type === 'image/jpeg') return await image.jpeg({ quality: 90, mozjpeg: true }).toBuffer();
    if (type === 'image/png') return await image.png().toBuffer();
  } catch (error) {
    throw new UnreadableImageError({ cause: error });
  }
  throw new TypeError(`${type} is not an image type`);
}
