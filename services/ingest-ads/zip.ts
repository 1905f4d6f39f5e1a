/**
 * A small ZIP reader: the central directory is read from the end of the file (random access),
 * then each entry is streamed from its local header through `inflateRaw` (method 8) or as is
 * (method 0). Memory stays bounded by one chunk, never by an entry. No ZIP64, no encryption:
 * those come back as errors the caller turns into faults.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

/** One file in a ZIP archive, from the central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  flags: number;
}

/** A ZIP we cannot read (not a ZIP, ZIP64, encrypted, unknown method). */
export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
/** End-of-central-directory record (22) + the longest comment (65535). */
const EOCD_SEARCH = 22 + 0xffff;

/** Lists the entries of the ZIP file at `path`. @throws ZipError when it is not a readable ZIP. */
export async function listZip(path: string): Promise<ZipEntry[]> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, EOCD_SEARCH);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIG) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ZipError('no end-of-central-directory record: not a ZIP file, or truncated');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
      throw new ZipError('ZIP64 archives are not supported');
    if (cdOffset + cdSize > size)
      throw new ZipError('the central directory lies beyond the end of the file (truncated?)');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CEN_SIG)
        throw new ZipError(`central directory entry ${n + 1} is damaged`);
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const compressedSize = cd.readUInt32LE(p + 20);
      const uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const localHeaderOffset = cd.readUInt32LE(p + 42);
      const name = cd.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
      entries.push({ name, method, compressedSize, size: uncompressed, localHeaderOffset, flags });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** Streams the uncompressed bytes of one entry. @throws ZipError for encrypted or unknown methods. */
export async function openZipEntry(path: string, entry: ZipEntry): Promise<AsyncIterable<Buffer>> {
  if (entry.flags & 0x1) throw new ZipError(`${entry.name}: encrypted entries are not supported`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipError(
      `${entry.name}: compression method ${entry.method} is not supported (only stored and deflate)`,
    );
  const fh = await open(path, 'r');
  let dataStart: number;
  try {
    const loc = Buffer.alloc(30);
    await fh.read(loc, 0, 30, entry.localHeaderOffset);
    if (loc.readUInt32LE(0) !== LOC_SIG) throw new ZipError(`${entry.name}: local header not found`);
    dataStart = entry.localHeaderOffset + 30 + loc.readUInt16LE(26) + loc.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  if (entry.compressedSize === 0) return (async function* () {})();
  const raw = createReadStream(path, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
  return entry.method === 0 ? raw : raw.pipe(createInflateRaw());
}
