/** The command line as an operator runs it: `npm run cli -- …` on the database named by DATABASE_URL. */
import { spawn } from 'node:child_process';

export type CliResult = { code: number | null; output: string; seconds: number };

export function runCli(args: string[], databasePath: string): Promise<CliResult> {
	const started = performance.now();
	const child = spawn('npm', ['run', '--silent', 'cli', '--', ...args], {
		env: { ...process.env, DATABASE_URL: databasePath },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	return new Promise((resolve) =>
		child.once('exit', (code) => resolve({ code, output: output.trim(), seconds: (performance.now() - started) / 1000 }))
	);
}
