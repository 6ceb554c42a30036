#!/usr/bin/env node
// Makes the test photos of issue 16 (what an attached picture gives away) in
// tests/vectors/photos/: tiny JPEG, PNG, WebP and HEIC files carrying EXIF (GPS, owner,
// comment), XMP (title, keywords, tagged people, MWG face regions), IPTC-IIM (caption,
// keywords) and PNG text chunks, plus truncated and corrupt files. The core, CLI, WASM
// and extension tests read these files. Every name is synthetic; every picture is a
// flat blue square with a yellow one inside (no photograph of anyone).
//
// The JPEG and WebP pixel data below were drawn once on a 16x16 canvas in Chromium
// (canvas.toDataURL); the PNG is written here with node:zlib. The metadata blocks are
// written here byte by byte after the published layouts: TIFF 6.0 / Exif 2.32 (IFDs),
// XMP part 1 and 3 (RDF/XML; JPEG APP1, PNG iTXt, WebP "XMP " chunk), IPTC-IIM 4.2
// inside Photoshop's 8BIM resource 0x0404 (JPEG APP13), PNG 1.2 (tEXt, zTXt, iTXt), the
// WebP container (VP8X, EXIF, XMP chunks) and HEIF (ISO/IEC 23008-12: ftyp, meta with
// iinf/iloc naming an Exif item, mdat).
//
// Run from the repository root: node tools/make-photo-fixtures.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const OUT = 'tests/vectors/photos';
mkdirSync(OUT, { recursive: true });

const BASE_JPEG = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAT/xAAgEAAAAwkBAAAAAAAAAAAAAAAREhMAAQUGFBUkQlFh/8QAFAEBAAAAAAAAAAAAAAAAAAAABf/EACQRAAACCAcAAAAAAAAAAAAAAAARFBUkJTEyUfBSY2SBgpGS/9oADAMBAAIRAxEAPwCmWoDe6nJQRLoYRH13GTLAbJTZK6xtCgAev6yWo9ZKnGXWLuUAHx/WTLHr3TYyCJtzCIeO4zb4XGl44fU1kBmFBzt69Qsx/9k=', 'base64');
const BASE_WEBP = Buffer.from('UklGRmYCAABXRUJQVlA4WAoAAAAgAAAADwAADwAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDggeAAAANADAJ0BKhAAEAABQCYlsAJ0ugFEA+QDeALn/9AD+AbwB+s3WABssAD+WJf732f/e5mP/71GX7XLs+WqBYRFJbzmmJzSB4PO6l5vtQhpDUendSXoXi71O9NopL+qReKzLDDlSxtCgEfwfmrzNj027wiBBE2Y61aAAA==', 'base64');

// Positions: the test pack's school (tests/vectors/photos/pack.json) is at
// 53.38680 N, 2.26400 W. "Near" is about 80 m north of it; "far" is central Edinburgh.
const NEAR = { lat: 53.3875, lon: -2.2640 };
const FAR = { lat: 55.9533, lon: -3.1883 };

