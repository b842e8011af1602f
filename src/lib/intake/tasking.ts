/**
 * The words that make a sentence a task (交办): the verbs and structures offices use to assign work,
 * and the ones that mark a sentence as a report of what happened rather than a task. Each proposal
 * carries the cues it was proposed for, so a person sees why.
 */

/** `rule`: no deadline in the text, the office's rule for the kind gave one (批示件: N working days). */
export const cueKinds = ['assign', 'deadline', 'obligation', 'result', 'marker', 'row', 'rule'] as const;
export type CueKind = (typeof cueKinds)[number];
export type Cue = { kind: CueKind; words: string };

/** Verbs of obligation and urgency: 要, 确保, 力争 … */
const OBLIGATION = /(务必|必须|确保|力争|争取|抓紧|尽快|切实|要求|全力|(?<![主重需只纪摘提概])要(?![点闻素])|须|应当)/;

/**
 * Verbs that name a result or an action to be taken, the heads of an office's tasks. A clause of a
 * speech is a task when one of them opens it (after adverbs like 加快, 深入, 高标准).
 */
const RESULT =
	/(完成|建成|建设|出台|实现|制定|修订|印发|开工|竣工|投用|投运|启动|推进|推动|落实|开展|组织|研究|提交|报送|上报|形成|编制|建立|健全|打造|实施|深化|培育|发展|提升|提高|扩大|补齐|整治|构建|探索|加强|做好|抓好|强化|优化|完善|部署|督促|排查|整改|办结|答复|起草|拟定|召开|举办|培训|清理|核查|摸排|评估|验收|改造|新建|扩建|改建|引进|招引|设立|成立|上线|推广|抓牢|夯实|锻造|杜绝|构筑|共建|参与|抢抓|重塑|保护|传承|规划|统筹|坚持|新增|支持|加大|引导|弘扬|营造|增强|破除|盘活|拿出|反馈|梳理|解决|修复|改善|治理|配套|保障|助力)/;

/** Adverbs and qualifiers that may stand before a speech's verb (加快推进, 深入整治, 高标准规划建设). */
const LEAD_IN =
	/^(?:要|并|还要|更加|进一步|继续|持续|不断|全面|深入|大力|积极|加快|加速|着力|常态化|高标准|高水平|高质量|严格|坚决|切实|主动|深度|努力|全力|不遗余力|突出|以[^，,]{1,14}为抓手|始终|紧紧|扎实|稳步|有序|力争|确保|统筹|同步|尽快|抓紧)*/;

/** Sentences that report, not assign: who attended, what was heard, what the meeting thought. */
const NARRATIVE =
	/(出席|列席|参加会议|主持召开|主持会议|会议听取|听取了|汇报了|介绍了|通报了|会议认为|会议指出|一致认为|参会|与会|记录[:：]|记录人|抄送|印发[:：]|签发|会议时间|会议地点|^今天|^刚才|^下面|^同志们|我讲|作了|来之不易)/;

export function obligation(text: string): Cue | null {
	const m = OBLIGATION.exec(text);
	return m ? { kind: 'obligation', words: m[1] } : null;
}

export function resultVerb(text: string): Cue | null {
	const m = RESULT.exec(text);
	return m ? { kind: 'result', words: m[1] } : null;
}

/** The verb a speech's clause opens with, past its adverbs (加快推进“沪苏同城化” → 推进), or null. */
export function openingVerb(clause: string): Cue | null {
	const rest = clause.slice(LEAD_IN.exec(clause)?.[0].length ?? 0);
	const m = RESULT.exec(rest);
	if (!m || m.index > 2) {
		// The adverb itself is the verb (加快智能化改造: 加快 + a noun).
		const lead = /^(加快|深化|强化|着力|着眼|统筹|扩大|突出|以.{2,14}为抓手)/.exec(clause);
		return lead && clause.length >= 6 ? { kind: 'result', words: lead[1] } : null;
	}
	return { kind: 'result', words: m[1] };
}

export function narrative(text: string): string | null {
	return NARRATIVE.exec(text)?.[1] ?? null;
}

/** Words that say a step is for ever, not by a date: no deadline, and none invented. */
export const OPEN_ENDED = /(长期坚持|长期推进|持续推进|常态化|长效)/;
