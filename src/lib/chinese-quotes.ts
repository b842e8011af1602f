import { visibleControls } from './visible-text';

/**
 * A text quoted in a Chinese document: in double quotes, the double quotes inside it made single, as
 * GB/T 15834 nests them (“推进‘一带一路’交汇点建设”), never “…“…”…” that reads as two quotations.
 */
export function quoted(text: string): string {
	return `“${visibleControls(text).replace(/“/g, '‘').replace(/”/g, '’')}”`;
}
