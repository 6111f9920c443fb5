// Files of each kind evidence may be, made here so that no binary fixture sits in the tree.
import sharp from 'sharp';

/** A ZIP file of stored (uncompressed) entries, as a .docx is a ZIP of XML parts. */
export function zipOf(entries: Readonly<Record<string, string>>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const docx = () => zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });

/** A compound file (OLE2) with a directory entry named `stream`, as Word 97-2003 and Excel files are. */
export function compoundFile(stream: 'WordDocument' | 'Workbook'): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  const directory = Buffer.alloc(128);
  Buffer.from(stream, 'utf16le').copy(directory);
  return Buffer.concat([header, directory]);
}

export const pdf = () => Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

export const heic = () => {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write('ftypheic', 4, 'latin1');
  box.write('mif1heic', 16, 'latin1');
  return box;
};

/** A photo as a phone takes it: EXIF with the camera, the owner's name and a GPS position. */
export function photoWithLocation(format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).withExif({
    IFD0: { Make: 'PhoneMaker', Model: 'Phone 15', Artist: 'Pat Resident' },
    IFD3: {
      GPSLatitudeRef: 'N',
      GPSLatitude: '53/1 27/1 0/1',
      GPSLongitudeRef: 'W',
      GPSLongitude: '2/1 59/1 0/1',
    },
  });
  return (format === 'jpeg' ? image.jpeg() : image.png()).toBuffer();
}
