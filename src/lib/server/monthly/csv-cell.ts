/**
 * One cell of the ledger's CSV, written and read by the same rule. A cell that starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return would be taken for a formula by Excel, WPS and LibreOffice
 * (CSV injection), so it is written with a leading `'` as OWASP advises; the import takes that `'`
 * off again, so a text round-trips unchanged. A text that itself begins with apostrophes before such
 * a character (`'=x`) is guarded too, or the import would take its own `'` off. Quotes, commas and
 * line breaks are quoted as RFC 4180.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function csvCell(value: string | number): string {
	let text = String(value);
	if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The text a cell written by `csvCell` stood for. */
export function csvCellText(cell: string): string {
	return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
