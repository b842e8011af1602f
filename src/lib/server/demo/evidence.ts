/**
 * A demo evidence file: a small picture drawn here (a PNG made with zlib, no image library), attached
 * to the latest approved report of YRD-02, so that the item page and the file routes have a file to
 * show. Written to the store like any upload.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { deflateSync } from 'node:zlib';
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../db';
import { progressReport } from '../db/schema';
import { attachFiles } from '../evidence/attachments';
import { blobPath } from '../evidence/store';
import type { ChangeContext } from '../history';

function crc32(bytes: Buffer): number {
	let crc = ~0;
	for (const byte of bytes) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(4);
	head.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([head, body, crc]);
}

/** A 160 × 120 picture: sky, a building in the office's red, and ground. */
export function demoPicture(): Buffer {
	const width = 160;
	const height = 120;
	const rows: Buffer[] = [];
	for (let y = 0; y < height; y++) {
		const row = Buffer.alloc(1 + width * 3);
		for (let x = 0; x < width; x++) {
			const building = x > 50 && x < 110 && y > 35 && y < 95;
			const ground = y >= 95;
			const [r, g, b] = building ? [178, 34, 34] : ground ? [110, 130, 80] : [150 + Math.round(y / 2), 190, 230];
			row.set([r, g, b], 1 + x * 3);
		}
		rows.push(row);
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0))
	]);
}

export function demoEvidence(tx: Tx, filesRoot: string, initiativeId: number, ctx: ChangeContext): void {
	const report = tx
		.select()
		.from(progressReport)
		.where(and(eq(progressReport.initiativeId, initiativeId), eq(progressReport.status, 'approved')))
		.orderBy(desc(progressReport.month))
		.get();
	if (!report) return;
	const bytes = demoPicture();
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const path = blobPath(filesRoot, sha256);
	if (!existsSync(path)) {
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, bytes);
	}
	const at = report.submittedAt ?? ctx.at;
	attachFiles(
		tx,
		{ initiativeId, reportId: report.id },
		[
			{
				field: 'files',
				name: '现场照片.png',
				size: bytes.length,
				sha256,
				mime: 'image/png',
				capturedAt: null
			}
		],
		report.reportedBy,
		{ ...ctx, at }
	);
}