// --- TIFF / Exif -------------------------------------------------------------------
const ASCII = 2, LONG = 4, RATIONAL = 5, UNDEFINED = 7, BYTE = 1;
const ascii = (tag, s) => ({ tag, type: ASCII, count: Buffer.byteLength(s) + 1, data: Buffer.concat([Buffer.from(s), Buffer.from([0])]) });
const rationals = (tag, values) => {
  const b = Buffer.alloc(8 * values.length);
  values.forEach(([n, d], i) => { b.writeUInt32BE(n, 8 * i); b.writeUInt32BE(d, 8 * i + 4); });
  return { tag, type: RATIONAL, count: values.length, data: b };
};
const undefinedField = (tag, data) => ({ tag, type: UNDEFINED, count: data.length, data });
const bytesField = (tag, data) => ({ tag, type: BYTE, count: data.length, data });
const dms = (deg) => {
  const a = Math.abs(deg); const d = Math.floor(a); const m = Math.floor((a - d) * 60);
  const s = Math.round(((a - d) * 60 - m) * 60 * 10000);
  return [[d, 1], [m, 1], [s, 10000]];
};
const ifdSize = (fields) => 2 + 12 * fields.length + 4 + fields.reduce((n, f) => n + (f.data.length > 4 ? f.data.length + (f.data.length & 1) : 0), 0);
function writeIfd(buf, at, fields) {
  fields.sort((a, b) => a.tag - b.tag);
  buf.writeUInt16BE(fields.length, at);
  let data = at + 2 + 12 * fields.length + 4;
  fields.forEach((f, i) => {
    const e = at + 2 + 12 * i;
    buf.writeUInt16BE(f.tag, e); buf.writeUInt16BE(f.type, e + 2); buf.writeUInt32BE(f.count, e + 4);
    if (f.data.length <= 4) f.data.copy(buf, e + 8);
    else { buf.writeUInt32BE(data, e + 8); f.data.copy(buf, data); data += f.data.length + (f.data.length & 1); }
  });
  buf.writeUInt32BE(0, at + 2 + 12 * fields.length);
}
/** A big-endian TIFF structure: IFD0 fields, Exif sub-IFD fields, GPS position. */
function tiff({ ifd0 = [], exif = [], gps = null }) {
  const gpsFields = gps ? [
    ascii(1, gps.lat >= 0 ? 'N' : 'S'), rationals(2, dms(gps.lat)),
    ascii(3, gps.lon >= 0 ? 'E' : 'W'), rationals(4, dms(gps.lon)),
  ] : [];
  const ptr = (tag) => ({ tag, type: LONG, count: 1, data: Buffer.alloc(4) });
  const f0 = [...ifd0];
  if (exif.length) f0.push(ptr(0x8769));
  if (gpsFields.length) f0.push(ptr(0x8825));
  const at0 = 8, atExif = at0 + ifdSize(f0), atGps = atExif + (exif.length ? ifdSize(exif) : 0);
  for (const f of f0) {
    if (f.tag === 0x8769) f.data.writeUInt32BE(atExif);
    if (f.tag === 0x8825) f.data.writeUInt32BE(atGps);
  }
  const buf = Buffer.alloc(atGps + (gpsFields.length ? ifdSize(gpsFields) : 0));
  buf.write('MM', 0, 'latin1'); buf.writeUInt16BE(42, 2); buf.writeUInt32BE(8, 4);
  writeIfd(buf, at0, f0);
  if (exif.length) writeIfd(buf, atExif, exif);
  if (gpsFields.length) writeIfd(buf, atGps, gpsFields);
  return buf;
}
const userComment = (s) => undefinedField(0x9286, Buffer.concat([Buffer.from('ASCII\0\0\0', 'latin1'), Buffer.from(s)]));
const utf16le = (s) => Buffer.concat([Buffer.from(s, 'utf16le'), Buffer.alloc(2)]);

// --- XMP -----------------------------------------------------------------------------
function xmp({ title, description, subject = [], people = [], regions = [], gps }) {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const bag = (name, items) => items.length ? `<${name}><rdf:Bag>${items.map((i) => `<rdf:li>${esc(i)}</rdf:li>`).join('')}</rdf:Bag></${name}>` : '';
  const alt = (name, v) => v ? `<${name}><rdf:Alt><rdf:li xml:lang="x-default">${esc(v)}</rdf:li></rdf:Alt></${name}>` : '';
  const regionList = regions.length ? `<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>${regions.map((n) => `<rdf:li><rdf:Description mwg-rs:Name="${esc(n)}" mwg-rs:Type="Face"/></rdf:li>`).join('')}</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>` : '';
  const gpsXml = gps ? `<exif:GPSLatitude>${Math.floor(Math.abs(gps.lat))},${((Math.abs(gps.lat) % 1) * 60).toFixed(4)}${gps.lat >= 0 ? 'N' : 'S'}</exif:GPSLatitude><exif:GPSLongitude>${Math.floor(Math.abs(gps.lon))},${((Math.abs(gps.lon) % 1) * 60).toFixed(4)}${gps.lon >= 0 ? 'E' : 'W'}</exif:GPSLongitude>` : '';
  return Buffer.from(`<?xpacket begin="\u{feff}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:exif="http://ns.adobe.com/exif/1.0/">
${alt('dc:title', title)}${alt('dc:description', description)}${bag('dc:subject', subject)}${bag('Iptc4xmpExt:PersonInImage', people)}${regionList}${gpsXml}
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`);
}

// --- IPTC-IIM in Photoshop 8BIM ----------------------------------------------------
function iptc(datasets) {
  const iim = Buffer.concat(datasets.map(([ds, s]) => {
    const v = Buffer.from(s); const h = Buffer.from([0x1c, 2, ds, 0, 0]); h.writeUInt16BE(v.length, 3); return Buffer.concat([h, v]);
  }));
  const head = Buffer.alloc(12); head.write('8BIM', 0, 'latin1'); head.writeUInt16BE(0x0404, 4); head.writeUInt16BE(0, 6); head.writeUInt32BE(iim.length, 8);
  return Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), head, iim, Buffer.alloc(iim.length & 1)]);
}

