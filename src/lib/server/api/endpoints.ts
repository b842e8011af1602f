/**
 * The read API (/api/v1), one entry per endpoint: its path, its parameters and its answer as zod
 * schemas, and how it reads. The same schemas check every request and every answer (`handler.ts`)
 * and make the OpenAPI description (`openapi.ts`), so the description cannot drift from the API.
 * Figures come from the same code as the pages (the portfolio, the monthly summary), for the same
 * moment: `asOf` is the day the figures are for (today, live, unless a past day is asked for).
 */
import { z } from 'zod';
import { endOfSuzhouDay, type CalendarDate } from '$lib/dates';
import { m } from '$lib/i18n';
import { lights } from '$lib/lights';
import { paces } from '$lib/progress';
import { parseViewMoment } from '$lib/view-moment';
import { visibleControls } from '$lib/visible-text';
import type { Tx } from '../db';
import { theme, unit } from '../db/schema';
import { eq } from 'drizzle-orm';
import { itemState } from '../item-state';
import { hasSummary } from '../monthly/summary';
import { summaryPage } from '../monthly/summary-page';
import { listInitiatives, type InitiativeSummary } from '../portfolio';
import { listUnits } from '../units';
import type { ApiScope } from './tokens';

export class ApiError extends Error {
	constructor(
		readonly status: 400 | 403 | 404,
		readonly code: string,
		message: string
	) {
		// A code or a value the caller sent, named in the message, shown as it is (`visibleControls`).
		super(visibleControls(message));
	}
}

/** What is wrong with one parameter: its name (as sent, at most 50 characters; an empty one as "") and the rule it breaks. */
export const paramIssue = (name: string, rule: string) => m.api_param_issue({ name: name === '' ? '""' : name.slice(0, 50), rule });

/** A parameter that is well formed but names nothing there is (a theme code, a unit id). */
const badParameter = (name: string, rule: string) =>
	new ApiError(400, 'bad_request', m.api_bad_request({ detail: paramIssue(name, rule) }));

const asOfParam = z
	.string()
	.max(20)
	.optional()
	.meta({ description: '查看时点：过去的某一天（YYYY-MM-DD），数据为该日结束时的状态；不填为当前。' });
/** A whole number as a query gives one: digits only (`1e2`, `0x10`, ` 12` name no page, though JavaScript reads them as numbers). */
export const DIGITS = /^\d+$/;
const wholeNumber = (min: number, max: number) => z.string().regex(DIGITS).transform(Number).pipe(z.number().int().min(min).max(max));

const page = wholeNumber(1, 100_000).default(1).meta({ description: '页码，从 1 开始' });
const pageSize = wholeNumber(1, 500).default(100).meta({ description: '每页条数，1–500' });

const unitRef = z.object({ id: z.number().int(), name: z.string() });
const itemOut = z.object({
	code: z.string().meta({ description: '任务编号' }),
	title: z.string(),
	theme: z.object({ code: z.string(), name: z.string() }),
	leadUnit: unitRef.nullable().meta({ description: '牵头单位' }),
	coUnitIds: z.array(z.number().int()).meta({ description: '配合单位' }),
	leader: z.string().nullable().meta({ description: '责任领导' }),
	status: z.enum(['active', 'completed', 'cancelled']),
	startOn: z.string().nullable(),
	dueOn: z.string().nullable().meta({ description: '完成时限' }),
	light: z.enum(lights).meta({ description: '亮灯：green 绿灯、yellow 黄灯、red 红灯' }),
	pace: z.enum(paces).meta({ description: '进度：done 已完成、ahead 超前、on_pace 正常、behind 滞后、not_started 未开始' }),
	progress: z.number().min(0).max(1).meta({ description: '实际进度，0–1（已完成节点的权重占比）' }),
	expected: z.number().min(0).max(1).meta({ description: '序时进度，0–1' }),
	overdueMilestones: z.number().int().meta({ description: '逾期未完成的节点数' })
});
const milestoneOut = z.object({
	id: z.number().int(),
	title: z.string(),
	dueOn: z.string(),
	weight: z.number(),
	completedOn: z.string().nullable(),
	evidence: z.string().nullable()
});
const reportOut = z.object({
	month: z.string(),
	progress: z.string().meta({ description: '进展情况' }),
	problems: z.string().meta({ description: '存在问题' }),
	nextSteps: z.string().meta({ description: '下步打算' }),
	submittedAt: z.string().nullable(),
	reviewedAt: z.string().nullable()
});
const moment = {
	asOf: z.string().meta({ description: '数据对应的日期（苏州时间）' }),
	live: z.boolean().meta({ description: '是否为当前数据' })
};
const paged = { page: z.number().int(), pageSize: z.number().int(), total: z.number().int() };
const countOut = z.object({ key: z.string(), label: z.string(), count: z.number().int(), share: z.number() });

export type ApiContext = { db: Tx; scope: ApiScope; today: CalendarDate };

