/**
 * What the supervision office does to items and milestones (立项, editing, removal). Removal of a
 * milestone is recorded (it stays, marked removed), never a silent delete.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { locateQuote } from '$lib/source-text';
import type { Db, Tx } from '../db';
import { initiative, milestone, source, theme, unit } from '../db/schema';
import { calendarDate, optionalDate, optionalId, positiveWhole, text, versionField } from '../forms';
import { insertTracked, setCoUnits, updateTracked, type ChangeContext } from '../history';
import { expectVersion, WorkflowError } from './errors';

const coUnitIds = z
	.union([z.string(), z.array(z.string())])
	.optional()
	.transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
	.pipe(
		z
			.array(
				z
					.string()
					.regex(/^\d{1,9}$/, '配合单位无效')
					.transform(Number)
			)
			.max(30, '配合单位过多')
	);

const itemFields = {
	title: text('任务名称', 80),
	themeId: positiveWhole('类别', 1e9),
	leadUnitId: optionalId('牵头单位'),
	coUnitIds,
	leader: z
		.string()
		.trim()
		.max(50, '责任领导不能超过 50 字')
		.transform((v) => v || null),
	startOn: optionalDate('开始日期'),
	dueOn: optionalDate('完成时限')
};

export const newItemSchema = z.object({
	code: z
		.string()
		.trim()
		.regex(/^[A-Z]{2,6}-\d{2,3}$/, '编号格式应为 类别代码-序号,例如 YRD-05'),
	sourceId: positiveWhole('任务来源', 1e9),
	quote: text('原文', 1000),
	...itemFields
});
export const itemChangeSchema = z.object({ version: versionField, ...itemFields });

export const milestoneSchema = z.object({
	title: text('节点名称', 100),
	dueOn: calendarDate('计划完成日期'),
	weight: positiveWhole('权重', 1000),
	position: z.coerce.number({ error: '顺序须为数字' }).int('顺序须为整数').min(0, '顺序不能为负').max(999, '顺序不能大于 999')
});
export const milestoneChangeSchema = milestoneSchema.extend({ version: versionField });

type ItemFields = Omit<z.infer<typeof itemChangeSchema>, 'version'>;

function checkItemFields(tx: Tx, fields: ItemFields) {
	if (!tx.select({ id: theme.id }).from(theme).where(eq(theme.id, fields.themeId)).get())
		throw new WorkflowError('themeId', '所选类别不存在。');
	const units = [fields.leadUnitId, ...fields.coUnitIds].filter((x): x is number => x !== null);
	const found = units.length ? tx.select({ id: unit.id }).from(unit).where(inArray(unit.id, units)).all().length : 0;
	if (found !== new Set(units).size) throw new WorkflowError('leadUnitId', '所选单位不存在。');
	if (fields.leadUnitId !== null && fields.coUnitIds.includes(fields.leadUnitId))
		throw new WorkflowError('coUnitIds', '牵头单位不能同时是配合单位。');
	if (fields.startOn && fields.dueOn && fields.dueOn < fields.startOn) throw new WorkflowError('dueOn', '完成时限不能早于开始日期。');
}

export function createItem(db: Db, input: z.infer<typeof newItemSchema>, ctx: ChangeContext) {
	return db.transaction((tx) => {
		checkItemFields(tx, input);
		if (tx.select({ id: initiative.id }).from(initiative).where(eq(initiative.code, input.code)).get())
			throw new WorkflowError('code', '该编号已被使用。');
		const doc = tx.select().from(source).where(eq(source.id, input.sourceId)).get();
		if (!doc) throw new WorkflowError('sourceId', '所选任务来源不存在。');
		const located = locateQuote(doc.body, input.quote);
		if (!located.ok) {
			throw new WorkflowError(
				'quote',
				located.reason === 'missing' ? '原文须逐字摘自任务来源(包括标点)。' : '这段原文在来源中出现多次,请多摘几个字以确定位置。'
			);
		}
		const position = tx.select({ id: initiative.id }).from(initiative).where(eq(initiative.themeId, input.themeId)).all().length;
		const { coUnitIds: co, quote, ...fields } = input;
		const row = insertTracked(
			tx,
			initiative,
			{ ...fields, sourceQuote: quote, quoteStart: located.span.start, quoteEnd: located.span.end, position },
			{ ...ctx, note: '立项' }
		);
		setCoUnits(tx, row.id, co, ctx);
		return row;
	});
}

export function updateItem(db: Db, initiativeId: number, input: z.infer<typeof itemChangeSchema>, ctx: ChangeContext) {
	return db.transaction((tx) => {
		const before = tx.select().from(initiative).where(eq(initiative.id, initiativeId)).get();
		if (!before) throw new WorkflowError('form', '该任务不存在。', 404);
		expectVersion(tx, 'initiative', before, input.version);
		const { version: _v, coUnitIds: co, ...fields } = input;
		checkItemFields(tx, input);
		const firstDue = tx
			.select({ dueOn: milestone.dueOn })
			.from(milestone)
			.where(and(eq(milestone.initiativeId, initiativeId)))
			.all()
			.filter((m) => m.dueOn)
			.map((m) => m.dueOn)
			.sort()[0];
		if (fields.startOn && firstDue && firstDue < fields.startOn)
			throw new WorkflowError('startOn', `已有时间节点在 ${firstDue} 到期,开始日期不能晚于它。`);
		updateTracked(tx, initiative, initiativeId, fields, ctx);
		setCoUnits(tx, initiativeId, co, ctx);
	});
}

function checkMilestoneDate(item: typeof initiative.$inferSelect, dueOn: string) {
	if (item.startOn && dueOn < item.startOn) throw new WorkflowError('dueOn', `计划完成日期不能早于任务开始日期 ${item.startOn}。`);
}

export function addMilestone(db: Db, initiativeId: number, input: z.infer<typeof milestoneSchema>, ctx: ChangeContext) {
	return db.transaction((tx) => {
		const item = tx.select().from(initiative).where(eq(initiative.id, initiativeId)).get();
		if (!item) throw new WorkflowError('form', '该任务不存在。', 404);
		checkMilestoneDate(item, input.dueOn);
		return insertTracked(tx, milestone, { initiativeId, ...input }, ctx);
	});
}

function ownMilestone(tx: Tx, initiativeId: number, milestoneId: number) {
	const row = tx
		.select()
		.from(milestone)
		.where(and(eq(milestone.id, milestoneId), eq(milestone.initiativeId, initiativeId)))
		.get();
	if (!row || row.removedAt !== null) throw new WorkflowError('form', '该时间节点不存在或已删除。', 404);
	return row;
}

export function updateMilestone(
	db: Db,
	initiativeId: number,
	milestoneId: number,
	input: z.infer<typeof milestoneChangeSchema>,
	ctx: ChangeContext
) {
	return db.transaction((tx) => {
		const row = ownMilestone(tx, initiativeId, milestoneId);
		expectVersion(tx, 'milestone', row, input.version);
		checkMilestoneDate(tx.select().from(initiative).where(eq(initiative.id, initiativeId)).get()!, input.dueOn);
		const { version: _v, ...fields } = input;
		return updateTracked(tx, milestone, milestoneId, fields, ctx);
	});
}

export function removeMilestone(db: Db, initiativeId: number, milestoneId: number, version: number, reason: string, ctx: ChangeContext) {
	if (!reason.trim()) throw new WorkflowError('reason', '删除时间节点须说明理由。');
	return db.transaction((tx) => {
		const row = ownMilestone(tx, initiativeId, milestoneId);
		expectVersion(tx, 'milestone', row, version);
		return updateTracked(tx, milestone, milestoneId, { removedAt: ctx.at }, { ...ctx, note: `删除节点:${reason.trim()}` });
	});
}
