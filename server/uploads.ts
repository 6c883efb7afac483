import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A file format the server recognises by its first bytes. */
export interface MediaFormat {
  readonly mime: string;
  readonly ext: string;
  /** True when `head` (the file's first bytes) has this format's signature. */
  matches(head: Uint8Array): boolean;
}

const ascii = (head: Uint8Array, at: number, text: string) =>
  head.length >= at + text.length && [...text].every((ch, i) => head[at + i] === ch.charCodeAt(0));
const bytes = (head: Uint8Array, at: number, sig: readonly number[]) =>
  head.length >= at + sig.length && sig.every((b, i) => head[at + i] === b);

/**
 * Every format an upload may have. The file's own bytes decide the type — a
 * client's Content-Type is only a claim — so a script renamed `.png` is refused.
 */
export const MEDIA_FORMATS: readonly MediaFormat[] = [
  {
    mime: 'image/png',
    ext: 'png',
    matches: (h) => bytes(h, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  { mime: 'image/jpeg', ext: 'jpg', matches: (h) => bytes(h, 0, [0xff, 0xd8, 0xff]) },
  { mime: 'image/gif', ext: 'gif', matches: (h) => ascii(h, 0, 'GIF87a') || ascii(h, 0, 'GIF89a') },
  { mime: 'image/webp', ext: 'webp', matches: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WEBP') },
  { mime: 'video/mp4', ext: 'mp4', matches: (h) => ascii(h, 4, 'ftyp') },
  {
    mime: 'video/webm',
    ext: 'webm',
    // EBML header, and the DocType "webm" somewhere in its first bytes (Matroska proper says "matroska").
    matches: (h) => bytes(h, 0, [0x1a, 0x45, 0xdf, 0xa3]) && Buffer.from(h.subarray(0, 64)).includes('webm'),
  },
];

/** The format of `data` judged by its signature, or undefined. */
export function sniffFormat(data: Uint8Array): MediaFormat | undefined {
  return MEDIA_FORMATS.find((f) => f.matches(data));
}

/** Names the server generates: random, with the sniffed extension. Anything else is refused before touching disk. */
export const UPLOAD_NAME = /^[A-Za-z0-9_-]{8,64}\.(png|jpg|gif|webp|mp4|webm)$/;

export function mimeOfUploadName(name: string): string | undefined {
  const ext = name.slice(name.lastIndexOf('.') + 1);
  return MEDIA_FORMATS.find((f) => f.ext === ext)?.mime;
}

/**
 * Writes an upload under `dir` with a fresh random name and returns the
 * name; `tag` (partyUploads.ts) marks the party it belongs to. Written to a
 * temporary file first and renamed, so a reader never sees half a file.
 */
export async function storeUpload(
  dir: string,
  data: Uint8Array,
  format: MediaFormat,
  tag?: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = `${tag ? `${tag}_` : ''}${randomBytes(12).toString('base64url')}.${format.ext}`;
  const tmp = join(dir, `.tmp-${name}`);
  await writeFile(tmp, data, { flag: 'wx' });
  await rename(tmp, join(dir, name));
  return name;
}