type Endpoint = {
	/** The OpenAPI path under /api/v1, with {params}. */
	path: string;
	summary: string;
	description: string;
	params: z.ZodObject;
	query: z.ZodObject;
	response: z.ZodType;
	/** Refused to a unit's key: the figures are the city's. */
	cityOnly?: boolean;
	run: (ctx: ApiContext, input: { params: Record<string, unknown>; query: Record<string, unknown> }) => unknown;
};

function momentOf(raw: unknown, today: CalendarDate) {
	const parsed = parseViewMoment(typeof raw === 'string' ? raw : null, today);
	if (!parsed.ok) throw new ApiError(400, 'invalid_as_of', parsed.message);
	return parsed.moment;
}

/** Whether a key of `scope` may read the item: the city's reads all, a unit's the items it leads or co-owns. */
const inScope = (scope: ApiScope, item: Pick<InitiativeSummary, 'leadUnitId' | 'coUnitIds'>) =>
	scope.unitId === null || item.leadUnitId === scope.unitId || item.coUnitIds.includes(scope.unitId);

function itemOf(i: InitiativeSummary): z.infer<typeof itemOut> {
	return {
		code: i.code,
		title: i.title,
		theme: { code: i.themeCode, name: i.themeName },
		leadUnit: i.leadUnitId === null ? null : { id: i.leadUnitId, name: i.leadUnitName ?? '' },
		coUnitIds: i.coUnitIds,
		leader: i.leader,
		status: i.status,
		startOn: i.startOn,
		dueOn: i.dueOn,
		light: i.light,
		pace: i.pace,
		progress: i.actual,
		expected: i.expected,
		overdueMilestones: i.overdueMilestones
	};
}

/** The item `code` as of the moment, when the key may read it; otherwise not found (its existence is not told). */
function scopedItem(ctx: ApiContext, code: string, raw: unknown) {
	const { date, asOf } = momentOf(raw, ctx.today);
	const item = listInitiatives(ctx.db, date, asOf !== null).find((i) => i.code === code);
	if (!item || !inScope(ctx.scope, item)) throw new ApiError(404, 'not_found', m.api_item_not_found({ code: code.slice(0, 40) }));
	return { item, date, asOf };
}

/** One page of a list, and where it stands in the whole (`paged` in the answers' schemas). */
function pageOf<T>(list: T[], q: { page: number; pageSize: number }) {
	const from = (q.page - 1) * q.pageSize;
	return { page: q.page, pageSize: q.pageSize, total: list.length, rows: list.slice(from, from + q.pageSize) };
}

const codeParam = z.object({ code: z.string().max(40).meta({ description: '任务编号，如 YRD-01' }) });

