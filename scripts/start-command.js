// The Node.js options `npm start` runs the server with, read from package.json's "start" script
// ("node <options> scripts/start.js"), so that the drills, the benchmark and the guide's screenshots
// start the server exactly as `npm start` does, the options written in one place.
import { readFileSync } from 'node:fs';

/** The arguments after `node` in package.json's "start" script: its options, then scripts/start.js. */
export function startArguments() {
	const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
	const [node, ...args] = scripts.start.trim().split(/\s+/);
	if (node !== 'node' || args.at(-1) !== 'scripts/start.js')
		throw new Error(`package.json's start script is not "node … scripts/start.js": ${scripts.start}`);
	return args;
}
