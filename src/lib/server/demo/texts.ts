/** Wording of demo reports: plausible sentences in the register of a unit's monthly report. */
import { formatDate, formatMonth, type Month } from '$lib/dates';
import type { PlannedMilestone } from './plan';
import type { Random } from './random';

const steadyWork = [
	'召开专题推进会，梳理年度重点事项清单，明确责任分工和时间节点',
	'会同配合单位开展联合调研，形成阶段性工作报告',
	'推进重点项目建设，完成项目储备库更新',
	'组织开展政策宣传解读，指导基层单位落实相关举措',
	'建立周调度、月通报机制，跟踪督促各项任务落实',
	'完成相关统计数据归集分析，报送市领导参阅'
];

const problems = [
	'部分项目用地、资金等要素保障仍需加强',
	'跨部门、跨区域协调机制有待进一步完善',
	'个别重点项目前期手续办理进度慢于预期',
	'专业人才储备不足，推进力量相对薄弱',
	'受外部环境影响，部分指标完成存在不确定性'
];

export type ReportText = { progress: string; problems: string; nextSteps: string };

export function demoReportText(
	rng: Random,
	subject: string,
	month: Month,
	metThisMonth: PlannedMilestone[],
	next: PlannedMilestone | undefined,
	lagging: boolean
): ReportText {
	const met = metThisMonth.map((m) => `完成“${m.title}”节点，佐证材料已报送`);
	const progress = `${formatMonth(month, 'zh-CN')}，${subject}工作有序推进：${[rng.pick(steadyWork), ...met].join('；')}。`;
	const problem = lagging || rng.chance(0.25) ? `${rng.pick(problems)}。` : '暂无。';
	const nextSteps = next
		? `下步将重点推进“${next.title}”，确保${formatDate(next.dueOn, 'zh-CN')}前完成。`
		: '巩固工作成果，做好总结评估和长效机制建设。';
	return { progress, problems: problem, nextSteps };
}

export const returnComments = [
	'进展情况过于笼统，请补充量化指标和佐证材料。',
	'存在问题未写明具体原因，请补充后重新报送。',
	'下步打算缺少时间节点，请细化后重新报送。'
];

const contributionWork = [
	'本单位按照分工做好要素保障，配合完成相关审批手续办理',
	'派员参加牵头单位组织的专题推进会，落实会议明确的配合事项',
	'完成职责范围内的数据报送和政策梳理工作',
	'配合开展现场调研，提出本领域意见建议'
];

/** A co-unit's 协办意见 for one month. */
export function demoContributionText(rng: Random, subject: string): string {
	const ask = rng.chance(0.3) ? '需牵头单位协调事项：相关项目资金拨付进度需进一步明确。' : '暂无需协调事项。';
	return `围绕${subject}工作，${rng.pick(contributionWork)}。\n${ask}`;
}