// --- Containers ----------------------------------------------------------------------
const segment = (marker, body) => { const h = Buffer.from([0xff, marker, 0, 0]); h.writeUInt16BE(body.length + 2, 2); return Buffer.concat([h, body]); };
/** The base JPEG with APP1 Exif, APP1 XMP and APP13 IPTC segments after its SOI. */
function jpeg({ exif, xmpPacket, iptcBlock }) {
  const parts = [BASE_JPEG.subarray(0, 2)];
  if (exif) parts.push(segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exif])));
  if (xmpPacket) parts.push(segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), xmpPacket])));
  if (iptcBlock) parts.push(segment(0xed, iptcBlock));
  parts.push(BASE_JPEG.subarray(2));
  return Buffer.concat(parts);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (b) => { let c = 0xffffffff; for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => { const h = Buffer.alloc(8); h.writeUInt32BE(data.length); h.write(type, 4, 'latin1'); const c = Buffer.alloc(4); c.writeUInt32BE(crc32(Buffer.concat([h.subarray(4), data]))); return Buffer.concat([h, data, c]); };
/** A 16x16 PNG (blue square, yellow inside) with text chunks before its image data. */
function png(texts) {
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(16, 0); ihdr.writeUInt32BE(16, 4); ihdr[8] = 8; ihdr[9] = 2;
  const rows = [];
  for (let y = 0; y < 16; y++) { rows.push(0); for (let x = 0; x < 16; x++) { const inner = x >= 4 && x < 12 && y >= 4 && y < 12; rows.push(...(inner ? [0xf4, 0xc5, 0x42] : [0x3a, 0x7b, 0xd5])); } }
  // tEXt (Latin-1), zTXt (Latin-1, zlib), iTXt (UTF-8) and iTXt compressed (zlib).
  const textChunks = texts.map(([kind, key, value]) => {
    const k = Buffer.from(key, 'latin1');
    if (kind === 'tEXt') return chunk('tEXt', Buffer.concat([k, Buffer.from([0]), Buffer.from(value, 'latin1')]));
    if (kind === 'zTXt') return chunk('zTXt', Buffer.concat([k, Buffer.from([0, 0]), deflateSync(Buffer.from(value, 'latin1'))]));
    if (kind === 'iTXt.z') return chunk('iTXt', Buffer.concat([k, Buffer.from([0, 1, 0, 0, 0]), deflateSync(Buffer.from(value))]));
    return chunk('iTXt', Buffer.concat([k, Buffer.from([0, 0, 0, 0, 0]), Buffer.from(value)]));
  });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), ...textChunks, chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

const riffChunk = (type, data) => { const h = Buffer.alloc(8); h.write(type, 0, 'latin1'); h.writeUInt32LE(data.length, 4); return Buffer.concat([h, data, Buffer.alloc(data.length & 1)]); };
/** The base WebP's VP8 data in an extended (VP8X) file with EXIF and XMP chunks. */
function webp({ exif, xmpPacket }) {
  let i = 12; let vp8 = null;
  while (i + 8 <= BASE_WEBP.length) { const len = BASE_WEBP.readUInt32LE(i + 4); if (BASE_WEBP.toString('latin1', i, i + 4) === 'VP8 ') vp8 = BASE_WEBP.subarray(i, i + 8 + len + (len & 1)); i += 8 + len + (len & 1); }
  const x = Buffer.alloc(10); x[0] = (exif ? 0x08 : 0) | (xmpPacket ? 0x04 : 0); x.writeUIntLE(15, 4, 3); x.writeUIntLE(15, 7, 3);
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), riffChunk('VP8X', x), vp8, exif ? riffChunk('EXIF', exif) : Buffer.alloc(0), xmpPacket ? riffChunk('XMP ', xmpPacket) : Buffer.alloc(0)]);
  const h = Buffer.alloc(8); h.write('RIFF', 0, 'latin1'); h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body]);
}

const box = (type, ...parts) => { const body = Buffer.concat(parts); const h = Buffer.alloc(8); h.writeUInt32BE(body.length + 8); h.write(type, 4, 'latin1'); return Buffer.concat([h, body]); };
const full = (version, flags = 0) => { const b = Buffer.alloc(4); b.writeUInt32BE((version << 24) | flags); return b; };
const u16 = (n) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
/** A HEIF file holding only metadata items: an Exif item (by iloc into mdat) and an XMP
 *  item (MIME application/rdf+xml). It has no coded picture: enough for readers of
 *  metadata, which is all Postsafe reads. */
