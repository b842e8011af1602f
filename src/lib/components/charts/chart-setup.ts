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
	TimeScale,
	Tooltip
} from 'chart.js';
// The official date-fns adapter, for the time axis of the milestone timeline.
import 'chartjs-adapter-date-fns';

Chart.register(
	BarController,
	BarElement,
	CategoryScale,
	LinearScale,
	TimeScale,
	LineController,
	LineElement,
	PointElement,
	Legend,
	Tooltip
);
Chart.defaults.font.family = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Noto Sans SC", sans-serif';
Chart.defaults.color = '#1f2933';
// Every chart fills the box its figure gives it and is drawn at once (no animation: print, screenshots
// and people who dislike motion all get the finished chart).
Chart.defaults.responsive = true;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.animation = false;

export { Chart };
export type { ChartConfiguration } from 'chart.js';
