/**
 * Characters no document can hold: XML 1.0 (inside every .xlsx and .docx) forbids the C0 controls
 * other than tab and line breaks, U+FFFE and U+FFFF, and unpaired surrogates; and DEL (U+007F), which
 * XML allows but exceljs drops as it writes a cell, so a text holding it read back from the month's
 * own .xlsx as another text (an untouched ledger refused for everyone). No keyboard types them;
 * they arrive in pastes from PDFs and other programs, and one of them in one unit's text would break
 * the month's files for everyone. Forms drop them as they are read, and the exports again for text
 * stored before. Two of them are line breaks where they come from (Word's manual line break pastes
 * as a vertical tab, a page break as a form feed): they become one, so that no line typed is joined
 * to the next.
 *
 * Line breaks are one character, `\n`. A browser sends a text area's breaks as `\r\n` (the HTML
 * standard's form encoding) and Windows programs write them so; an XML reader turns either into `\n`,
 * so text kept with `\r\n` came back from the month's own .xlsx as another text, and an untouched
 * ledger read as changed. Forms, the import and the exports all write breaks as `\n`.
 */
const NOT_IN_XML =
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlSafeText(text: string): string {
	return text.replace(/\r\n?|[\v\f]/g, '\n').replace(NOT_IN_XML, '');
}

/**
 * Direction overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what follows them on
 * screen: a text could show one thing and hold another (a date or an amount read backwards, in a
 * leader's instruction on every to-do list). Chinese and English never need them; they are dropped
 * from what people enter, with the characters no document can hold.
 */
const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** A text as entered in a form or a ledger, cleaned for storing: `xmlSafeText`, without direction controls. */
export function enteredText(text: string): string {
	return xmlSafeText(text).replace(DIRECTION_CONTROLS, '');
}
