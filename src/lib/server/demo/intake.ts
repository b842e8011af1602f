/**
 * The demo's second source: a set of minutes (会议纪要) added by the office the way a new document
 * arrives, with its proposals waiting for review, so that the intake can be tried at once.
 */
import { readFileSync } from 'node:fs';
import type { Tx } from '../db';
import { addSourceIn } from '../intake/intake';
import { demoPath } from './generate';

const DEMO_MINUTES = 'minutes-2026-11-20.txt';

export function demoSource(tx: Tx, now: Date): void {
	addSourceIn(
		tx,
		{
			kind: 'minutes',
			title: '市政府第21次常务会议纪要',
			speaker: '市政府办公室',
			deliveredOn: '2026-11-20',
			body: readFileSync(demoPath(DEMO_MINUTES), 'utf8')
		},
		{ at: now.toISOString(), actorId: null, actorLabel: 'demo', actor: { system: 'demo' } }
	);
}
