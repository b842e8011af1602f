// BENCHMARKS.md holds one section per benchmark script; each run replaces its own section only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = 'BENCHMARKS.md';

/**
 * Puts `section` (starting with `## ${heading} (`) in place of the previous one, or appends it.
 * @param {string} heading
 * @param {string} section
 */
export function writeBenchmarkSection(heading, section) {
	const previous = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n';
	const start = previous.indexOf(`## ${heading} (`);
	if (start < 0) return writeFileSync(FILE, `${previous.trimEnd()}\n\n${section.trimEnd()}\n`);
	const end = previous.indexOf('\n## ', start + 3);
	writeFileSync(FILE, `${previous.slice(0, start)}${section.trimEnd()}\n${end < 0 ? '' : previous.slice(end)}`);
}
