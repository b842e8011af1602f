/**
 * Upload abuse: staff post ledgers shaped to cost the server far more than their size (a CSV of
 * newlines, a CSV of commas, an .xlsx whose sheet inflates to 200 MB, one whose zip lies about its
 * sizes, a truncated zip, workbooks naming ranges of billions of cells) to the import preview, again and again, while a monitor asks `/health`
 * every 20 ms; then evidence files no report may keep (a program, a picture named .pdf, an empty file,
 * one past the size limit, a .docx zip bomb, names with paths or control characters) to the report
 * form, which must refuse each naming it and store nothing. Each upload must be refused with a 4xx and a message, none may take long, and
 * `/health` must stay quick throughout (p99 under 100 ms): one person's file never stalls the others.
 */
import JSZip from 'jszip';
import { Worker } from 'node:worker_threads';
import { monthOf, suzhouToday } from '$lib/dates';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoPicture } from '$lib/server/demo/evidence';
import { filesDirOf } from '$lib/server/evidence/store';
import { zipBombDocx } from '../helpers/files';
import { openReadOnly } from './checks';
import { copyOfTemplate } from './fixtures';
import { percentile, type Drill } from './drill';
import { AppServer, Client, sleep } from './server';

const ROUNDS = 25;
const EVIDENCE_ROUNDS = 3;
/** An item the demo staff's unit leads, whose report form takes the files. */
const EVIDENCE_ITEM = 'INN-03';

function countAttachments(path: string): number {
	const client = openReadOnly(path);
	try {
		return client.prepare('SELECT count(*) FROM attachment').pluck().get() as number;
	} finally {
		client.close();
	}
}
const HEALTH_P99_MS = 100;
const UPLOAD_MAX_MS = 5000;

/** A zip whose local and central headers claim `claimed` bytes for an entry that inflates to far more. */
function lyingSizes(zip: Uint8Array, claimed: number): Uint8Array {
	const out = Buffer.from(zip);
	for (let i = 0; i + 4 <= out.length; i++) {
		const sig = out.readUInt32LE(i);
		if (sig === 0x04034b50) out.writeUInt32LE(claimed, i + 22); // local header: uncompressed size
		if (sig === 0x02014b50) out.writeUInt32LE(claimed, i + 24); // central directory: uncompressed size
	}
	return out;
}

async function shapes(): Promise<{ name: string; file: string; bytes: Uint8Array }[]> {
	const sheet = (size: number) => {
		const zip = new JSZip();
		zip.file('[Content_Types].xml', '<Types/>');
		zip.file('xl/worksheets/sheet1.xml', `<worksheet>${' '.repeat(size)}</worksheet>`);
		return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
	};
	const bomb = await sheet(200 * 1024 * 1024);
	const liar = lyingSizes(await sheet(30 * 1024 * 1024), 1000);
	// Workbooks of a few hundred bytes naming ranges of billions of cells (probes 14 and 15: each ran
	// the server out of memory when exceljs read the file whole, which a U+FFFD in a cell made it do).
	const named = (sheetXml: string, names = '') => {
		const zip = new JSZip();
		zip.file('[Content_Types].xml', '<Types/>');
		zip.file('xl/workbook.xml', `<workbook xmlns:r="r"><sheets><sheet name="月报" sheetId="1" r:id="rId1"/></sheets>${names}</workbook>`);
		zip.file(
			'xl/_rels/workbook.xml.rels',
			'<Relationships><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
		);
		const cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>\uFFFD</t></is></c></row>';
		zip.file('xl/worksheets/sheet1.xml', sheetXml.replace('<sheetData>', `<sheetData>${cell}`));
		return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
	};
	const ranges = {
		merge: await named('<worksheet><sheetData></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>'),
		spans: await named('<worksheet><cols><col min="1" max="30000000"/></cols><sheetData><row r="1000000000"/></sheetData></worksheet>'),
		name: await named(
			'<worksheet><sheetData></sheetData></worksheet>',
			`<definedNames><definedName name="x">'月报'!$A$1:$XFD$1048576</definedName></definedNames>`
		)
	};
	return [
		{ name: 'CSV of 300,000 newlines', file: 'n.csv', bytes: Buffer.concat([Buffer.from('月份,重点任务\n'), Buffer.alloc(300_000, 10)]) },
		{ name: 'CSV of 5 MB newlines', file: 'n5.csv', bytes: Buffer.alloc(5 * 1024 * 1024 - 1, 10) },
		{ name: 'CSV of 4 MB commas', file: 'c.csv', bytes: Buffer.alloc(4 * 1024 * 1024, 44) },
		{ name: `.xlsx inflating to 200 MB (${Math.round(bomb.length / 1024)} KB)`, file: 'bomb.xlsx', bytes: bomb },
		{ name: '.xlsx lying about its sizes', file: 'liar.xlsx', bytes: liar },
		{ name: 'truncated .xlsx', file: 'cut.xlsx', bytes: bomb.slice(0, bomb.length / 2) },
		{ name: '.xlsx merging the whole sheet', file: 'merge.xlsx', bytes: ranges.merge },
		{ name: '.xlsx of 30,000,000 columns and row 1,000,000,000', file: 'spans.xlsx', bytes: ranges.spans },
		{ name: '.xlsx naming the whole sheet', file: 'name.xlsx', bytes: ranges.name }
	];
}

