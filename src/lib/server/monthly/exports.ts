/** Every format the monthly summary is exported in, by name: one place for the page and the CLI. */
import { summaryCsv } from './export-csv';
import { summaryDocx } from './export-docx';
import { summaryXlsx } from './export-xlsx';
import type { MonthlySummary } from './summary';

export const exportFormats = {
	xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', render: summaryXlsx },
	docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', render: summaryDocx },
	csv: { type: 'text/csv; charset=utf-8', render: async (s: MonthlySummary) => Buffer.from(summaryCsv(s), 'utf8') },
	json: {
		type: 'application/json; charset=utf-8',
		render: async (s: MonthlySummary) => Buffer.from(`${JSON.stringify(s, null, 2)}\n`, 'utf8')
	}
} as const;

export type ExportFormat = keyof typeof exportFormats;

export function isExportFormat(value: string): value is ExportFormat {
	return Object.hasOwn(exportFormats, value);
}

/** The file name of a summary, ASCII so that every mail client and OS keeps it. */
export function exportFileName(month: string, format: ExportFormat): string {
	return `monthly-summary-${month}.${format}`;
}
