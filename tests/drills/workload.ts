/**
 * The write workload of the crash, backup and shutdown drills: staff of six units submit monthly
 * reports (each with a milestone met now and then) on the drill items, one (item, month) each, while
 * the office approves what was submitted. Every request and its answer is remembered, so that the
 * database can be checked afterwards against what the server acknowledged.
 */
import type { Random } from '$lib/server/demo/random';
import { drillItems, reportableMonths, type DrillItem } from './fixtures';
import { openReadOnly } from './checks';
import { Client, sleep, type AppServer } from './server';

type Sent = { item: DrillItem; month: string; token: string; milestoneIds: number[] };
export type Tally = {
	acknowledged: number;
	refused: number;
	lost: number;
	/** When each request that got no answer was sent (performance.now()). */
	lostSentAt: number[];
	serverErrors: string[];
};

export class ReportWorkload {
	private queues = new Map<string, Sent[]>();
	private staff = new Map<string, Client>();
	private office: Client;
	/** Every submission sent, by `item-month`; each slot is sent at most once. */
	readonly sent = new Map<string, Sent>();
	/** Submissions the server answered with success, and the instant the answer arrived. */
	readonly acknowledged = new Map<string, number>();
	readonly approved = new Map<number, number>();
	readonly tally: Tally = { acknowledged: 0, refused: 0, lost: 0, lostSentAt: [], serverErrors: [] };

	constructor(
		private server: AppServer,
		private random: Random,
		private label: string
	) {
		this.office = new Client(server);
	}

	/** Signs the clients in and lays out the slots (run with the server up). */
	async prepare() {
		const client = openReadOnly(this.server.databasePath);
		const items = drillItems(client);
		client.close();
		const months = reportableMonths();
		for (const item of items) {
			if (!this.staff.has(item.staff)) this.staff.set(item.staff, await new Client(this.server).signIn(item.staff));
			const queue = this.queues.get(item.staff) ?? [];
			months.forEach((month, i) => {
				// Milestone k is reported met in month 3k only, so no two reports claim the same one.
				const k = i % 3 === 0 ? i / 3 : -1;
				const milestoneIds = k >= 0 && k < item.milestoneIds.length ? [item.milestoneIds[k]] : [];
				queue.push({ item, month, token: `${this.label} ${item.code} ${month} ${this.random.int(0, 1e9)}`, milestoneIds });
			});
			this.queues.set(item.staff, queue);
		}
		for (const queue of this.queues.values()) shuffle(queue, this.random);
		await this.office.signIn('supervisor');
	}

	/** Submits and approves until `stop.stopped` or the server stops answering. */
	async run(stop: { stopped: boolean }) {
		await Promise.all([
			...[...this.staff].map(([username, client]) => this.submitLoop(client, this.queues.get(username)!, stop)),
			this.approveLoop(stop)
		]);
	}

	private async submitLoop(client: Client, queue: Sent[], stop: { stopped: boolean }) {
		while (!stop.stopped && queue.length) {
			const slot = queue.pop()!;
			const key = `${slot.item.id}-${slot.month}`;
			this.sent.set(key, slot);
			const form: Record<string, string> = { intent: 'submit', version: '', progress: slot.token, problems: '无', nextSteps: '按计划推进' };
			for (const id of slot.milestoneIds)
				Object.assign(form, { [`met-${id}`]: 'on', [`date-${id}`]: `${slot.month}-10`, [`evidence-${id}`]: '演练佐证' });
			const outcome = await this.attempt(() => client.post(`/initiatives/${slot.item.code}/report/${slot.month}`, form));
			if (outcome === 'ok') this.acknowledged.set(key, Date.now());
			if (outcome === 'lost') return;
		}
	}

	/** The office works from its review page (/reviews), as a person does, approving what is listed. */
	private async approveLoop(stop: { stopped: boolean }) {
		const listed = /name="reportId" value="(\d+)"\s*\/?>\s*<input type="hidden" name="version" value="(\d+)"/g;
		while (!stop.stopped) {
			let page: string;
			try {
				page = (await this.office.get('/reviews')).body;
			} catch {
				return; // the server is gone
			}
			const pending = [...new Map([...page.matchAll(listed)].map((m) => [m[1], m[2]]))].slice(0, 10);
			if (!pending.length) await sleep(20);
			for (const [reportId, version] of pending) {
				if (stop.stopped) return;
				const outcome = await this.attempt(() => this.office.post('/reviews?/approve', { reportId, version }));
				if (outcome === 'ok') this.approved.set(Number(reportId), Date.now());
				if (outcome === 'lost') return;
			}
		}
	}

	private async attempt(request: () => Promise<{ status: number; body: string }>): Promise<'ok' | 'refused' | 'lost'> {
		const sentAt = performance.now();
		try {
			const answer = await request();
			if (answer.status === 303) {
				this.tally.acknowledged++;
				return 'ok';
			}
			if (answer.status >= 500) this.tally.serverErrors.push(`${answer.status}: ${answer.body.slice(0, 200)}`);
			else this.tally.refused++;
			return 'refused';
		} catch {
			this.tally.lost++; // the connection broke: the server was killed or stopped
			this.tally.lostSentAt.push(sentAt);
			return 'lost';
		}
	}

	/**
	 * What the database at `path` lacks of what was acknowledged up to `until` (all by default),
	 * and any submission stored only in part. Empty when everything is there.
	 */
	losses(path: string, until = Infinity): string[] {
		const client = openReadOnly(path);
		try {
			const reportAt = client.prepare('SELECT id, progress, status FROM progress_report WHERE initiative_id = ? AND month = ?');
			const metOf = client.prepare('SELECT milestone_id FROM report_milestone WHERE report_id = ? ORDER BY milestone_id').pluck();
			const statusOf = client.prepare('SELECT status FROM progress_report WHERE id = ?').pluck();
			const problems: string[] = [];
			for (const [key, slot] of this.sent) {
				const report = reportAt.get(slot.item.id, slot.month) as { id: number; progress: string; status: string } | undefined;
				const ackedAt = this.acknowledged.get(key);
				if (!report) {
					if (ackedAt !== undefined && ackedAt <= until) problems.push(`acknowledged report ${key} missing`);
					continue;
				}
				if (report.progress !== slot.token) problems.push(`report ${key} holds another text`);
				const met = metOf.all(report.id) as number[];
				if (met.join() !== [...slot.milestoneIds].sort((a, b) => a - b).join())
					problems.push(`report ${key} stored without its milestones`);
			}
			for (const [id, at] of this.approved) {
				if (at <= until && statusOf.get(id) !== 'approved') problems.push(`acknowledged approval of report ${id} missing`);
			}
			return problems;
		} finally {
			client.close();
		}
	}
}

function shuffle<T>(items: T[], random: Random) {
	for (let i = items.length - 1; i > 0; i--) {
		const j = random.int(0, i);
		[items[i], items[j]] = [items[j], items[i]];
	}
}
