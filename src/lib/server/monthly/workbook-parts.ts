/**
 * The parts of an uploaded workbook that exceljs would read without bound, read here first: its
 * merged ranges and data validations. Read whole, exceljs makes a cell of every cell a merged range
 * or a validation covers (one range of a 18 KB file, N1:XFD1048576, ran the server out of memory)
 * and checks each merge against all before it (20,000 small merges held it for half a minute). So
 * every worksheet's merges are read here as the XML gives them (any quoting, character references,
 * any case), each within the ledger's bounds, and the file exceljs reads whole is the same file
 * without them (`withoutExpandingParts`); what is merged is known from here (`WorkbookParts.merges`).
 */
import JSZip from 'jszip';
import { WorkflowError } from '../workflow/errors';
import { m } from '$lib/i18n';

/** A worksheet's part in the zip. */
const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/;

export type WorkbookParts = {
	/** The merged ranges (`H6:H7`, upper case) of each worksheet part, by its path. */
	merges: Map<string, string[]>;
	/** The path of the workbook's first sheet (its first tab). */
	firstSheet: string;
	/** The workbook without the parts exceljs would expand (merges, data validations), to be read whole. */
	withoutExpandingParts(): Promise<Buffer>;
};

export type MergeLimits = { ranges: number; rows: number; columns: number };

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** An attribute's value as an XML parser gives it: its character references read. */
const xmlValue = (text: string) =>
	text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/gi, (_, ref: string) =>
		ref[0] === '#'
			? String.fromCodePoint(Number(ref[1] === 'x' || ref[1] === 'X' ? `0${ref.slice(1)}` : ref.slice(1)))
			: NAMED[ref.toLowerCase()]
	);

/** The attributes of a start tag's text after its name (`ref="H5:H6" foo='a>b'`), or null if it is none. */
function attributes(text: string): Map<string, string> | null {
	const found = new Map<string, string>();
	const attribute = /\s+([^\s=/>"']{1,60})\s*=\s*(?:"([^"]{0,500})"|'([^']{0,500})')/y;
	let at = 0;
	for (let match = attribute.exec(text); match; match = attribute.exec(text)) {
		found.set(match[1], xmlValue(match[2] ?? match[3]));
		at = attribute.lastIndex;
	}
	return /^\s*\/?>/.test(text.slice(at)) ? found : null;
}

/** `H6:H7` (a single cell `H6` is `H6:H6`) within `limits`, or null. */
function rangeWithin(ref: string, limits: MergeLimits): string | null {
	const match = /^([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?$/.exec(ref.trim().toUpperCase());
	if (!match) return null;
	const column = (name: string) => [...name].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
	const rows = [Number(match[2]), Number(match[4] ?? match[2])];
	const columns = [column(match[1]), column(match[3] ?? match[1])];
	if (Math.max(...rows) > limits.rows || Math.max(...columns) > limits.columns || Math.min(...rows) < 1) return null;
	return `${match[1]}${match[2]}:${match[3] ?? match[1]}${match[4] ?? match[2]}`;
}

/**
 * Each `<mergeCell …>` of a worksheet's XML, as a parser reads it; a tag that cannot be read, or a
 * range past the ledger's rows and columns, refuses the file (a ledger has neither).
 */
function mergesOf(xml: string, limits: MergeLimits, counted: { ranges: number }): string[] {
	const refuse = (message: string): never => {
		throw new WorkflowError('file', message);
	};
	const ranges: string[] = [];
	for (let at = xml.indexOf('<mergeCell'); at !== -1; at = xml.indexOf('<mergeCell', at + 10)) {
		if (xml[at + 10] === 's') continue; // <mergeCells>, the list
		if (++counted.ranges > limits.ranges) refuse(m.import_merges_too_many({ max: limits.ranges }));
		const ref = attributes(xml.slice(at + 10, at + 10 + 2000))?.get('ref') ?? refuse(m.import_merge_unreadable());
		ranges.push(rangeWithin(ref, limits) ?? refuse(m.import_merge_too_large({ range: ref.slice(0, 40) })));
	}
	return ranges;
}

/** The part of the workbook's first sheet, from xl/workbook.xml and its relationships (sheet1.xml when they do not say). */
async function firstSheetOf(zip: JSZip): Promise<string> {
	const workbook = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
	const sheet = /<(?:\w+:)?sheet\s[^>]{0,2000}>/.exec(workbook)?.[0] ?? '';
	const id = /\s[\w-]+:id\s*=\s*["']([^"']{1,60})["']/.exec(sheet)?.[1];
	const rels = (await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '';
	for (const tag of rels.match(/<(?:\w+:)?Relationship\s[^>]{0,2000}>/g) ?? []) {
		const attrs = attributes(tag.replace(/^<[^\s]+/, ''));
		const target = attrs?.get('Target');
		if (attrs?.get('Id') === id && target) return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
	}
	return 'xl/worksheets/sheet1.xml';
}

/**
 * The XML without each element `name` (`<name …>…</name >` or `<name …/>`); null when one is not
 * closed where it can be found, which no workbook a program wrote has.
 */
function without(xml: string, name: string): string | null {
	const close = new RegExp(`</${name}\\s*>`, 'g');
	let out = '';
	let from = 0;
	for (let at = xml.indexOf(`<${name}`, from); at !== -1; at = xml.indexOf(`<${name}`, from)) {
		const tagEnd = xml.indexOf('>', at);
		if (tagEnd === -1) return null;
		out += xml.slice(from, at);
		if (xml[tagEnd - 1] === '/') {
			from = tagEnd + 1;
			continue;
		}
		close.lastIndex = tagEnd;
		if (!close.exec(xml)) return null;
		from = close.lastIndex;
	}
	return out + xml.slice(from);
}

/**
 * Reads the merges of every worksheet of a workbook `checkZip` has bounded; refuses, with the reason,
 * merges a ledger never has: more than `limits.ranges`, one that cannot be read, or one past its rows
 * and columns.
 */
export async function readWorkbookParts(bytes: Buffer, limits: MergeLimits, unreadable: () => WorkflowError): Promise<WorkbookParts> {
	let zip: JSZip;
	try {
		zip = await JSZip.loadAsync(bytes);
	} catch {
		throw unreadable();
	}
	const sheets = Object.keys(zip.files).filter((name) => WORKSHEET.test(name) && !zip.files[name].dir);
	const texts = new Map<string, string>();
	const merges = new Map<string, string[]>();
	const counted = { ranges: 0 };
	for (const name of sheets) {
		const xml = await zip.files[name].async('string');
		texts.set(name, xml);
		merges.set(name, mergesOf(xml, limits, counted));
	}
	return {
		merges,
		firstSheet: await firstSheetOf(zip),
		async withoutExpandingParts() {
			for (const [name, xml] of texts) {
				const plain = without(xml, 'mergeCells');
				const bare = plain === null ? null : without(plain, 'dataValidations');
				if (bare === null) throw unreadable();
				zip.file(name, bare);
			}
			return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
		}
	};
}
