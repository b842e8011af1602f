/** Everything the rules say about one item on one date, in one call. */
import type { CalendarDate } from './dates';
import { lightOf, type Light, type LightInput } from './lights';
import { actualProgress, expectedProgress, paceOf, type Pace } from './progress';
import type { RuleSettings } from './settings';

export type Evaluation = {
	/** Actual progress, 0–1. */
	actual: number;
	/** 序时进度, 0–1. */
	expected: number;
	pace: Pace;
	light: Light;
};

export function evaluate(input: LightInput, date: CalendarDate, settings: RuleSettings): Evaluation {
	return {
		actual: actualProgress(input.milestones, date),
		expected: expectedProgress(input.milestones, date),
		pace: paceOf(input.item, input.milestones, date),
		light: lightOf(input, date, settings)
	};
}
