/**
 * 来源类型: the kinds of document commitments come from. The kind decides how its text is read for
 * tasks: a speech or a work report states tasks clause by clause ("加快推进…，深化…"); minutes, an
 * instruction or a deputy's proposal assign them sentence by sentence ("X牵头，会同Y，于…前完成…").
 */
export const sourceKinds = ['speech', 'minutes', 'instruction', 'work_report', 'proposal', 'other'] as const;
export type SourceKind = (typeof sourceKinds)[number];

export function isSourceKind(value: string): value is SourceKind {
	return (sourceKinds as readonly string[]).includes(value);
}

/** Kinds whose clauses may each be a task (a speech's list of verbs); the others are read by sentence. */
export function readsClauses(kind: SourceKind): boolean {
	return kind === 'speech' || kind === 'work_report' || kind === 'other';
}
