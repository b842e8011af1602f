/** The monthly table as CSV: UTF-8 with a byte-order mark, so that Excel and WPS read the Chinese. */
import { summaryColumns } from './columns';
import { csvCell } from './csv-cell';
import type { MonthlySummary } from './summary';

export function summaryCsv(s: MonthlySummary): string {
	// The month leads every line, so that a file imported back is checked against its month.
	const lines = [
		['月份', '类别/分组', ...summaryColumns.map((c) => c.header)],
		...s.rows.map((r) => [s.month, r.group, ...summaryColumns.map((c) => c.value(r))])
	];
	return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
