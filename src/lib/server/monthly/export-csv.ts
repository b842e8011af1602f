/** The monthly table as CSV: UTF-8 with a byte-order mark, so that Excel and WPS read the Chinese. */
import { summaryColumns } from './columns';
import type { MonthlySummary } from './summary';

function cell(value: string | number): string {
	const text = String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function summaryCsv(s: MonthlySummary): string {
	// The month leads every line, so that a file imported back is checked against its month.
	const lines = [
		['月份', '类别/分组', ...summaryColumns.map((c) => c.header)],
		...s.rows.map((r) => [s.month, r.group, ...summaryColumns.map((c) => c.value(r))])
	];
	return `\uFEFF${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}
