// A PNG file from raw pixel rows, for the build's icons and the tests' generated pictures
// (Node only: Buffer and zlib). Not shipped.
import { crc32, deflateSync } from 'node:zlib';

/**
 * Encodes `raw`, the image's rows each preceded by its filter byte (0: none), as a PNG of
 * `width` x `height` pixels, 8 bits a channel; `colorType` 2 is RGB, 6 is RGBA. Returns the
 * file's bytes.
 */
export function encodePng(width, height, raw, colorType) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = colorType;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
