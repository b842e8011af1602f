/**
 * The times inside an Office file's zip (.docx, .xlsx), set to the moment the document speaks of.
 * The writers (exceljs through JSZip, docx through fflate) stamp every entry with the moment it was
 * zipped, so a closed month's 月报 downloaded twice differed in its bytes though not in a word; with
 * the entries stamped, the same document is the same file, byte for byte (a checksum filed with it
 * stays true).
 *
 * A zip's entry time is a DOS date and time, without a zone: written as Suzhou's clock reads it, as
 * Excel, Word and the archive tools of the office's machines show it. The times are rewritten in
 * place, in the local header and in the central directory of each entry (neither is under a
 * checksum); a zip this cannot walk (ZIP64, which these files never need) is left as it is.
 */
import { SUZHOU_OFFSET_HOURS } from '$lib/dates';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** `at` as a DOS date and time on Suzhou's clock (two-second steps; years 1980 to 2107). */
function dosTime(at: Date): { date: number; time: number } {
	const t = new Date(at.getTime() + SUZHOU_OFFSET_HOURS * 3600_000);
	const year = Math.min(Math.max(t.getUTCFullYear(), 1980), 2107);
	return {
		date: ((year - 1980) << 9) | ((t.getUTCMonth() + 1) << 5) | t.getUTCDate(),
		time: (t.getUTCHours() << 11) | (t.getUTCMinutes() << 5) | (t.getUTCSeconds() >> 1)
	};
}

/** The offset of the end-of-central-directory record, or -1 (it ends the file, after a comment of at most 64 KB). */
function endRecord(zip: Buffer): number {
	for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) if (zip.readUInt32LE(i) === EOCD) return i;
	return -1;
}

/** Where each entry's time is written (its central and local headers), or null for a zip this cannot walk. */
function entryHeaders(zip: Buffer): number[] | null {
	const end = endRecord(zip);
	if (end < 0) return null;
	const count = zip.readUInt16LE(end + 10);
	const offset = zip.readUInt32LE(end + 16);
	if (count === 0xffff || offset === 0xffffffff) return null;
	const headers: number[] = [];
	for (let n = 0, entry = offset; n < count; n++) {
		if (entry + 46 > zip.length || zip.readUInt32LE(entry) !== CENTRAL) return null;
		const local = zip.readUInt32LE(entry + 42);
		if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) return null;
		headers.push(entry + 12, local + 10);
		entry += 46 + zip.readUInt16LE(entry + 28) + zip.readUInt16LE(entry + 30) + zip.readUInt16LE(entry + 32);
	}
	return headers;
}

/** Sets the time of every entry of `zip` (in place) to `at`; returns `zip`. */
export function stampZip(zip: Buffer, at: Date): Buffer {
	const { date, time } = dosTime(at);
	for (const header of entryHeaders(zip) ?? []) {
		zip.writeUInt16LE(time, header);
		zip.writeUInt16LE(date, header + 2);
	}
	return zip;
}
