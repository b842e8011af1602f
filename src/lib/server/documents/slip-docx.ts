/**
 * A slip (督办单) as a Word 公文: the office's banner, the slip's kind in its colour, its number
 * (文号), then the form the office files: item, unit, facts, demand, reply date and the unit's
 * answer; signed by the office with the date of issue. Made in Chinese (inDocumentLanguage).
 */
import { AlignmentType, Paragraph, TableRow } from 'docx';
import { formatDate, formatInstant } from '$lib/dates';
import { slipKindLabels, type SlipColour } from '$lib/slips';
import { issuingOffice } from '../config';
import type { RegisterRow } from '../slip-register';
import { FONT, letterSection, officeBanner, officialDocx, run, signature, SIZE, table, textCell } from './official-document';

const colourOf: Record<SlipColour, { word: string; rgb: string }> = {
	blue: { word: '蓝色', rgb: '1F4E79' },
	yellow: { word: '黄色', rgb: 'B8860B' },
	red: { word: '红色', rgb: 'C00000' }
};

/** The document's title: 重点任务督办单（红色）. */
export function slipTitle(colour: SlipColour): string {
	return `重点任务${slipKindLabels[colour]}（${colourOf[colour].word}）`;
}

export async function slipDocx(slip: RegisterRow, office = issuingOffice()): Promise<Buffer> {
	const colour = colourOf[slip.colour];
	const line = (label: string, value: string) =>
		new TableRow({
			cantSplit: true,
			children: [textCell(label, { bold: true, shade: 'F2F2F2', size: 24 }), textCell(value, { size: 24 })]
		});
	const answer = slip.reply
		? `${slip.reply}\n（${slip.repliedByName ?? ''}，${formatInstant(slip.repliedAt!, 'zh-CN')}反馈）`
		: '（主送单位在反馈时限前填写并报送）\n\n\n';
	const rows = [
		line('督办事项', `${slip.code} ${slip.title}`),
		line('主送单位', slip.unitName),
		line('基本情况', slip.facts),
		line('督办要求', slip.demand),
		line('反馈时限', `${formatDate(slip.replyBy, 'zh-CN')}前`),
		line('反馈情况', answer)
	];
	const children = [
		...officeBanner(office),
		new Paragraph({
			alignment: AlignmentType.CENTER,
			spacing: { before: 360, after: 120 },
			children: [run(slipTitle(slip.colour), { font: FONT.title, size: SIZE.title, color: colour.rgb })]
		}),
		new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(slip.number)] }),
		table([], rows, { widths: [1, 4], page: 'portrait', size: 24 }),
		...(slip.voidedAt
			? [
					new Paragraph({
						spacing: { before: 240 },
						children: [run(`本单已于${formatInstant(slip.voidedAt, 'zh-CN')}作废。作废理由：${slip.voidReason ?? ''}`, { color: 'C00000' })]
					})
				]
			: []),
		...signature(office, formatDate(slip.issuedOn, 'zh-CN'))
	];
	return officialDocx(
		{ creator: office, title: `${slipTitle(slip.colour)} ${slip.number}` },
		[letterSection(children)],
		new Date(slip.issuedAt),
		new Date(slip.voidedAt ?? slip.issuedAt)
	);
}