/** Evidence files no report may keep: each must be refused with its reason, and nothing stored. */
async function badEvidence(): Promise<{ name: string; file: string; bytes: Uint8Array }[]> {
	const picture = demoPicture();
	return [
		{ name: 'a program', file: 'setup.exe', bytes: Buffer.from('MZ\x90\x00 a program') },
		{ name: 'a picture named .pdf', file: '验收报告.pdf', bytes: picture },
		{ name: 'a web page named .pdf', file: 'report.pdf', bytes: Buffer.from('<html><script>alert(1)</script></html>') },
		{ name: 'an empty file', file: 'empty.png', bytes: new Uint8Array(0) },
		{ name: 'a 21 MB picture', file: 'big.png', bytes: Buffer.concat([picture, Buffer.alloc(21 * 1024 * 1024)]) },
		{ name: 'a .docx zip bomb', file: 'bomb.docx', bytes: await zipBombDocx() },
		{ name: 'a name with a path', file: '../../etc/cron.d/x.png', bytes: picture },
		{ name: 'a name with control characters', file: 'a\u0007b.png', bytes: picture }
	];
}

export const uploadsDrill: Drill = async ({ template, dir, port }) => {
	const server = new AppServer(copyOfTemplate(template, dir, 'uploads'), port);
	await server.start();
	const problems: string[] = [];
	const staff = await new Client(server).signIn('staff');
	const files = await shapes();
	const month = monthOf(suzhouToday());

	// The first request to the import page loads its modules (exceljs, yauzl): once per process, not per upload.
	await staff.get(`/reports/${month}/import`);

	// The monitor: /health every 20 ms, as a load balancer would, from a thread of its own so that
	// building the uploads here does not delay its probes.
	const monitor = new Worker(
		`const { parentPort, workerData } = require('node:worker_threads');
		let on = true; const times = [];
		parentPort.on('message', () => { on = false; });
		(async () => {
			while (on) {
				const started = performance.now();
				const response = await fetch(workerData + '/health').catch(() => null);
				if (response) await response.text();
				times.push(response && response.ok ? performance.now() - started : 60000);
				await new Promise((r) => setTimeout(r, 20));
			}
			parentPort.postMessage(times);
		})();`,
		{ eval: true, workerData: server.base }
	);
	const health = new Promise<number[]>((resolve) => monitor.once('message', resolve));

	const uploadTimes = new Map<string, number[]>();
	let uploads = 0;
	try {
		await sleep(300);
		for (let round = 0; round < ROUNDS; round++) {
			for (const { name, file, bytes } of files) {
				const form = new FormData();
				form.append('file', new Blob([new Uint8Array(bytes)]), file);
				const started = performance.now();
				const answer = await staff.send(`/reports/${month}/import?/preview`, { method: 'POST', body: form });
				const ms = performance.now() - started;
				uploads += 1;
				uploadTimes.set(name, [...(uploadTimes.get(name) ?? []), ms]);
				if (answer.status < 400 || answer.status >= 500) problems.push(`${name}: answered ${answer.status}, expected a refusal (4xx)`);
				if (ms > UPLOAD_MAX_MS) problems.push(`${name}: refused only after ${Math.round(ms)} ms`);
			}
		}
		// Evidence files on the report form: refused with the reason, nothing stored.
		const report = `/initiatives/${EVIDENCE_ITEM}/report/${month}`;
		const attachmentsBefore = countAttachments(server.databasePath);
		for (let round = 0; round < EVIDENCE_ROUNDS; round++) {
			for (const { name, file, bytes } of await badEvidence()) {
				const form = new FormData();
				for (const [k, v] of Object.entries({ progress: '佐证材料压测', problems: '', nextSteps: '', intent: 'draft', version: '' }))
					form.append(k, v);
				form.append('files', new Blob([new Uint8Array(bytes)]), file);
				const started = performance.now();
				const answer = await staff.send(report, { method: 'POST', body: form });
				const ms = performance.now() - started;
				uploads += 1;
				uploadTimes.set(`evidence: ${name}`, [...(uploadTimes.get(`evidence: ${name}`) ?? []), ms]);
				// A control character in a part's header makes the whole body unreadable: refused as such.
				const said = answer.body.includes('未保存') || answer.body.includes('表单内容无法解析');
				if (answer.status < 400 || answer.status >= 500 || !said)
					problems.push(`evidence ${name}: answered ${answer.status}, expected a refusal naming the file`);
			}
		}
		if (countAttachments(server.databasePath) !== attachmentsBefore) problems.push('a refused evidence file was attached');
		const incoming = join(filesDirOf(server.databasePath), 'incoming');
		if (existsSync(incoming) && readdirSync(incoming).length) problems.push(`${readdirSync(incoming).length} uploads left in incoming/`);
		await sleep(300);
	} finally {
		monitor.postMessage('stop');
		await server.stop();
	}
	const probes = await health;
	await monitor.terminate();
	const p50 = percentile(probes, 50);
	const p99 = percentile(probes, 99);
	const worst = Math.max(...probes);
	if (p99 > HEALTH_P99_MS) problems.push(`/health p99 ${p99.toFixed(0)} ms during the uploads (target under ${HEALTH_P99_MS} ms)`);
	const slowest = [...uploadTimes].map(([name, times]) => `${name} ${Math.round(Math.max(...times))} ms`).join(', ');
	return {
		drill: 'Upload abuse (/health probed meanwhile)',
		runs: uploads,
		problems,
		figures: `${uploads} abusive uploads, all refused; slowest refusal per shape: ${slowest}; /health ${probes.length} probes: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${worst.toFixed(0)} ms`
	};
};
