import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { reencodeImage, UnreadableImageError } from '#evidence/clean-image.ts';
import { photoWithLocation } from '#test/support/evidence-files.ts';

// EXIF's GPSInfo tag (0x8825), little-endian as sharp writes it: the pointer to the GPS position.
const GPS_POINTER = Buffer.from([0x25, 0x88]);

describe('reencodeImage', () => {
  it.each(['jpeg', 'png'] as const)(
    'gives a %s back without its location, camera or names',
    async (format) => {
      const photo = await photoWithLocation(format);
      const before = await sharp(photo).metadata();
      expect(before.exif?.includes(GPS_POINTER)).toBe(true);
      expect(photo.includes('Pat Resident')).toBe(true);

      const cleaned = await reencodeImage(photo, `image/${format}`);

      const after = await sharp(cleaned).metadata();
      expect(after).toMatchObject({ format, width: 64, height: 48 });
      expect(after.exif).toBeUndefined();
      expect(after.xmp).toBeUndefined();
      expect(after.iptc).toBeUndefined();
      for (const text of ['Pat Resident', 'PhoneMaker', 'Phone 15', 'Exif'])
        expect(cleaned.includes(text)).toBe(false);
    },
  );

  it('keeps a photo the right way up once its orientation tag is gone', async () => {
    const sideways = await sharp({ create: { width: 40, height: 10, channels: 3, background: '#000' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();

    const cleaned = await reencodeImage(sideways, 'image/jpeg');

    expect(await sharp(cleaned).metadata()).toMatchObject({ width: 10, height: 40 });
    expect((await sharp(cleaned).metadata()).orientation).toBeUndefined();
  });

  it('refuses bytes that only start like an image', async () => {
    const broken = (await photoWithLocation('jpeg')).subarray(0, 200);

    await expect(reencodeImage(broken, 'image/jpeg')).rejects.toThrow(UnreadableImageError);
  });
});
