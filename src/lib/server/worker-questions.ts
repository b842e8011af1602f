/**
 * A worker thread asked questions one after another and answering each by its number: the server's
 * side (`askWorker`: started at the first question, started again after it failed or ended, every
 * question then waiting rejected) and the worker's (`answerQuestions`). The past-days worker and the
 * export worker speak it; what they ask and answer is theirs.
 */
import { parentPort, Worker, type TransferListItem } from 'node:worker_threads';

type Question<Q> = { id: number; question: Q };
type Reply<A> = { id: number; answer: A } | { id: number; error: string };

/** Asks the worker of the module at `url` (given `workerData`) one question at a time; `stop` ends it. */
export function askWorker<Q, A>(url: URL, workerData: unknown): { ask(question: Q): Promise<A>; stop(): Promise<void> } {
	let worker: Worker | null = null;
	let asked = 0;
	const waiting = new Map<number, { resolve: (answer: A) => void; reject: (error: Error) => void }>();
	const start = () => {
		const started = new Worker(url, { workerData });
		started.unref();
		started.on('message', (reply: Reply<A>) => {
			const asker = waiting.get(reply.id);
			waiting.delete(reply.id);
			if ('answer' in reply) asker?.resolve(reply.answer);
			else asker?.reject(new Error(reply.error));
		});
		// A worker that failed or ended: the questions asked of it are answered elsewhere (by the caller), the next starts another.
		const lost = (error: Error) => {
			if (worker === started) worker = null;
			for (const asker of waiting.values()) asker.reject(error);
			waiting.clear();
		};
		started.on('error', lost);
		started.on('exit', (code) => lost(new Error(`the worker ended (${code})`)));
		return started;
	};
	return {
		ask: (question) =>
			new Promise((resolve, reject) => {
				worker ??= start();
				const id = ++asked;
				waiting.set(id, { resolve, reject });
				worker.postMessage({ id, question } satisfies Question<Q>);
			}),
		stop: async () => {
			await worker?.terminate();
		}
	};
}

/** In the worker: answers each question as it comes (`moved`: what of an answer is moved, not copied, to the server's side). */
export function answerQuestions<Q, A>(answer: (question: Q) => A | Promise<A>, moved: (answer: A) => TransferListItem[] = () => []): void {
	parentPort!.on('message', async ({ id, question }: Question<Q>) => {
		let reply: Reply<A>;
		let transfer: TransferListItem[] = [];
		try {
			const value = await answer(question);
			reply = { id, answer: value };
			transfer = moved(value);
		} catch (error) {
			reply = { id, error: error instanceof Error ? error.message : String(error) };
		}
		parentPort!.postMessage(reply, transfer);
	});
}
