/**
 * What a Chinese input method types in full width, read as the ASCII people mean: digits (１２),
 * and the marks written inside numbers and dates (－ ／ ． ～). Every field that reads a number or a
 * date a person typed goes through this one rule.
 */
export function halfWidth(text: string): string {
	return text.replace(/[０-９－／．～]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}
