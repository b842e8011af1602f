/**
 * Shutdown: SIGTERM while requests are in flight (reports being submitted, a monthly summary being
 * exported). Every request sent before the signal must be answered, the process must exit 0 with the
 * database closed cleanly (WAL checkpointed and removed), every acknowledged write must be there,
 * and a session signed in before must still be signed in after the restart.
 */
import { existsSync, statSync } from 'node:fs';
import { addMonthsToMonth, monthOf, suzhouToday } from '$lib/dates';
import { copyOfTemplate } from './fixtures';
import { databaseProblems } from './checks';
import type { Drill } from './drill';
import { AppServer, Client, sleep } from './server';
import { ReportWorkload } from './workload';

const RUNS = 5;
const EXPORTS = 4;

export const shutdownDrill: Drill = async ({ template, dir, port, random }) => {
	const server = new AppServer(copyOfTemplate(template, dir, 'shutdown'), port);
	await server.start();
	const workload = new ReportWorkload(server, random, 'shutdown');
	await workload.prepare();
	const leader = await new Client(server).signIn('leader');
	const lastMonth = addMonthsToMonth(monthOf(suzhouToday()), -1);
	const problems: string[] = [];
	let answeredInFlight = 0;
	const stopSeconds: number[] = [];
	for (let run = 1; run <= RUNS; run++) {
		if (!server.running) await server.start();
		const started = performance.now();
		const stop = { stopped: false };
		const writing = workload.run(stop);
		const exports = Array.from({ length: EXPORTS }, () => leader.get(`/reports/${lastMonth}/export/xlsx`).catch((e: Error) => e));
		await sleep(random.int(50, 400));
		const signalled = performance.now();
		const exit = server.stop('SIGTERM');
		const answers = await Promise.all(exports);
		stop.stopped = true;
		await writing;
		const { code, signal } = await exit;
		stopSeconds.push((performance.now() - signalled) / 1000);
		for (const answer of answers) {
			if (answer instanceof Error) problems.push(`run ${run}: an export in flight was cut off (${answer.message})`);
			else if (answer.status !== 200) problems.push(`run ${run}: an export in flight answered ${answer.status}`);
			else answeredInFlight++;
		}
		// Writers keep sending until they see the server gone; a request sent after the signal may be
		// refused a connection, but none sent before it may be cut off.
		const cutOff = workload.tally.lostSentAt.filter((at) => at < signalled && at > started).length;
		if (cutOff) problems.push(`run ${run}: ${cutOff} submissions sent before the signal got no answer`);
		if (code !== 0) problems.push(`run ${run}: the server exited with ${code ?? signal}`);
		const wal = `${server.databasePath}-wal`;
		if (existsSync(wal) && statSync(wal).size > 0) problems.push(`run ${run}: the WAL was left behind (${statSync(wal).size} bytes)`);
		problems.push(...[...databaseProblems(server.databasePath), ...workload.losses(server.databasePath)].map((p) => `run ${run}: ${p}`));
	}
	await server.start();
	const still = await leader.get('/');
	const sessionKept = still.status === 200;
	if (!sessionKept) problems.push(`a session from before the restarts answers ${still.status} (${still.location ?? ''})`);
	await server.stop('SIGTERM');
	return {
		drill: 'Shutdown (SIGTERM in flight)',
		runs: RUNS,
		problems,
		figures:
			`${answeredInFlight} of ${RUNS * EXPORTS} exports in flight answered 200; ${workload.tally.acknowledged} writes acknowledged and kept; ` +
			`exit after the signal: max ${Math.max(...stopSeconds).toFixed(2)} s; a session from before ${sessionKept ? 'still signed in' : 'lost'} after ${RUNS} restarts`
	};
};
