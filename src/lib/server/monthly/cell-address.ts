/** A spreadsheet's column letters and numbers (A is 1, Z 26, AA 27), the one spelling of them. */

/** The letters of column `n` (from 1). */
export function columnName(n: number): string {
	let name = '';
	for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) name = String.fromCharCode(65 + ((c - 1) % 26)) + name;
	return name;
}

/** The number (from 1) of the column `letters` names, in either case. */
export const columnNumber = (letters: string): number => [...letters.toUpperCase()].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
