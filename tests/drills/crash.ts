/**
 * Crash: staff submit reports and the office approves them while the server is killed with SIGKILL
 * at random moments and restarted. Every acknowledged write must survive, and the database must be
 * sound after each restart.
 */
import { copyOfTemplate } from './fixtures';
import { databaseProblems } from './checks';
import { median, type Drill } from './drill';
import { AppServer, sleep } from './server';
import { ReportWorkload } from './workload';

const KILLS = 24;

export const crashDrill: Drill = async ({ template, dir, port, random }) => {
	const server = new AppServer(copyOfTemplate(template, dir, 'crash'), port);
	const restarts: number[] = [];
	const problems: string[] = [];
	await server.start();
	const workload = new ReportWorkload(server, random, 'crash');
	await workload.prepare();
	let kills = 0;
	for (; kills < KILLS; kills++) {
		if (!server.running) {
			restarts.push(await server.start());
			// After each recovery the database is sound and holds what was acknowledged so far.
			for (const p of [...databaseProblems(server.databasePath), ...workload.losses(server.databasePath)])
				problems.push(`after kill ${kills}: ${p}`);
		}
		const stop = { stopped: false };
		const running = workload.run(stop);
		await sleep(random.int(100, 1000));
		await server.stop('SIGKILL');
		stop.stopped = true;
		await running;
	}
	restarts.push(await server.start());
	await server.stop('SIGTERM');
	const losses = workload.losses(server.databasePath);
	problems.push(...databaseProblems(server.databasePath), ...losses);
	problems.push(...workload.tally.serverErrors.map((e) => `server error: ${e}`));
	const t = workload.tally;
	return {
		drill: 'Crash (SIGKILL while writing)',
		runs: kills,
		problems,
		figures:
			`${kills} kills; ${t.acknowledged} writes acknowledged (${workload.acknowledged.size} reports, ${workload.approved.size} approvals), ${losses.length ? `${losses.length} lost` : 'all present'}; ` +
			`${t.lost} cut off by a kill; ${t.refused} refused; restart to first 200: median ${median(restarts).toFixed(2)} s`
	};
};
