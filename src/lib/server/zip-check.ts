/**
 * Checks an Office file's zip (.xlsx, .docx) before anything inflates it for real: how many files,
 * the sizes they declare, and then the true sizes, inflating each into nothing (zlib works off the
 * main thread; yauzl stops an entry that inflates past what it declared). A file of a few hundred
 * kilobytes can stand for gigabytes (a zip bomb).
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

export type ZipLimits = { entries: number; entryBytes: number; totalBytes: number };

const openZip = (bytes: Buffer, unreadable: () => Error) =>
	new Promise<yauzl.ZipFile>((resolve, reject) =>
		yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (e, z) => (e || !z ? reject(unreadable()) : resolve(z)))
	);

const openEntry = (zip: yauzl.ZipFile, entry: yauzl.Entry, unreadable: () => Error) =>
	new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (e, s) => (e || !s ? reject(unreadable()) : resolve(s))));

/**
 * Throws `unreadable()` for a file that is not a readable zip, `tooLarge()` for one past the limits;
 * returns the names of the files it holds (what kind of document it is: xl/workbook.xml, word/document.xml).
 */
export async function checkZip(bytes: Buffer, limits: ZipLimits, unreadable: () => Error, tooLarge: () => Error): Promise<string[]> {
	const zip = await openZip(bytes, unreadable);
	try {
		if (zip.entryCount > limits.entries) throw unreadable();
		let total = 0;
		const entries: yauzl.Entry[] = [];
		await new Promise<void>((resolve, reject) => {
			zip.on('entry', (entry: yauzl.Entry) => {
				total += entry.uncompressedSize;
				if (entry.uncompressedSize > limits.entryBytes || total > limits.totalBytes) return reject(tooLarge());
				entries.push(entry);
				zip.readEntry();
			});
			zip.on('end', resolve);
			zip.on('error', () => reject(unreadable()));
			zip.readEntry();
		});
		for (const entry of entries) {
			if (entry.fileName.endsWith('/')) continue;
			const stream = await openEntry(zip, entry, unreadable);
			await pipeline(stream, new Writable({ write: (_chunk, _enc, done) => done() })).catch(() => {
				throw tooLarge();
			});
		}
		return entries.map((entry) => entry.fileName);
	} finally {
		zip.close();
	}
}
