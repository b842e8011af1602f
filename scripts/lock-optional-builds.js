#!/usr/bin/env node
// Adds to package-lock.json the other platforms' builds that a package lists as exact-version
// optional dependencies but that the lock lacks, so that `npm ci` accepts the lock.
//
//   node scripts/lock-optional-builds.js && npm install && npm ci
//
// Why: npm records every platform's optional build in the lock (each with its os and cpu), installs
// only the one for this machine, and `npm ci` checks the lock against the tree npm would build. When
// the registry has no manifest for another platform's build (the mirror this project is built
// against lacks @lix-js/sdk-darwin-arm64, -linux-arm64 and -win32-x64 at the version
// @lix-js/sdk pins), `npm install` drops it from the lock, and `npm ci` then finds an unresolved,
// versionless node that the lock does not list: "Missing: @lix-js/sdk-darwin-arm64@ from lock file".
// With the entry in the lock (its version, os and cpu; no integrity, which npm records where it
// downloads the package), npm resolves the dependency from the lock, skips it on other platforms
// without asking the registry, and `npm install` leaves the lock as it is.
//
// The os, cpu and libc come from the registry's manifest of that version, or, where the registry
// lacks that version, of the newest version it has. Run it again after upgrading the package that
// pins them (here @inlang/paraglide-js); it changes nothing when nothing is missing.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
const EXACT = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** The lock location that `name` resolves to from the package at `from`, or undefined. */
function resolve(from, name) {
	let at = from;
	for (;;) {
		const candidate = `${at ? `${at}/` : ''}node_modules/${name}`;
		if (packages[candidate]) return candidate;
		if (at === '') return undefined;
		at = at.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '');
	}
}

function manifest(name, version) {
	const view = (spec) =>
		JSON.parse(
			execFileSync('npm', ['view', spec, 'version', 'os', 'cpu', 'libc', '--json'], {
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'ignore']
			}) || 'null'
		);
	for (const spec of [`${name}@${version}`, name]) {
		try {
			const found = view(spec);
			if (found) return Array.isArray(found) ? found.at(-1) : found;
		} catch {
			// not in the registry: try the next
		}
	}
	throw new Error(`${name}: the registry has no manifest of it at all, so its os and cpu are unknown`);
}

const list = (value) => (value === undefined ? undefined : [value].flat());
const added = [];
for (const [location, entry] of Object.entries(packages)) {
	for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
		if (resolve(location, name)) continue;
		if (!EXACT.test(spec)) {
			throw new Error(`${location || 'the project'} wants ${name}@${spec}, a range: install it where the registry has it`);
		}
		const { os, cpu, libc, version } = manifest(name, spec);
		if (!os && !cpu) {
			throw new Error(`${name}@${version} names no os or cpu: it is not a platform build, install it instead`);
		}
		// Field order as npm writes it: version, then the rest in alphabetical order.
		const record = { version: spec };
		if (cpu) record.cpu = list(cpu);
		if (entry.dev) record.dev = true;
		if (libc) record.libc = list(libc);
		record.optional = true;
		if (os) record.os = list(os);
		packages[`node_modules/${name}`] = record;
		added.push(`${name}@${spec} (${list(os)?.join(',') ?? 'any os'} ${list(cpu)?.join(',') ?? 'any cpu'})`);
	}
}

if (added.length === 0) {
	console.log('lock-optional-builds: the lock lacks no optional platform build');
} else {
	const sorted = Object.keys(packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en')));
	lock.packages = Object.fromEntries(sorted.map((key) => [key, packages[key]]));
	writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
	console.log(`lock-optional-builds: added ${added.join(', ')}`);
}
