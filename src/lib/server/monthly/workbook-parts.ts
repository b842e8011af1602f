/**
 * The parts of an uploaded workbook the ledger is read from, found as Excel finds them: the first
 * tab's sheet by xl/workbook.xml and its relationships (whatever its part is named), its shared texts,
 * its links' targets, and its merged ranges. The zip has been bounded by `checkZip` before.
 *
 * Merged ranges are read from the XML as a parser reads them (any quoting, case, character
 * references): Excel shows a merged text in every cell of its range while the file keeps it in the
 * first, which the import must know (import.ts). A ledger has some hundreds; more than
 * `limits.ranges`, one that cannot be read or one past the ledger's rows and columns is refused.
 */
import JSZip from 'jszip';
import { posix } from 'node:path';
import { WorkflowError } from '../workflow/errors';
import { m } from '$lib/i18n';
import { local, parse, relationshipTargets, sharedTexts } from './sheet-reader';
import { columnNumber } from './cell-address';

export type WorkbookParts = {
	/** The first tab's worksheet XML. */
	sheet: string;
	/** The shared texts, by index. */
	shared: string[];
	/** The targets of the sheet's relationships (its links), by id. */
	links: Map<string, string>;
	/** The sheet's merged ranges (`H6:H7`, upper case). */
	merges: string[];
};

/** Merges a ledger may have (`ranges`, within its `rows` and `columns`), and the most characters its sheet's XML may hold. */
export type PartLimits = { ranges: number; rows: number; columns: number; sheetCharacters: number };
type MergeLimits = Omit<PartLimits, 'sheetCharacters'>;

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
	const rows = [Number(match[2]), Number(match[4] ?? match[2])];
	const columns = [columnNumber(match[1]), columnNumber(match[3] ?? match[1])];
	if (Math.max(...rows) > limits.rows || Math.max(...columns) > limits.columns || Math.min(...rows) < 1) return null;
	return `${match[1]}${match[2]}:${match[3] ?? match[1]}${match[4] ?? match[2]}`;
}

/**
 * Each `<mergeCell …>` of a worksheet's XML, each looked at over a bounded stretch; a tag that cannot
 * be read, or a range past the ledger's rows and columns, refuses the file (a ledger has neither).
 */
function mergesOf(xml: string, limits: MergeLimits): string[] {
	const refuse = (message: string): never => {
		throw new WorkflowError('file', message);
	};
	const ranges: string[] = [];
	for (let at = xml.indexOf('<mergeCell'); at !== -1; at = xml.indexOf('<mergeCell', at + 10)) {
		if (xml[at + 10] === 's') continue; // <mergeCells>, the list
		if (ranges.length >= limits.ranges) refuse(m.import_merges_too_many({ max: limits.ranges }));
		const ref = attributes(xml.slice(at + 10, at + 10 + 2000))?.get('ref') ?? refuse(m.import_merge_unreadable());
		ranges.push(rangeWithin(ref, limits) ?? refuse(m.import_merge_too_large({ range: ref.slice(0, 40) })));
	}
	return ranges;
}

/** The relationship id of the workbook's first sheet (its first tab), from xl/workbook.xml. */
function firstSheetId(workbook: string, unreadable: () => WorkflowError): string {
	let id: string | undefined;
	parse(workbook, unreadable, {
		open: (name, tag) => {
			if (id === undefined && name === 'sheet')
				id = Object.entries(tag.attributes).find(([key]) => local(key) === 'id' && key.includes(':'))?.[1] ?? '';
		}
	});
	if (!id) throw unreadable();
	return id;
}

/** A relationship's target as a path in the zip, from the part `from` it belongs to. */
const partPath = (from: string, target: string) =>
	target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(posix.dirname(from), target));

/** Reads the parts the ledger is read from; refuses a workbook without them, or with merges no ledger has. */
export async function readWorkbookParts(
	bytes: Buffer,
	limits: PartLimits,
	unreadable: () => WorkflowError,
	tooLarge: () => WorkflowError
): Promise<WorkbookParts> {
	let zip: JSZip;
	try {
		zip = await JSZip.loadAsync(bytes);
	} catch {
		throw unreadable();
	}
	// A part named by the file itself: only the zip's own entries (a target of `../__proto__` names none).
	const text = async (path: string) => (Object.hasOwn(zip.files, path) && !zip.files[path].dir ? zip.files[path].async('string') : null);
	const workbook = (await text('xl/workbook.xml')) ?? '';
	const rels = relationshipTargets((await text('xl/_rels/workbook.xml.rels')) ?? '<Relationships/>', unreadable);
	const sheetTarget = rels.get(firstSheetId(workbook, unreadable));
	if (!sheetTarget) throw unreadable();
	const sheetPath = partPath('xl/workbook.xml', sheetTarget.target);
	const sheet = await text(sheetPath);
	if (sheet === null) throw unreadable();
	// Read on the event loop (saxes), as long as its XML: a ledger's is a few megabytes, a file inflating to 40 MB took 1.6 s.
	if (sheet.length > limits.sheetCharacters) throw tooLarge();
	const sharedTarget = [...rels.values()].find((r) => r.type.endsWith('/sharedStrings'));
	const shared = await text(sharedTarget ? partPath('xl/workbook.xml', sharedTarget.target) : 'xl/sharedStrings.xml');
	const sheetRels = await text(posix.join(posix.dirname(sheetPath), '_rels', `${posix.basename(sheetPath)}.rels`));
	const links = relationshipTargets(sheetRels ?? '<Relationships/>', unreadable);
	return {
		sheet,
		shared: shared === null ? [] : sharedTexts(shared, unreadable),
		links: new Map([...links].map(([id, r]) => [id, r.target])),
		merges: mergesOf(sheet, limits)
	};
}
