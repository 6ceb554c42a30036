// A CRX3 package of a built extension, signed with a fresh RSA key, for a test in which
// Chromium installs Postsafe the way an organisation does (ExtensionInstallForcelist
// from an update URL). The manifest's fixed `key` is dropped: the package's own key
// gives the id. Format: https://chromium.googlesource.com/chromium/src/+/main/components/crx_file/crx3.proto
import { createHash, createSign, generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';

const varint = (n) => { const o = []; while (n > 127) { o.push((n & 127) | 128); n >>>= 7; } o.push(n); return Buffer.from(o); };
/** A length-delimited protobuf field. */
const field = (num, buf) => Buffer.concat([varint((num << 3) | 2), varint(buf.length), buf]);
const le32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };

/** `{ id, crx }`: the extension id and the package bytes of the build in `dir`. */
export function packCrx(dir) {
  const files = {};
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p); else files[relative(dir, p)] = readFileSync(p);
    }
  };
  walk(dir);
  const manifest = JSON.parse(files['manifest.json']);
  delete manifest.key;
  files['manifest.json'] = Buffer.from(JSON.stringify(manifest));
  const zip = Buffer.from(zipSync(files));
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ type: 'spki', format: 'der' });
  const crxId = createHash('sha256').update(pub).digest().subarray(0, 16);
  const id = [...crxId].map((b) => String.fromCharCode(97 + (b >> 4), 97 + (b & 15))).join('');
  const signedData = field(1, crxId); // SignedData.crx_id
  const sign = createSign('sha256');
  sign.update(Buffer.concat([Buffer.from('CRX3 SignedData\x00', 'latin1'), le32(signedData.length), signedData, zip]));
  const proof = Buffer.concat([field(1, pub), field(2, sign.sign(privateKey))]); // AsymmetricKeyProof
  const header = Buffer.concat([field(2, proof), field(10000, signedData)]); // sha256_with_rsa, signed_header_data
  return { id, crx: Buffer.concat([Buffer.from('Cr24'), le32(3), le32(header.length), header, zip]) };
}