function heic({ exif, xmpPacket }) {
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  const exifItem = Buffer.concat([u32(6), Buffer.from('Exif\0\0', 'latin1'), exif]);
  const infe = (id, type, extra = Buffer.alloc(0)) => box('infe', full(2), u16(id), u16(0), Buffer.from(type, 'latin1'), Buffer.from([0]), extra);
  const iinf = box('iinf', full(0), u16(2), infe(1, 'Exif'), infe(2, 'mime', Buffer.from('application/rdf+xml\0', 'latin1')));
  const hdlr = box('hdlr', full(0), u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), Buffer.from([0]));
  const ilocFor = (exifAt, xmpAt) => box('iloc', full(0), Buffer.from([0x44, 0x00]), u16(2),
    u16(1), u16(0), u16(1), u32(exifAt), u32(exifItem.length),
    u16(2), u16(0), u16(1), u32(xmpAt), u32(xmpPacket.length));
  const metaLen = box('meta', full(0), hdlr, iinf, ilocFor(0, 0)).length;
  const mdatStart = ftyp.length + metaLen + 8;
  const meta = box('meta', full(0), hdlr, iinf, ilocFor(mdatStart, mdatStart + exifItem.length));
  return Buffer.concat([ftyp, meta, box('mdat', exifItem, xmpPacket)]);
}

// --- The photos ----------------------------------------------------------------------
const files = {};
files['near-school.jpg'] = jpeg({ exif: tiff({ ifd0: [ascii(0x013b, 'Pat Placeholder')], exif: [ascii(0x9003, '2026:06:12 10:30:00')], gps: NEAR }) });
files['far-away.jpg'] = jpeg({ exif: tiff({ exif: [ascii(0x9003, '2026:08:02 15:00:00')], gps: FAR }) });
files['tagged-pupil.jpg'] = jpeg({ xmpPacket: xmp({ title: 'Sports day with Jayden Quillfeather', subject: ['sports day', 'athletics'], people: ['Jayden Quillfeather'], regions: ['Amelia Testerton'] }) });
files['iptc-caption.jpg'] = jpeg({ iptcBlock: iptc([[120, 'Notes on the safeguarding concern raised on Monday'], [25, 'minutes'], [25, 'term 1']]) });
files['exif-text.jpg'] = jpeg({ exif: tiff({ ifd0: [ascii(0x010e, 'Amelia Testerton in Year 6'), bytesField(0x9c9b, utf16le('Class trip'))], exif: [userComment('taken before the permanent exclusion')] }) });
files['no-metadata.jpg'] = BASE_JPEG;
files['truncated.jpg'] = files['near-school.jpg'].subarray(0, 60);
// A JPEG whose first segment is followed by bytes that are no segment at all.
files['corrupt.jpg'] = Buffer.concat([Buffer.from([0xff, 0xd8]), segment(0xe0, Buffer.from('JFIF\0', 'latin1')), Buffer.from('this is not a JPEG segment at all, only text'.repeat(3))]);
files['tagged-pupil.png'] = png([['tEXt', 'Title', 'Amelia Testerton with her medal'], ['tEXt', 'Software', 'Postsafe fixture maker'], ['iTXt', 'XML:com.adobe.xmp', xmp({ people: ['Jayden Quillfeather'] }).toString()]]);
// Compressed PNG text (zTXt, compressed iTXt with XMP): a pupil named in the description, tagged in the XMP.
files['compressed-text.png'] = png([['zTXt', 'Description', 'Jayden Quillfeather at the summer fair'], ['iTXt.z', 'XML:com.adobe.xmp', xmp({ people: ['Amelia Testerton'] }).toString()]]);
// A "zip bomb": a zTXt of 2 MB of spaces (about 2 KB compressed) after a plain tEXt title.
files['zip-bomb.png'] = png([['tEXt', 'Title', 'Sunset over the hills'], ['zTXt', 'Comment', ' '.repeat(2 << 20)]]);
files['near-school.webp'] = webp({ exif: tiff({ gps: NEAR }), xmpPacket: xmp({ subject: ['Jayden Quillfeather', 'medal'] }) });
files['near-school.heic'] = heic({ exif: tiff({ ifd0: [ascii(0x013b, 'Pat Placeholder')], gps: NEAR }), xmpPacket: xmp({ people: ['Amelia Testerton'] }) });
files['xmp-gps-far.jpg'] = jpeg({ xmpPacket: xmp({ title: 'Our holiday', gps: FAR }) });

for (const [name, bytes] of Object.entries(files)) writeFileSync(`${OUT}/${name}`, bytes);
console.log(`wrote ${Object.keys(files).length} photos to ${OUT}`);
