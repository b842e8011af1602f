/**
 * A text someone sent, shown inside a sentence of ours (a refusal naming a file, a cell, a code, an
 * address in the security log): the characters that are invisible, or that reorder what follows them
 * on screen (direction overrides and marks, zero-width characters, line and paragraph separators,
 * control characters), written as their code point (`[U+202E]`), so that the name reads as what it is
 * and the sentence around it as written. Stored texts never hold them (`enteredText`); what is refused
 * or only logged may.
 */
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

export function visibleControls(text: string): string {
	return text.replace(HIDDEN, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}
