/** What a drill gets and what it reports (one row of RELIABILITY.md). */
import type { Random } from '$lib/server/demo/random';

export type DrillContext = {
	/** The template database (demo data and drill items); copy it with copyOfTemplate. */
	template: string;
	/** A temporary folder of the drill's own. */
	dir: string;
	/** A free port on 127.0.0.1. */
	port: number;
	random: Random;
};

export type DrillResult = {
	drill: string;
	runs: number;
	/** Each problem found, in words; the drill passes when there is none. */
	problems: string[];
	/** The figures measured, in words, for the table. */
	figures: string;
};

export type Drill = (ctx: DrillContext) => Promise<DrillResult>;

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** The value `p` per cent of `values` are at or under (0 when there are none). */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}
