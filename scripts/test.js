#!/usr/bin/env node
// `npm test`: the interface messages compiled, formatting and type checks, unit and query tests (vitest),
// the production build, and the browser tests (Playwright in Chromium). Ends with one plain line
// `N passed, N failed` over all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const tally = { passed: 0, failed: 0 };
const failures = [];

function run(name, command, args) {
	console.log(`\n── ${name}: ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
	return result.status === 0;
}

/** Where to read more about a failed step, beside its output above. */
const logs = {
	'unit and query tests': 'the vitest output above; every result in test-results/unit.json',
	'browser tests':
		'the Playwright output above; every result in test-results/e2e.json, screenshots and page snapshots of each failure in test-results/playwright/'
};
const failed = (name) =>
	failures.push(logs[name] ? `${name} (see ${logs[name]})` : `${name} (see its output above, after the line "── ${name}")`);

/** A step that is one check: it passes or fails as a whole. */
function check(name, command, args) {
	const ok = run(name, command, args);
	tally[ok ? 'passed' : 'failed'] += 1;
	if (!ok) failed(name);
	return ok;
}

/** A step whose runner reports its own test counts in a JSON file. */
function suite(name, command, args, reportFile, count) {
	rmSync(reportFile, { force: true });
	const ok = run(name, command, args);
	if (!existsSync(reportFile)) {
		tally.failed += 1;
		failures.push(`${name} (no report)`);
		return;
	}
	const counts = count(JSON.parse(readFileSync(reportFile, 'utf8')));
	tally.passed += counts.passed;
	tally.failed += counts.failed;
	if (counts.failed > 0 || !ok) {
		failed(name);
		if (counts.failed === 0) tally.failed += 1; // the runner failed outside any test
	}
}

mkdirSync('test-results', { recursive: true });

check('messages', 'node', ['scripts/i18n.js']);
check('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
// svelte-kit sync writes .svelte-kit/tsconfig.json, which tsconfig.json extends (npm install's
// prepare runs it too; a checkout whose node_modules came another way has not).
check('types', 'sh', ['-c', 'npx svelte-kit sync && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings']);

suite(
	'unit and query tests',
	'npx',
	['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json'],
	'test-results/unit.json',
	(r) => ({ passed: r.numPassedTests, failed: r.numFailedTests })
);

if (check('production build', 'npx', ['vite', 'build', '--logLevel', 'warn'])) {
	suite('browser tests', 'npx', ['playwright', 'test'], 'test-results/e2e.json', (r) => ({
		passed: r.stats.expected + r.stats.flaky,
		failed: r.stats.unexpected
	}));
} else {
	failures.push('browser tests (not run: the build failed)');
	tally.failed += 1;
}

if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed > 0 ? 1 : 0);
