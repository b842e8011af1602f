/** The chart.js parts this application uses, registered once (not `chart.js/auto`: smaller bundle). */
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);
Chart.defaults.font.family = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Noto Sans SC", sans-serif';
Chart.defaults.color = '#1f2933';

export { Chart };
export type { ChartConfiguration } from 'chart.js';
