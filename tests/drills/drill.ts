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
