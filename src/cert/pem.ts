import {readFile} from 'node:fs/promises';

import {usageError} from '../errors.js';

/** One `-----BEGIN X-----` … `-----END X-----` block, as written (headers included). */
export interface PemBlock {
  label: string;
  text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;

export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((match) => ({label: match[1]!, text: `${match[0].replaceAll('\r\n', '\n')}\n`}));
}

/** What a file given as --cert, --key or --ca is for, to name it in errors. */
export type MaterialRole = 'cert' | 'key' | 'ca';

const WANTED: Record<MaterialRole, string> = {cert: 'a PEM certificate (and its intermediates)', key: 'a PEM private key', ca: 'PEM CA certificate(s)'};

/** The openssl command that turns a DER file of this role into PEM. */
export function derConversion(role: MaterialRole, file: string): string {
  const tool = role === 'key' ? 'pkey' : 'x509';
  return `openssl ${tool} -inform der -in ${file} -out ${file.replace(/\.(der|cer|crt|key)$/i, '')}.pem`;
}

/**
 * The PEM blocks of a --cert/--key/--ca file. Refuses, naming the flag, a file that cannot be
 * read, DER (binary) given where PEM is expected (with the conversion), and a file with no PEM.
 */
export async function readPemFile(role: MaterialRole, file: string): Promise<PemBlock[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw usageError(`The --${role} file ${file} cannot be read: ${reason}.`, `pass the path of ${WANTED[role]}.`, {check: 'unreadable', file});
  }
  return parsePem(role, file, bytes);
}

export function parsePem(role: MaterialRole, file: string, bytes: Buffer): PemBlock[] {
  const blocks = pemBlocks(bytes.toString('utf8'));
  if (blocks.length > 0) return blocks;
  if (looksLikeDer(bytes)) {
    throw usageError(`The --${role} file ${file} is DER (binary), and gshift expects PEM (text starting with "-----BEGIN").`, `convert it: ${derConversion(role, file)}`, {check: 'der', file});
  }
  throw usageError(`The --${role} file ${file} holds no PEM block ("-----BEGIN …-----"): it is not ${WANTED[role]}.`, `pass the path of ${WANTED[role]}.`, {check: 'not-pem', file});
}

/** DER certificates and keys are one ASN.1 SEQUENCE (0x30) whose length is the rest of the file. */
function looksLikeDer(bytes: Buffer): boolean {
  if (bytes.length < 2 || bytes[0] !== 0x30) return false;
  const first = bytes[1]!;
  if ((first & 0x80) === 0) return bytes.length === 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4) return false;
  let length = 0;
  for (let index = 0; index < count; index++) length = length * 256 + (bytes[2 + index] ?? 0);
  return bytes.length === 2 + count + length;
}
