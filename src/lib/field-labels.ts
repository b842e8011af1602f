/** Chinese names of record fields and values, for history timelines and "changed meanwhile" notices. */
export const fieldLabels: Record<string, string> = {
	title: '名称',
	code: '编号',
	themeId: '类别',
	leadUnitId: '牵头单位',
	leader: '责任领导',
	startOn: '开始日期',
	dueOn: '完成时限/计划完成',
	status: '状态',
	completedOn: '完成日期',
	weight: '权重',
	position: '顺序',
	evidence: '佐证材料',
	removedAt: '删除时间',
	progress: '进展情况',
	problems: '存在问题',
	nextSteps: '下步打算',
	reportedBy: '填报人',
	submittedAt: '提交时间',
	reviewedBy: '审核人',
	reviewedAt: '审核时间',
	reviewComment: '审核意见',
	requestedDue: '申请日期',
	originalDue: '原定日期',
	reason: '理由',
	decidedBy: '审批人',
	decidedAt: '审批时间',
	decisionComment: '审批意见',
	body: '批示内容',
	answer: '回复',
	answeredBy: '回复人',
	answeredAt: '回复时间',
	displayName: '姓名',
	role: '角色',
	unitId: '所属单位',
	disabled: '停用'
};

const valueLabels: Record<string, string> = {
	draft: '草稿',
	submitted: '已提交',
	returned: '已退回',
	approved: '已通过',
	pending: '待审批',
	refused: '不同意',
	active: '推进中',
	completed: '已完成',
	cancelled: '已撤销'
};

export function fieldLabel(field: string): string {
	return fieldLabels[field] ?? field;
}

export function valueLabel(value: unknown): string {
	if (value === null || value === undefined || value === '') return '(空)';
	if (typeof value === 'boolean') return value ? '是' : '否';
	const text = String(value);
	return valueLabels[text] ?? (text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
