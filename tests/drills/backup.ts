/**
 * Backup and restore: `npm run cli -- backup FILE` while staff and the office keep writing, then
 * `npm run cli -- restore FILE`. The restore must refuse to replace the running database unless
 * told to; the restored copy must pass the checks, hold every write acknowledged before the backup
 * began, hold no write in part, have every evidence file it refers to with its hash, and serve.
 */
import { join } from 'node:path';
import { copyOfTemplate } from './fixtures';
import { databaseProblems } from './checks';
import { fileProblems } from '$lib/server/backup';
import { filesDirOf } from '$lib/server/evidence/store';
import { runCli } from './cli';
import { median, type Drill } from './drill';
import { AppServer, sleep } from './server';
import { ReportWorkload } from './workload';

const RUNS = 3;

export const backupDrill: Drill = async ({ template, dir, port, random }) => {
	const server = new AppServer(copyOfTemplate(template, dir, 'backup'), port);
	await server.start();
	const workload = new ReportWorkload(server, random, 'backup');
	await workload.prepare();
	const problems: string[] = [];
	const seconds: number[] = [];
	let writesDuring = 0;
	let refusals = 0;
	let restoredChecked = 0;
	for (let run = 1; run <= RUNS; run++) {
		const stop = { stopped: false };
		const running = workload.run(stop);
		await sleep(random.int(500, 1500));
		const began = Date.now();
		const acknowledgedBefore = workload.tally.acknowledged;
		const file = join(dir, `backup-${run}.tar`);
		const backup = await runCli(['backup', file], server.databasePath);
		writesDuring += workload.tally.acknowledged - acknowledgedBefore;
		await sleep(300);
		stop.stopped = true;
		await running;
		if (backup.code !== 0) {
			problems.push(`backup ${run} failed: ${backup.output}`);
			continue;
		}
		seconds.push(backup.seconds);

		const refused = await runCli(['restore', file], server.databasePath);
		if (refused.code === 0) problems.push(`restore ${run} replaced the running database without --force`);
		else refusals++;
		// Nor with it: the server would go on writing to the file replaced under it.
		const forced = await runCli(['restore', file, '--force'], server.databasePath);
		if (forced.code === 0) problems.push(`restore ${run} --force replaced the database the server holds open`);
		else refusals++;
		const restored = join(dir, `restored-${run}.db`);
		const restore = await runCli(['restore', file], restored);
		if (restore.code !== 0) {
			problems.push(`restore ${run} failed: ${restore.output}`);
			continue;
		}
		const found = [...databaseProblems(restored), ...fileProblems(restored, filesDirOf(restored)), ...workload.losses(restored, began)];
		problems.push(...found.map((p) => `restored copy ${run}: ${p}`));
		if (!found.length) restoredChecked++;
		if (run === RUNS) {
			const copy = new AppServer(restored, port + 1);
			await copy.start().then(
				() => copy.stop('SIGTERM'),
				(e: Error) => problems.push(`the restored database does not serve: ${e.message}`)
			);
		}
	}
	await server.stop('SIGTERM');
	problems.push(...workload.tally.serverErrors.map((e) => `server error: ${e}`));
	return {
		drill: 'Backup under load, restore',
		runs: RUNS,
		problems,
		figures:
			`backup median ${median(seconds).toFixed(1)} s (the command) with ${writesDuring} writes acknowledged during the backups; ` +
			`restore over the running database refused ${refusals} of ${RUNS * 2} times (without and with --force); ` +
			`${restoredChecked} of ${RUNS} restored copies sound and holding every write acknowledged before their backup began`
	};
};
