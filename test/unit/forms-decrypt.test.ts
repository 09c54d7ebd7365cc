/**
 * Encrypted PDFs in the isolated reader: one with only an owner password is
 * decrypted with qpdf in the parse child and read like the unencrypted file;
 * one that needs a user password stays E_PDF_ENCRYPTED (DSK-6). pdf-lib alone
 * cannot read the first kind (ignoreEncryption gives ciphertext).
 * The isolated reader runs the compiled dist/forms/pdf-read-child.js: run `npm run build` first.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { blankFormBytes } from '../../forms/blank-writer.js';
import { QPDF_PATH, decryptOwnerOnly, readPdfFormDecrypting } from '../../forms/decrypt.js';
import { closeDefaultParserPool, readPdfInFreshProcess, readPdfIsolated } from '../../forms/pdf-read-client.js';
import { READ_ERROR_MESSAGES, readPdfForm } from '../../forms/pdf-reader.js';
import type { ReadResult } from '../../forms/types.js';
import { SAMPLE_VALUES, encryptWithQpdf, fillWithPdfLib, requireTool } from '../fixtures/forms/tools.js';

const LT = 'license-transfer/v1' as const;
let filled: Uint8Array;
let ownerOnly: Uint8Array;
let userPassword: Uint8Array;
let scratch: string;

beforeAll(async () => {
  requireTool('qpdf');
  filled = await fillWithPdfLib(await blankFormBytes(LT), LT, SAMPLE_VALUES[LT]);
  ownerOnly = encryptWithQpdf(filled, '', 'owner'); // qpdf --encrypt '' owner 256 -- filled.pdf owneronly.pdf
  userPassword = encryptWithQpdf(filled, 'user', 'owner');
  scratch = mkdtempSync(join(tmpdir(), 'ld-decrypt-test-'));
});

afterAll(async () => {
  await closeDefaultParserPool();
  rmSync(scratch, { recursive: true, force: true });
});

function expectEncrypted(r: ReadResult): void {
  expect(r).toEqual({ ok: false, error: { code: 'E_PDF_ENCRYPTED', message: READ_ERROR_MESSAGES.encrypted } });
  expect(READ_ERROR_MESSAGES.encrypted).toMatch(/password.*Please send the filled form again without a password/);
}

describe('owner-password-only and user-password PDFs', () => {
  it(`qpdf (${QPDF_PATH}) tells them apart with --requires-password: 0 needs a password, 2 not encrypted, 3 owner password only`, () => {
    const codes = Object.entries({ filled, ownerOnly, userPassword }).map(([name, pdf]) => {
      const path = join(scratch, `${name}.pdf`);
      writeFileSync(path, pdf);
      return [name, spawnSync(QPDF_PATH, ['--requires-password', path]).status];
    });
    expect(Object.fromEntries(codes)).toEqual({ filled: 2, ownerOnly: 3, userPassword: 0 });
  });

  it('pdf-lib alone does not read an owner-password-only PDF: the in-process reader says E_PDF_ENCRYPTED', async () => {
    expect((await PDFDocument.load(ownerOnly, { ignoreEncryption: true })).isEncrypted).toBe(true);
    expectEncrypted(await readPdfForm(ownerOnly));
  });

  it('the isolated reader reads an owner-password-only PDF to the same RawForm as the unencrypted file (pool and fresh process)', async () => {
    const expected = await readPdfForm(filled);
    expect(expected.ok).toBe(true);
    expect(await readPdfIsolated(ownerOnly)).toEqual(expected);
    expect(await readPdfInFreshProcess(ownerOnly)).toEqual(expected);
  });

  it('DSK-6 a PDF that needs a user password is still E_PDF_ENCRYPTED, with the same clear message', async () => {
    expectEncrypted(await readPdfIsolated(userPassword));
    expectEncrypted(await readPdfInFreshProcess(userPassword));
    expect((await decryptOwnerOnly(userPassword, { tmpRoot: scratch })).kind).toBe('needs-password');
  });

  it('DSK-6 without qpdf an owner-password-only PDF is E_PDF_ENCRYPTED, with the same clear message', async () => {
    expectEncrypted(await readPdfFormDecrypting(ownerOnly, { qpdfPath: '/nonexistent/bin/qpdf', tmpRoot: scratch }));
  });

  it('decrypts in a private temp dir that is removed afterwards, and unencrypted PDFs never reach qpdf', async () => {
    const root = mkdtempSync(join(scratch, 'root-'));
    const r = await readPdfFormDecrypting(ownerOnly, { tmpRoot: root });
    expect(r).toEqual(await readPdfForm(filled));
    expect(readdirSync(root)).toEqual([]);
    // Not encrypted: read directly; a qpdf that does not exist is never asked.
    expect(await readPdfFormDecrypting(filled, { qpdfPath: '/nonexistent/bin/qpdf', tmpRoot: root })).toEqual(
      await readPdfForm(filled),
    );
    expect((await decryptOwnerOnly(filled, { tmpRoot: root })).kind).toBe('not-encrypted');
    expect(readdirSync(root)).toEqual([]);
  });

  it("DSK-6 qpdf runs within the read's budget: with no time left it is E_PDF_TIMEOUT, not a guess", async () => {
    const r = await readPdfFormDecrypting(ownerOnly, {
      deadline: Date.now() + 100,
      timeoutMs: 15_000,
      tmpRoot: scratch,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_PDF_TIMEOUT' } });
  });

  it('DSK-6 a qpdf still running near the deadline is killed, and the read is E_PDF_TIMEOUT', async () => {
    const pidFile = join(scratch, 'slow-qpdf.pid');
    const slowQpdf = join(scratch, 'slow-qpdf');
    writeFileSync(slowQpdf, `#!/bin/sh\necho $$ > ${pidFile}\nexec /bin/sleep 30\n`, { mode: 0o755 });
    const started = Date.now();
    const r = await readPdfFormDecrypting(ownerOnly, {
      qpdfPath: slowQpdf,
      deadline: Date.now() + 1500,
      timeoutMs: 1500,
      tmpRoot: scratch,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_PDF_TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(1500); // stopped before the parent's kill would come
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(() => process.kill(pid, 0)).toThrow(); // gone, not orphaned
  });

  it('DSK-6 a decrypted file over maxBytes is E_PDF_TOO_LARGE', async () => {
    const r = await readPdfFormDecrypting(ownerOnly, { maxBytes: 1000, tmpRoot: scratch });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_PDF_TOO_LARGE' } });
  });
});
