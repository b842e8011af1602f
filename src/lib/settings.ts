/**
 * Thresholds of the rules. These are local habits of supervision offices, not a national standard
 * (see docs/domain.md), so every one is a setting; these are the defaults.
 */
export type RuleSettings = {
	/** Day of the month by which the month's report is due (填报截止日). */
	reportDueDay: number;
	/** A due date this many days away or fewer, not met, gives a yellow light. */
	deadlineWarningDays: number;
	/** Points (0–100) behind 序时进度 from which the pace light turns yellow… */
	paceYellowPoints: number;
	/** …and above which it turns red. */
	paceRedPoints: number;
	/** Consecutive missed monthly reports that give a yellow, and a red, light. */
	missedReportsYellow: number;
	missedReportsRed: number;
	/** A leader's instruction (批示件) that names no deadline is answered within this many working days (source intake). */
	instructionReplyDays: number;
	/** A deputy's or member's proposal (建议提案) that names no deadline is answered within this many months of its date. */
	proposalReplyMonths: number;
};

export const defaultRuleSettings: RuleSettings = {
	reportDueDay: 25,
	deadlineWarningDays: 3,
	paceYellowPoints: 10,
	paceRedPoints: 30,
	missedReportsYellow: 1,
	missedReportsRed: 2,
	instructionReplyDays: 10,
	// The national rules for deputies' proposals: answered within three months of being assigned.
	proposalReplyMonths: 3
};
