/** What an empty database may be loaded with: the demo story, or the lecture's items alone. */
export const datasets = ['demo', 'lecture'] as const;
export type Dataset = (typeof datasets)[number];
