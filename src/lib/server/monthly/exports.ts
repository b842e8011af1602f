/** Every format the monthly summary is exported in, by name: one place for the page and the CLI. */
import { summaryCsv } from './export-csv';
import { summaryDocx } from './export-docx';
import { summaryXlsx } from './export-xlsx';
import type { MonthlySummary } from './summary';
import { fileTypes } from '../download';

export const exportFormats = {
	xlsx: { type: fileTypes.xlsx, render: summaryXlsx },
	docx: { type: fileTypes.docx, render: summaryDocx },
	csv: { type: fileTypes.csv, render: async (s: MonthlySummary) => Buffer.from(summaryCsv(s), 'utf8') },
	json: { type: fileTypes.json, render: async (s: MonthlySummary) => Buffer.from(`${JSON.stringify(s, null, 2)}\n`, 'utf8') }
} as const;

export type ExportFormat = keyof typeof exportFormats;

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
