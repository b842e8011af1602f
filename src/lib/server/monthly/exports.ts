/** Every format the monthly summary is exported in, by name: one place for the page and the CLI. */
import { summaryCsv } from './export-csv';
import { summaryDocx } from './export-docx';
import { summaryXlsx } from './export-xlsx';
import type { MonthlySummary } from './summary';
import { fileTypes } from '../download';
import { inDocumentLanguage } from '../document-language';
import pLimit from 'p-limit';

export const exportFormats = {
	xlsx: { type: fileTypes.xlsx, render: summaryXlsx },
	docx: { type: fileTypes.docx, render: summaryDocx },
	csv: { type: fileTypes.csv, render: async (s: MonthlySummary) => Buffer.from(summaryCsv(s), 'utf8') },
	json: { type: fileTypes.json, render: async (s: MonthlySummary) => Buffer.from(`${JSON.stringify(s, null, 2)}\n`, 'utf8') }
} as const;

export type ExportFormat = keyof typeof exportFormats;

/** Writes the summary as a file here, in the document's language (Chinese: document-language.ts). */
export function renderHere(format: ExportFormat, summary: MonthlySummary): Promise<Buffer> {
	return inDocumentLanguage(() => exportFormats[format].render(summary));
}

/**
 * The formats written elsewhere when a worker is there (export-worker.ts): the Word file, which took
 * seconds at 5,000 items. The spreadsheet is written in the request: about 0.4 s at 5,000 items and
 * 1.1 s at 20,000, whose summary (11 MB of JSON) copied to a worker would raise the peak memory its
 * benchmark holds under 500 MB (422 MB measured).
 */
const writtenElsewhere: ReadonlySet<ExportFormat> = new Set(['docx']);
type Renderer = (format: ExportFormat, summary: MonthlySummary) => Promise<Buffer>;
let elsewhere: Renderer | null = null;

/** Has the slow formats written by `render` from now on (null: in the request again). */
export function renderExportsWith(render: Renderer | null): void {
	elsewhere = render;
}

/**
 * Files handed to the worker at once. Each hands over a copy of its summary, which waits in the
 * worker's queue until its turn (tens of MB at 20,000 items): a crowd of downloads (or one person's
 * script) waits here instead, holding only the summary kept for every reader (p-limit: a queue of
 * promises with a bound, small and well kept).
 */
const handedOver = pLimit(2);

/** The summary as a file: the slow formats in the worker when there is one, else (or when it fails) here. */
export async function renderExport(format: ExportFormat, summary: MonthlySummary): Promise<Buffer> {
	const worker = elsewhere;
	if (worker && writtenElsewhere.has(format)) {
		try {
			return await handedOver(() => worker(format, summary));
		} catch (error) {
			console.error(error);
		}
	}
	return renderHere(format, summary);
}

export function isExportFormat(value: string): value is ExportFormat {
	return Object.hasOwn(exportFormats, value);
}

/** The file name of a summary as the office names it (2026年10月重点任务推进情况月报.xlsx). */
export function exportFileName(month: string, format: ExportFormat): string {
	return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月重点任务推进情况月报.${format}`;
}

/** The same name in ASCII, for clients that cannot read the other. */
export function exportAsciiName(month: string, format: ExportFormat): string {
	return `monthly-summary-${month}.${format}`;
}