export const endpoints: Endpoint[] = [
	{
		path: '/items',
		summary: '重点任务列表',
		description: '任务及其亮灯、进度，按目录顺序分页。单位密钥只返回该单位牵头或配合的任务。',
		params: z.object({}),
		query: z.object({
			asOf: asOfParam,
			theme: z.string().max(20).optional().meta({ description: '类别代码，如 YRD' }),
			unit: wholeNumber(1, 1e9).optional().meta({ description: '牵头单位 id（见 /units）' }),
			light: z.enum(lights).optional(),
			status: z.enum(['active', 'completed', 'cancelled']).optional(),
			page,
			pageSize
		}),
		response: z.object({ ...moment, ...paged, items: z.array(itemOut) }),
		run: ({ db, scope, today }, { query }) => {
			const { date, asOf } = momentOf(query.asOf, today);
			const q = query as { theme?: string; unit?: number; light?: string; status?: string; page: number; pageSize: number };
			// A code or an id that names nothing is a mistake to be told, not a filter that matches nothing.
			const themeCodes = db
				.select({ code: theme.code })
				.from(theme)
				.orderBy(theme.position)
				.all()
				.map((t) => t.code);
			if (q.theme !== undefined && !themeCodes.includes(q.theme))
				throw badParameter('theme', m.api_param_no_theme({ codes: themeCodes.join(', ') }));
			if (q.unit !== undefined && !db.select({ id: unit.id }).from(unit).where(eq(unit.id, q.unit)).get())
				throw badParameter('unit', m.api_param_no_unit());
			const all = listInitiatives(db, date, asOf !== null).filter(
				(i) =>
					inScope(scope, i) &&
					(q.theme === undefined || i.themeCode === q.theme) &&
					(q.unit === undefined || i.leadUnitId === q.unit) &&
					(q.light === undefined || i.light === q.light) &&
					(q.status === undefined || i.status === q.status)
			);
			const { rows, ...pages } = pageOf(all, q);
			return { asOf: date, live: asOf === null, ...pages, items: rows.map(itemOf) };
		}
	},
	{
		path: '/items/{code}',
		summary: '一项任务及其时间节点',
		description: '任务的亮灯、进度和全部时间节点（已删除的节点不列出）。',
		params: codeParam,
		query: z.object({ asOf: asOfParam }),
		response: z.object({ ...moment, item: itemOut.extend({ milestones: z.array(milestoneOut) }) }),
		run: (ctx, { params, query }) => {
			const { item, date, asOf } = scopedItem(ctx, params.code as string, query.asOf);
			// The item's own records (the portfolio already evaluated it): no second evaluation.
			const detail = itemState(ctx.db, item.id, asOf !== null ? endOfSuzhouDay(date) : null)!;
			const milestones = detail.milestones.map((ms) => ({
				id: ms.id,
				title: ms.title,
				dueOn: ms.dueOn,
				weight: ms.weight,
				completedOn: ms.completedOn,
				evidence: ms.evidence
			}));
			return { asOf: date, live: asOf === null, item: { ...itemOf(item), milestones } };
		}
	},
	{
		path: '/items/{code}/reports',
		summary: '一项任务审核通过的月度进展',
		description: '只列出督查室审核通过的月报，新月份在前；草稿、待审核和退回的不公开。',
		params: codeParam,
		query: z.object({ asOf: asOfParam, page, pageSize }),
		response: z.object({ ...moment, ...paged, reports: z.array(reportOut) }),
		run: (ctx, { params, query }) => {
			const { item, date, asOf } = scopedItem(ctx, params.code as string, query.asOf);
			const q = query as { page: number; pageSize: number };
			const detail = itemState(ctx.db, item.id, asOf !== null ? endOfSuzhouDay(date) : null)!;
			const approved = detail.reports
				.filter((r) => r.status === 'approved')
				.sort((a, b) => b.month.localeCompare(a.month))
				.map((r) => ({
					month: r.month,
					progress: r.progress,
					problems: r.problems,
					nextSteps: r.nextSteps,
					submittedAt: r.submittedAt,
					reviewedAt: r.reviewedAt
				}));
			const { rows, ...pages } = pageOf(approved, q);
			return { asOf: date, live: asOf === null, ...pages, reports: rows };
		}
	},
	{
		path: '/units',
		summary: '单位列表',
		description: '全部单位（牵头和配合单位），按单位顺序。',
		params: z.object({}),
		query: z.object({}),
		response: z.object({ ...moment, units: z.array(unitRef) }),
		run: ({ db, today }) => ({ asOf: today, live: true, units: listUnits(db) })
	},
	{
		path: '/summary/{month}',
		summary: '月报汇总',
		description: '一个月的汇总数字，与“月报”页相同：已结束的月份为该月最后一天的状态，永不改变。',
		params: z.object({ month: z.string().max(10).meta({ description: '月份，YYYY-MM' }) }),
		query: z.object({}),
		cityOnly: true,
		response: z.object({
			...moment,
			month: z.string(),
			closed: z.boolean().meta({ description: '该月是否已结束' }),
			dueOn: z.string().meta({ description: '该月进展报送截止日（该月月底时有效的截止日）' }),
			total: z.number().int(),
			lights: z.array(countOut),
			paces: z.array(countOut),
			milestonesMet: z.number().int(),
			milestonesMetEarlier: z.number().int().meta({ description: '完成节点中补报此前月份完成的个数' }),
			milestonesMissed: z.number().int(),
			completed: z.number().int(),
			reportsMissing: z.number().int(),
			dueNextMonth: z.number().int(),
			units: z.array(
				z.object({
					unit: z.string(),
					items: z.number().int(),
					closed: z.number().int(),
					overdue: z.number().int(),
					closureRate: z.number(),
					onTimeRate: z
						.number()
						.nullable()
						.meta({ description: '按时报送率：首次报送不晚于截止日的应报送任务占比；无应报送任务（含本月截止日前）为 null' })
				})
			)
		}),
		run: ({ db, today }, { params }) => {
			const month = params.month as string;
			if (!hasSummary(month, today)) throw new ApiError(400, 'invalid_month', m.api_month_invalid({ month: month.slice(0, 10) }));
			const { report, counts } = summaryPage(db, month, today, 'theme');
			return {
				asOf: report.asOf,
				live: !report.closed,
				month,
				closed: report.closed,
				dueOn: report.dueOn,
				total: report.summary.total,
				lights: report.summary.lights,
				paces: report.summary.paces,
				milestonesMet: report.summary.milestonesMet,
				milestonesMetEarlier: report.summary.milestonesMetEarlier,
				milestonesMissed: report.summary.milestonesMissed,
				completed: counts.completed,
				reportsMissing: counts.reportsMissing,
				dueNextMonth: counts.dueNextMonth,
				units: report.units.map(({ unit, items, closed, overdue, closureRate, onTimeRate }) => ({
					unit,
					items,
					closed,
					overdue,
					closureRate,
					onTimeRate
				}))
			};
		}
	}
];

/** The endpoint for a path under /api/v1 (as SvelteKit decoded it), with its path parameters. */
export function endpointFor(path: string): { endpoint: Endpoint; params: Record<string, string> } | null {
	const parts = path.split('/').filter(Boolean);
	for (const endpoint of endpoints) {
		const pattern = endpoint.path.split('/').filter(Boolean);
		if (pattern.length !== parts.length) continue;
		const params: Record<string, string> = {};
		if (pattern.every((p, i) => (p.startsWith('{') ? ((params[p.slice(1, -1)] = parts[i]), true) : p === parts[i])))
			return { endpoint, params };
	}
	return null;
}
