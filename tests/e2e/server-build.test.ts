import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { bundledIntoServer } from '../../vite.config';

/** Every JavaScript file of the built server (adapter-node's output, which the browser tests run). */
function serverFiles(dir = 'build'): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return path === join('build', 'client') ? [] : serverFiles(path);
		return entry.name.endsWith('.js') ? [path] : [];
	});
}

/** The packages a module imports at run time: `import … from 'x'`, `import 'x'`, `import('x')`, `require('x')`. */
function importedPackages(code: string): string[] {
	const specifiers = [
		...code.matchAll(/^\s*import\s+(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm),
		...code.matchAll(/^\s*export\s+[^'";]*?\s+from\s+['"]([^'"]+)['"]/gm),
		...code.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)
	].map((match) => match[1]);
	return specifiers.filter((s) => !s.startsWith('.') && !s.startsWith('node:'));
}

test('the server imports none of the packages bundled into it from node_modules (slow to load on Node 22 and 24)', () => {
	const files = serverFiles();
	expect(files.length).toBeGreaterThan(10);
	const found = files.flatMap((file) =>
		importedPackages(readFileSync(file, 'utf8'))
			.filter((specifier) => bundledIntoServer.some((name) => specifier === name || specifier.startsWith(`${name}/`)))
			.map((specifier) => `${file}: ${specifier}`)
	);
	expect(found).toEqual([]);
	// The scan sees the imports it must: the server does import exceljs from node_modules.
	expect(files.some((file) => importedPackages(readFileSync(file, 'utf8')).includes('exceljs'))).toBe(true);
});
